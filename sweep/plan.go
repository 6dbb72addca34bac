package sweep

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/config"
)

// Run is one point of a sweep: one configuration, trained by every
// optimiser it lists from the same data and W₀.
type Run struct {
	Index  int       // position in the plan, from 0
	ID     string    // hash of the resolved configuration's values (ID)
	Point  []Setting // the axis values of this run, seed last
	Config config.Config
}

// Setting is one axis value of a run, as written in the specification.
type Setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Label is the run's axis values, e.g. "alpha=0.1 sigma_p=0.05 seed=2".
func (r Run) Label() string {
	parts := make([]string, len(r.Point))
	for i, s := range r.Point {
		parts[i] = s.Key + "=" + s.Value
	}
	return strings.Join(parts, " ")
}

// Plan expands the specification into its runs: the product of the axes in
// order (the first varies slowest), seeds innermost. Every configuration is
// validated; two points that resolve to the same configuration are an
// error.
func (s *Spec) Plan() ([]Run, error) {
	return s.PlanContext(context.Background())
}

// PlanContext is Plan that refuses plans beyond MaxRuns before expanding
// and stops with ctx's error once ctx is done.
func (s *Spec) PlanContext(ctx context.Context) ([]Run, error) {
	total, err := s.Count()
	if err != nil {
		return nil, err
	}
	done := ctx.Done()
	runs := make([]Run, 0, total)
	byID := map[string]int{}
	idx := make([]int, len(s.Axes))
	for {
		values := map[string]*yaml.Node{}
		var keys []string
		var point []Setting
		for a, ax := range s.Axes {
			for k, key := range ax.Keys {
				v := ax.Values[k][idx[a]]
				values[key] = v
				keys = append(keys, key)
				point = append(point, Setting{Key: key, Value: nodeString(v)})
			}
		}
		for _, seed := range s.Seeds {
			select {
			case <-done:
				return nil, fmt.Errorf("sweep: planning stopped after %d of %d runs: %w", len(runs), total, ctx.Err())
			default:
			}
			seedNode := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatUint(seed, 10)}
			values["seed"] = seedNode
			r := Run{Index: len(runs), Point: append(append([]Setting(nil), point...), Setting{Key: "seed", Value: seedNode.Value})}
			c, err := resolve(s.Base, values, append(keys, "seed"))
			if err != nil {
				return nil, specErr("run %s: %v", r.Label(), err)
			}
			if err := c.Validate(); err != nil && c.DataFrom == "" {
				return nil, specErr("run %s: %v", r.Label(), err)
			}
			r.Config = c
			if r.ID, err = ID(c); err != nil {
				return nil, err
			}
			if j, dup := byID[r.ID]; dup {
				return nil, specErr("runs %q and %q have the same configuration; remove one of the values", runs[j].Label(), r.Label())
			}
			byID[r.ID] = r.Index
			runs = append(runs, r)
		}
		// Next point of the product, last axis fastest.
		a := len(idx) - 1
		for ; a >= 0; a-- {
			idx[a]++
			if idx[a] < s.Axes[a].Len() {
				break
			}
			idx[a] = 0
		}
		if a < 0 {
			break
		}
	}
	if len(runs) != total {
		panic(fmt.Sprintf("sweep: Plan made %d runs, want %d", len(runs), total))
	}
	return runs, nil
}

// LoadPlan reads the specification file at path and plans it, stopping with
// ctx's error once ctx is done.
func LoadPlan(ctx context.Context, path string) (*Spec, []Run, error) {
	spec, err := LoadSpec(path)
	if err != nil {
		return nil, nil, err
	}
	runs, err := spec.PlanContext(ctx)
	if err != nil {
		return nil, nil, err
	}
	return spec, runs, nil
}
