package explorer

import (
	"math"
	"slices"
	"sync"

	"github.com/adamgap/adamgap/sweep"
)

// Grid is a sweep's heat map: the test error of every optimiser and the gap
// A − B between the first two, mean ± sd over seeds (sweep.MeanStd) in each
// cell of the grid X × Y (Y "" for one axis).
type Grid struct {
	X      string   `json:"x"`
	Y      string   `json:"y"`
	XS     []string `json:"xs"`
	YS     []string `json:"ys"`
	A      string   `json:"a"`
	B      string   `json:"b"`
	Total  int      `json:"total"` // runs planned
	Done   int      `json:"done"`  // runs with a result
	Failed int      `json:"failed"`
	Cells  []*Cell  `json:"cells"`

	mu      sync.Mutex
	samples map[[2]string]map[string][]float64 // cell → series → values over seeds
}

// Cell is one cell of a Grid; nil means no value yet.
type Cell struct {
	X     string             `json:"x"`
	Y     string             `json:"y"`
	Seeds int                `json:"seeds"`
	Gap   *MeanSD            `json:"gap"`
	Test  map[string]*MeanSD `json:"test_error"`
}

// MeanSD is a mean and sample standard deviation over n seeds.
type MeanSD struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	N    int     `json:"n"`
}

// newGrid lays out the grid of the runs over the keys x and y (y may be
// ""), for the optimisers named (the first two make the gap).
func newGrid(runs []sweep.Run, x, y string, optimizers []string) *Grid {
	g := &Grid{X: x, Y: y, Total: len(runs), Cells: []*Cell{}, samples: map[[2]string]map[string][]float64{}}
	if len(optimizers) > 0 {
		g.A = optimizers[0]
	}
	if len(optimizers) > 1 {
		g.B = optimizers[1]
	}
	for _, r := range runs {
		xv, yv := pointValue(r, x), pointValue(r, y)
		if !slices.Contains(g.XS, xv) {
			g.XS = append(g.XS, xv)
		}
		if !slices.Contains(g.YS, yv) {
			g.YS = append(g.YS, yv)
		}
	}
	return g
}

func pointValue(r sweep.Run, key string) string {
	for _, s := range r.Point {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// add counts the result of one run and returns its cell, updated, and the
// runs done and failed so far.
func (g *Grid) add(r sweep.Run, res *sweep.Result) (c *Cell, done, failed int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.Done++
	key := [2]string{pointValue(r, g.X), pointValue(r, g.Y)}
	s := g.samples[key]
	if s == nil {
		s = map[string][]float64{}
		g.samples[key] = s
	}
	if res == nil || res.Failed() {
		g.Failed++
	}
	vals := map[string]float64{}
	if res != nil {
		for _, o := range res.Optimizers {
			v := math.NaN()
			if o.TestError != nil {
				v = *o.TestError
			}
			vals[o.Optimizer] = v
			s[o.Optimizer] = append(s[o.Optimizer], v)
		}
	}
	if g.B != "" {
		a, okA := vals[g.A]
		b, okB := vals[g.B]
		gap := math.NaN()
		if okA && okB {
			gap = a - b
		}
		s[""] = append(s[""], gap)
	}
	c = &Cell{X: key[0], Y: key[1], Test: map[string]*MeanSD{}}
	for name, vs := range s {
		m, sd, n := sweep.MeanStd(vs)
		c.Seeds = max(c.Seeds, len(vs))
		if n == 0 {
			continue
		}
		ms := &MeanSD{Mean: m, SD: sd, N: n}
		if name == "" {
			c.Gap = ms
		} else {
			c.Test[name] = ms
		}
	}
	g.Cells = slices.DeleteFunc(g.Cells, func(o *Cell) bool { return o.X == c.X && o.Y == c.Y })
	g.Cells = append(g.Cells, c)
	return c, g.Done, g.Failed
}
