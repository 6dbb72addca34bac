package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/internal/capfile"

	"github.com/adamgap/adamgap/config"
)

// ErrSpec is wrapped by every error about a sweep specification.
var ErrSpec = errors.New("sweep spec")

// Spec is a parsed sweep specification:
//
//	name: phase                  # optional, used in titles
//	base:                        # a configuration, as in config.yaml;
//	  steps: 2000                #   absent keys take the paper's values
//	  optimizers: [{name: adam}, {name: gd}]
//	grid:                        # every combination of these axes
//	  alpha: [0.0, 0.1, 0.2]
//	  sigma_p: [0.05, 0.1]
//	zip:                         # lists varied together (equal lengths);
//	  lr: [1e-4, 1e-3]           #   a list of such maps gives several groups
//	  beta1: [0.9, 0.99]
//	seeds: 3                     # or a list: [0, 1, 2]
//
// An axis key is any configuration key (d, n, s, sigma_p, alpha, lambda,
// steps, …, including keys added to config.yaml later) or a shorthand for
// the optimisers: optimizer (the name, or a map such as {name: adam,
// lr: 1e-4}, replacing the base's list by one entry), optimizers (a whole
// list), lr, beta1, momentum, … (any name of optim.ParamTable: a parameter
// of the single optimiser) and NAME.PARAM (a parameter of optimiser NAME,
// e.g. adam.lr).
type Spec struct {
	Name  string
	Base  config.Config
	Axes  []Axis   // grid axes, then zipped groups, in the file's order
	Seeds []uint64 // innermost axis
	raw   []byte
}

// Axis is one dimension of the sweep. A grid axis has one key; a zipped
// group has several keys whose values are taken together, and every key
// has the same number of values.
type Axis struct {
	Keys   []string
	Values [][]*yaml.Node // Values[k][i]: value i of key k
	where  []string       // where each key is in the file, e.g. grid.alpha
}

// Len is the number of points along the axis.
func (a Axis) Len() int { return len(a.Values[0]) }

// Raw returns the specification's text as it was read.
func (s *Spec) Raw() []byte { return s.raw }

type specFile struct {
	Name  string    `yaml:"name"`
	Base  yaml.Node `yaml:"base"`
	Grid  yaml.Node `yaml:"grid"`
	Zip   yaml.Node `yaml:"zip"`
	Seeds yaml.Node `yaml:"seeds"`
}

const specFields = "name, base, grid, zip, seeds"

func specErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrSpec}, args...)...)
}

// Bounds on the size of a sweep, checked before anything is expanded. A
// sweep of MaxRuns runs of the paper's size takes about 40 CPU-days.
const (
	MaxRuns       = 100_000 // runs of a plan (the product of the axes and the seeds)
	MaxAxisValues = 10_000  // values of one axis (or seeds)
	MaxValues     = 100_000 // values of all axes together
)

