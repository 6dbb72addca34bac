package paper

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/experiment"
)

func TestStochasticCells(t *testing.T) {
	cells := stochasticCells(StochasticOptions{Steps: 1000, Epochs: 0, BatchSizes: []int{100, 2}})
	if len(cells) != 4 {
		t.Fatalf("%d cells, want 4", len(cells))
	}
	for _, c := range cells {
		if c.Steps != 1000 || c.Epochs != 1000/float64(200/c.BatchSize) {
			t.Errorf("%s batch %d: steps %d epochs %v, want 1000 steps and 1000/⌈n/B⌉ epochs", c.Optimizer, c.BatchSize, c.Steps, c.Epochs)
		}
		cfg := c.config(StochasticOptions{TestSize: 10}, 3)
		spec := cfg.Optimizers[0]
		if err := cfg.Validate(); err != nil {
			t.Errorf("%s batch %d: %v", c.Optimizer, c.BatchSize, err)
		}
		switch c.Optimizer {
		case "adam":
			if cfg.Lambda != 1e-5 || spec.Name != "adam" {
				t.Errorf("adam cell: λ=%v optimizer %s, want coupled λ=1e-5", cfg.Lambda, spec.Name)
			}
		case "adamw":
			if cfg.Lambda != 0 || spec.WeightDecay != 0.01 {
				t.Errorf("adamw cell: λ=%v weight_decay=%v, want λ=0 and decoupled 0.01", cfg.Lambda, spec.WeightDecay)
			}
		}
		if spec.LR != 5e-5 || spec.Beta1 != 0.9 || spec.Beta2 != 0.999 || cfg.BatchSize != c.BatchSize || cfg.Seed != 3 {
			t.Errorf("%s batch %d: spec %+v, batch %d, seed %d", c.Optimizer, c.BatchSize, spec, cfg.BatchSize, cfg.Seed)
		}
	}
	byEpoch := stochasticCells(StochasticOptions{Epochs: 10, BatchSizes: []int{100, 2, 3}})
	for _, c := range byEpoch {
		if want := 10 * ((200 + c.BatchSize - 1) / c.BatchSize); c.Steps != want || c.Epochs != 10 {
			t.Errorf("--epochs 10, batch %d: %d steps (%v epochs), want %d steps", c.BatchSize, c.Steps, c.Epochs, want)
		}
	}
}

func TestStochastic(t *testing.T) {
	o := DefaultStochastic()
	o.Steps, o.Seeds, o.TestSize, o.Jobs = 40, 2, 100, 1 // one job: Save writes a map
	saved := map[string]bool{}
	o.Save = func(name string, r *experiment.Outcome) error {
		if r.Setup == nil || len(r.Results) != 1 {
			return fmt.Errorf("run %s: setup %v, %d results", name, r.Setup, len(r.Results))
		}
		saved[name] = true
		return nil
	}
	rep, err := Stochastic(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Cells) != 4 {
		t.Fatalf("%d cells, want 4", len(rep.Cells))
	}
	for _, c := range rep.Cells {
		if len(c.Runs) != 2 {
			t.Fatalf("%s batch %d: %d runs", c.Optimizer, c.BatchSize, len(c.Runs))
		}
		if m := (c.Runs[0].TestError + c.Runs[1].TestError) / 2; math.Abs(float64(m-c.TestMean)) > 1e-12 {
			t.Errorf("%s batch %d: mean %v, runs average %v", c.Optimizer, c.BatchSize, c.TestMean, m)
		}
		if math.IsNaN(float64(c.Paper)) {
			t.Errorf("%s batch %d: no paper value", c.Optimizer, c.BatchSize)
		}
		if name := fmt.Sprintf("%s-b%d-seed1", c.Optimizer, c.BatchSize); !saved[name] {
			t.Errorf("Save was not given %s", name)
		}
	}
	if !strings.Contains(rep.Table(), "| adamw | 0.01 (decoupled), λ=0 | 2 | 40 |") || !strings.Contains(rep.Verdict, "adamw:") {
		t.Errorf("table or verdict incomplete:\n%s\n%s", rep.Table(), rep.Verdict)
	}
}

func TestStochasticOptions(t *testing.T) {
	for _, mod := range []func(*StochasticOptions){
		func(o *StochasticOptions) { o.BatchSizes = []int{0, 2} },
		func(o *StochasticOptions) { o.BatchSizes = []int{201} },
		func(o *StochasticOptions) { o.Seeds = 0 },
		func(o *StochasticOptions) { o.Epochs = -1 },
		func(o *StochasticOptions) { o.TestSize = 0 },
	} {
		o := DefaultStochastic()
		mod(&o)
		if _, err := Stochastic(context.Background(), o, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: err = %v, want ErrInvalid", o, err)
		}
	}
}
