package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMeanSD(t *testing.T) {
	tests := []struct {
		v        []float64
		mean, sd float64
	}{
		{[]float64{1, 2, 3}, 2, 1},
		{[]float64{0.5, 0.5}, 0.5, 0},
		{[]float64{4}, 4, math.NaN()},
		{nil, math.NaN(), math.NaN()},
	}
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for _, tt := range tests {
		m, s := meanSD(tt.v)
		if !same(m, tt.mean) || !same(s, tt.sd) {
			t.Errorf("meanSD(%v) = %v, %v; want %v, %v", tt.v, m, s, tt.mean, tt.sd)
		}
	}
}

func TestStochasticCells(t *testing.T) {
	tang := stochasticOpts{steps: 1000, epochs: 0, batches: []int{100, 2}, lr: tangLR, adamLambda: tangLambda, adamwDecay: tangDecay}
	cells := stochasticCells(tang)
	if len(cells) != 4 {
		t.Fatalf("%d cells, want 4", len(cells))
	}
	for _, c := range cells {
		if c.Steps != 1000 || c.Epochs != 1000/float64(200/c.BatchSize) {
			t.Errorf("%s batch %d: steps %d epochs %v, want 1000 steps and 1000/⌈n/B⌉ epochs", c.Optimizer, c.BatchSize, c.Steps, c.Epochs)
		}
		o := tang
		o.testSize = 10
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
	byEpoch := stochasticCells(stochasticOpts{epochs: 10, batches: []int{100, 2, 3}})
	for _, c := range byEpoch {
		if want := 10 * ((200 + c.BatchSize - 1) / c.BatchSize); c.Steps != want || c.Epochs != 10 {
			t.Errorf("--epochs 10, batch %d: %d steps (%v epochs), want %d steps", c.BatchSize, c.Steps, c.Epochs, want)
		}
	}
}

func TestReproduceStochastic(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"reproduce", "stochastic", "--out", dir, "--steps", "40", "--seeds", "2", "--test-size", "100", "--jobs", "2", "--keep-runs",
		"--test-labels", "balanced", "--batch-sampling", "replacement", "--lr", "1e-4"}
	if err := run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "stochastic.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep stochasticJSON
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Cells) != 4 {
		t.Fatalf("%d cells, want 4", len(rep.Cells))
	}
	for _, c := range rep.Cells {
		if len(c.Runs) != 2 || c.TestMean == nil {
			t.Fatalf("%s batch %d: %d runs, mean %v", c.Optimizer, c.BatchSize, len(c.Runs), c.TestMean)
		}
		if m := (*c.Runs[0].TestError + *c.Runs[1].TestError) / 2; math.Abs(m-*c.TestMean) > 1e-12 {
			t.Errorf("%s batch %d: mean %v, runs average %v", c.Optimizer, c.BatchSize, *c.TestMean, m)
		}
		if c.Paper == nil {
			t.Errorf("%s batch %d: no paper value", c.Optimizer, c.BatchSize)
		}
		n := 0
		for _, r := range c.Runs {
			if r.TestErrorPos == nil || r.TestErrorNeg == nil || r.Outcome != runOutcome(*r.TestErrorPos, *r.TestErrorNeg) {
				t.Errorf("%s batch %d: per-class errors %v %v, outcome %q", c.Optimizer, c.BatchSize, r.TestErrorPos, r.TestErrorNeg, r.Outcome)
			}
			// --test-labels balanced: 50 of each class, so the test error is the mean of the two.
			if r.TestErrorPos != nil && r.TestErrorNeg != nil && math.Abs((*r.TestErrorPos+*r.TestErrorNeg)/2-*r.TestError) > 1e-12 {
				t.Errorf("%s batch %d: balanced test error %v, classes %v %v", c.Optimizer, c.BatchSize, *r.TestError, *r.TestErrorPos, *r.TestErrorNeg)
			}
		}
		for _, k := range c.Outcomes {
			n += k
		}
		if n != len(c.Runs) {
			t.Errorf("%s batch %d: outcomes %v count %d runs, want %d", c.Optimizer, c.BatchSize, c.Outcomes, n, len(c.Runs))
		}
		if _, err := os.Stat(filepath.Join(dir, "runs", fmt.Sprintf("%s-b%d-seed1", c.Optimizer, c.BatchSize), "metrics.csv")); err != nil {
			t.Errorf("--keep-runs: %v", err)
		}
	}
	if rep.Settings.Sampling != "replacement" || rep.Settings.TestLabels != "balanced" || rep.Settings.LR != 1e-4 {
		t.Errorf("settings %+v do not record the flags", rep.Settings)
	}
	if !strings.Contains(out.String(), "| adamw | 0.01 (decoupled), λ=0 | 2 | 40 |") || !strings.Contains(rep.Verdict, "adamw:") {
		t.Errorf("table or verdict incomplete:\n%s\n%s", out.String(), rep.Verdict)
	}
}

type stochasticJSON struct {
	Cells []struct {
		Optimizer string         `json:"optimizer"`
		BatchSize int            `json:"batch_size"`
		Paper     *float64       `json:"paper_test_error"`
		TestMean  *float64       `json:"test_error_mean"`
		Outcomes  map[string]int `json:"outcomes"`
		Runs      []struct {
			TestError    *float64 `json:"test_error"`
			TestErrorPos *float64 `json:"test_error_pos"`
			TestErrorNeg *float64 `json:"test_error_neg"`
			Outcome      string   `json:"outcome"`
		} `json:"runs"`
	} `json:"cells"`
	Verdict  string `json:"verdict"`
	Settings struct {
		Sampling   string  `json:"batch_sampling"`
		TestLabels string  `json:"test_labels"`
		LR         float64 `json:"lr"`
	} `json:"settings"`
}

func TestReproduceStochasticUsage(t *testing.T) {
	for _, args := range [][]string{
		{"reproduce", "stochastic", "--batch-sizes", "0,2"},
		{"reproduce", "stochastic", "--batch-sizes", "a"},
		{"reproduce", "stochastic", "--batch-sizes", "201"},
		{"reproduce", "stochastic", "--seeds", "0"},
		{"reproduce", "stochastic", "--epochs", "-1"},
		{"reproduce", "stochastic", "--batch-sampling", "bootstrap"},
		{"reproduce", "stochastic", "--test-labels", "half"},
		{"reproduce", "stochastic", "--lr", "0"},
		{"reproduce", "stochastic", "--adam-lambda", "-1"},
		{"reproduce", "stochastic", "--optimizers", "adam,sgd"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append(args, "--out", t.TempDir()), &out, &errb)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

func TestStochasticCellsOptimizers(t *testing.T) {
	cells := stochasticCells(stochasticOpts{steps: 10, batches: []int{100, 2}, optimizers: []string{"adamw"}, adamwDecay: 1e-5})
	if len(cells) != 2 || cells[0].Optimizer != "adamw" || cells[1].Optimizer != "adamw" || cells[0].WeightDecay != 1e-5 {
		t.Errorf("--optimizers adamw --adamw-decay 1e-5: cells %+v %+v", cells[0], cells[1])
	}
}