// LoadSpec reads and parses a specification file, read through a cap of
// capfile.MaxSize bytes.
func LoadSpec(path string) (*Spec, error) {
	b, err := capfile.ReadFile(path, capfile.MaxSize)
	if err != nil {
		return nil, specErr("could not read %q: %w", path, err)
	}
	s, err := ParseSpec(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ParseSpec parses a specification. Unknown fields, empty axes, values of
// the wrong type, zipped lists of different lengths and keys that appear
// twice are errors that name the field.
func ParseSpec(b []byte) (*Spec, error) {
	var f specFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if err == io.EOF {
			return nil, specErr("the specification is empty; it needs at least base: or grid:")
		}
		return nil, specErr("%v (allowed top-level fields: %s)", yamlMessage(err), specFields)
	}
	s := &Spec{Name: f.Name, raw: bytes.Clone(b)}
	var err error
	if s.Base, err = parseBase(&f.Base); err != nil {
		return nil, err
	}
	seen := map[string]string{}
	addKey := func(key, where string) error {
		if key == "seed" {
			return specErr("%s: seed is not an axis; use seeds: (a count or a list)", where)
		}
		if prev, ok := seen[key]; ok {
			return specErr("%s: key %q is already varied in %s; each key may vary once", where, key, prev)
		}
		seen[key] = where
		return nil
	}
	if f.Grid.Kind != 0 {
		if f.Grid.Kind != yaml.MappingNode {
			return nil, specErr("grid: want a map from key to a list of values (line %d)", f.Grid.Line)
		}
		for i := 0; i < len(f.Grid.Content); i += 2 {
			key := f.Grid.Content[i].Value
			where := "grid." + key
			vals, err := axisValues(f.Grid.Content[i+1], where)
			if err != nil {
				return nil, err
			}
			if err := addKey(key, where); err != nil {
				return nil, err
			}
			s.Axes = append(s.Axes, Axis{Keys: []string{key}, Values: [][]*yaml.Node{vals}, where: []string{where}})
		}
	}
	if f.Zip.Kind != 0 {
		groups := []*yaml.Node{&f.Zip}
		if f.Zip.Kind == yaml.SequenceNode {
			groups = f.Zip.Content
		}
		for g, grp := range groups {
			where := "zip"
			if f.Zip.Kind == yaml.SequenceNode {
				where = fmt.Sprintf("zip[%d]", g)
			}
			if grp.Kind != yaml.MappingNode || len(grp.Content) == 0 {
				return nil, specErr("%s: want a map from key to a list of values, with lists of equal length (line %d)", where, grp.Line)
			}
			var ax Axis
			for i := 0; i < len(grp.Content); i += 2 {
				key := grp.Content[i].Value
				vals, err := axisValues(grp.Content[i+1], where+"."+key)
				if err != nil {
					return nil, err
				}
				if err := addKey(key, where+"."+key); err != nil {
					return nil, err
				}
				if len(ax.Keys) > 0 && len(vals) != ax.Len() {
					return nil, specErr("%s.%s has %d values but %s.%s has %d; zipped lists must have equal lengths",
						where, key, len(vals), where, ax.Keys[0], ax.Len())
				}
				ax.Keys = append(ax.Keys, key)
				ax.Values = append(ax.Values, vals)
				ax.where = append(ax.where, where+"."+key)
			}
			s.Axes = append(s.Axes, ax)
		}
	}
	if s.Seeds, err = parseSeeds(&f.Seeds, s.Base.Seed); err != nil {
		return nil, err
	}
	if _, err := s.Count(); err != nil {
		return nil, err
	}
	// Check each value on its own against the base, so that a value of the
	// wrong type is reported with its field rather than with a whole point.
	for _, ax := range s.Axes {
		for k, key := range ax.Keys {
			if isOptimizerKey(key) {
				continue
			}
			for i, v := range ax.Values[k] {
				if _, err := resolve(s.Base, map[string]*yaml.Node{key: v}, []string{key}); err != nil {
					return nil, specErr("%s[%d]: value %s: %v", ax.where[k], i, nodeString(v), err)
				}
			}
		}
	}
	return s, nil
}

// Count returns the number of runs of the plan, or an error if it, an axis
// or all the values together exceed MaxRuns, MaxAxisValues or MaxValues.
func (s *Spec) Count() (int, error) {
	total, values := len(s.Seeds), 0
	if total > MaxAxisValues {
		return 0, specErr("seeds: %d seeds, more than %d", total, MaxAxisValues)
	}
	for _, ax := range s.Axes {
		n := ax.Len()
		if n > MaxAxisValues {
			return 0, specErr("%s: %d values, more than %d per axis", ax.where[0], n, MaxAxisValues)
		}
		values += n * len(ax.Keys)
		if values > MaxValues {
			return 0, specErr("the axes hold more than %d values together", MaxValues)
		}
		if total > MaxRuns/n {
			return 0, specErr("the plan has more than %d runs (%s makes it at least %d); split the sweep or use fewer values", MaxRuns, ax.where[0], total*n)
		}
		total *= n
	}
	if total > MaxRuns {
		return 0, specErr("the plan has %d runs, more than %d; split the sweep or use fewer values", total, MaxRuns)
	}
	return total, nil
}

func parseBase(n *yaml.Node) (config.Config, error) {
	base := config.Paper()
	if n.Kind == 0 {
		return base, nil
	}
	if n.Kind != yaml.MappingNode {
		return config.Config{}, specErr("base: want a configuration map (the keys of config.yaml), line %d", n.Line)
	}
	b, err := yaml.Marshal(n)
	if err != nil {
		return config.Config{}, specErr("base: %v", err)
	}
	c, err := config.Parse(b, base)
	if err != nil {
		return config.Config{}, specErr("base (line %d): %v", n.Line, lineNumber.ReplaceAllString(yamlMessage(err), ""))
	}
	if err := c.Validate(); err != nil && c.DataFrom == "" {
		return config.Config{}, specErr("base: %v", err)
	}
	return c, nil
}

func axisValues(n *yaml.Node, where string) ([]*yaml.Node, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, specErr("%s: want a list of values, got %s (line %d); write [%s] for a single value", where, nodeString(n), n.Line, nodeString(n))
	}
	if len(n.Content) == 0 {
		return nil, specErr("%s: empty axis; give at least one value", where)
	}
	return n.Content, nil
}

