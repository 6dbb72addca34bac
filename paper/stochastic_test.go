package paper

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/train"
)

func TestStochasticCells(t *testing.T) {
	tang := DefaultStochastic()
	tang.Steps, tang.Epochs, tang.BatchSizes = 1000, 0, []int{100, 2}
	cells := stochasticCells(tang)
	if len(cells) != 4 {
		t.Fatalf("%d cells, want 4", len(cells))
	}
	for _, c := range cells {
		if c.Steps != 1000 || c.Epochs != 1000/float64(200/c.BatchSize) {
			t.Errorf("%s batch %d: steps %d epochs %v, want 1000 steps and 1000/⌈n/B⌉ epochs", c.Optimizer, c.BatchSize, c.Steps, c.Epochs)
		}
		o := tang
		o.TestSize = 10
		cfg := c.config(o, 3)
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
	only := stochasticCells(StochasticOptions{Steps: 10, BatchSizes: []int{100, 2}, Optimizers: []string{"adamw"}, AdamWDecay: 1e-5, N: 200})
	if len(only) != 2 || only[0].Optimizer != "adamw" || only[1].Optimizer != "adamw" || only[0].WeightDecay != 1e-5 {
		t.Errorf("Optimizers adamw, AdamWDecay 1e-5: cells %+v %+v", only[0], only[1])
	}
	byEpoch := stochasticCells(StochasticOptions{Epochs: 10, BatchSizes: []int{100, 2, 3}, Optimizers: []string{"adam", "adamw"}, N: 200})
	for _, c := range byEpoch {
		if want := 10 * ((200 + c.BatchSize - 1) / c.BatchSize); c.Steps != want || c.Epochs != 10 {
			t.Errorf("--epochs 10, batch %d: %d steps (%v epochs), want %d steps", c.BatchSize, c.Steps, c.Epochs, want)
		}
	}
}

func TestStochastic(t *testing.T) {
	o := DefaultStochastic()
	o.Steps, o.Seeds, o.TestSize, o.Jobs = 40, 2, 100, 1 // one job: Save writes a map
	o.TestLabels, o.Sampling, o.LR = data.Balanced, train.Replacement, 1e-4
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
		n := 0
		for _, r := range c.Runs {
			if r.Outcome != RunOutcome(float64(r.TestErrorPos), float64(r.TestErrorNeg)) {
				t.Errorf("%s batch %d: per-class errors %v %v, outcome %q", c.Optimizer, c.BatchSize, r.TestErrorPos, r.TestErrorNeg, r.Outcome)
			}
			// Balanced test labels (50 per class): the test error is the mean of the two.
			if math.Abs(float64((r.TestErrorPos+r.TestErrorNeg)/2-r.TestError)) > 1e-12 {
				t.Errorf("%s batch %d: balanced test error %v, classes %v %v", c.Optimizer, c.BatchSize, r.TestError, r.TestErrorPos, r.TestErrorNeg)
			}
		}
		for _, k := range c.Outcomes {
			n += k
		}
		if n != len(c.Runs) || !(c.TestMin <= c.TestMedian && c.TestMedian <= c.TestMax) {
			t.Errorf("%s batch %d: outcomes %v count %d runs (want %d); min %v median %v max %v", c.Optimizer, c.BatchSize, c.Outcomes, n, len(c.Runs), c.TestMin, c.TestMedian, c.TestMax)
		}
	}
	if s := rep.Settings; s.Sampling != "replacement" || s.TestLabels != "balanced" || s.LR != 1e-4 {
		t.Errorf("settings %+v do not record the options", s)
	}
	if !strings.Contains(rep.Table(), "| adamw | 0.01 (decoupled), λ=0 | 2 | 40 |") || !strings.Contains(rep.Verdict, "adamw:") {
		t.Errorf("table or verdict incomplete:\n%s\n%s", rep.Table(), rep.Verdict)
	}
}

func TestRunOutcome(t *testing.T) {
	for _, tt := range []struct {
		pos, neg float64
		want     string
	}{{0, 0.05, "learned"}, {0.97, 0, "+1 flipped"}, {0, 0.96, "−1 flipped"}, {0.95, 0.97, "both flipped"}, {0.75, 0.78, "other"}, {0.5, 0, "other"}} {
		if got := RunOutcome(tt.pos, tt.neg); got != tt.want {
			t.Errorf("RunOutcome(%v, %v) = %q, want %q", tt.pos, tt.neg, got, tt.want)
		}
	}
}

func TestStochasticOptions(t *testing.T) {
	for _, mod := range []func(*StochasticOptions){
		func(o *StochasticOptions) { o.BatchSizes = []int{0, 2} },
		func(o *StochasticOptions) { o.BatchSizes = []int{201} },
		func(o *StochasticOptions) { o.Seeds = 0 },
		func(o *StochasticOptions) { o.Epochs = -1 },
		func(o *StochasticOptions) { o.TestSize = 0 },
		func(o *StochasticOptions) { o.Sampling = "bootstrap" },
		func(o *StochasticOptions) { o.TestLabels = "half" },
		func(o *StochasticOptions) { o.LR = 0 },
		func(o *StochasticOptions) { o.AdamLambda = -1 },
		func(o *StochasticOptions) { o.Optimizers = []string{"sgd"} },
		func(o *StochasticOptions) { o.Optimizers = nil },
		func(o *StochasticOptions) { o.N = 101 },
		func(o *StochasticOptions) { o.N, o.BatchSizes = 100, []int{200} },
	} {
		o := DefaultStochastic()
		mod(&o)
		if _, err := Stochastic(context.Background(), o, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: err = %v, want ErrInvalid", o, err)
		}
	}
}