func parseSeeds(n *yaml.Node, base uint64) ([]uint64, error) {
	switch n.Kind {
	case 0:
		return []uint64{base}, nil
	case yaml.ScalarNode:
		k, err := strconv.Atoi(n.Value)
		if err != nil || k < 1 {
			return nil, specErr("seeds: %q must be a count >= 1 or a list of seeds", n.Value)
		}
		if k > MaxAxisValues {
			return nil, specErr("seeds: %d seeds, more than %d; split the sweep", k, MaxAxisValues)
		}
		seeds := make([]uint64, k)
		for i := range seeds {
			seeds[i] = uint64(i)
		}
		return seeds, nil
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return nil, specErr("seeds: empty list; give at least one seed")
		}
		if len(n.Content) > MaxAxisValues {
			return nil, specErr("seeds: %d seeds, more than %d; split the sweep", len(n.Content), MaxAxisValues)
		}
		var seeds []uint64
		seen := map[uint64]bool{}
		for i, c := range n.Content {
			v, err := strconv.ParseUint(c.Value, 10, 64)
			if c.Kind != yaml.ScalarNode || err != nil {
				return nil, specErr("seeds[%d]: %s must be an integer >= 0", i, nodeString(c))
			}
			if seen[v] {
				return nil, specErr("seeds[%d]: seed %d appears twice", i, v)
			}
			seen[v] = true
			seeds = append(seeds, v)
		}
		return seeds, nil
	}
	return nil, specErr("seeds: want a count or a list of seeds, got %s", nodeString(n))
}

// nodeString writes a YAML value on one line.
func nodeString(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	c := *n
	setFlow(&c)
	b, err := yaml.Marshal(&c)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return strings.TrimSpace(string(b))
}

func setFlow(n *yaml.Node) {
	n.Style |= yaml.FlowStyle
	for i, c := range n.Content {
		cc := *c
		setFlow(&cc)
		n.Content[i] = &cc
	}
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)

// yamlMessage drops the decoder's "yaml: unmarshal errors:" preamble and
// names unknown fields plainly.
func yamlMessage(err error) string {
	msg := err.Error()
	msg = unknownField.ReplaceAllString(msg, "unknown field $1")
	msg = strings.ReplaceAll(msg, "yaml: unmarshal errors:\n  ", "")
	msg = strings.ReplaceAll(msg, "\n  ", "; ")
	return msg
}
