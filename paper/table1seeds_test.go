package paper

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/train"
)

// TestTable1SeedsReport: the table and JSON over seeds show mean ± sd,
// every seed's value and the paper's numbers.
func TestTable1SeedsReport(t *testing.T) {
	var outs []*experiment.Outcome
	rep := &Table1SeedsReport{}
	for k, te := range []float64{0.88, 0.9} {
		cfg := config.Paper()
		cfg.Seed = uint64(k)
		adam := &train.Result{Optimizer: "adam", TestError: te, TestErrorPos: 0.9, TestErrorNeg: te - 0.02,
			Best: train.Best{Step: 6 + k, Norm: optim.L1, TrainError: 0.03, TestError: 0.11}}
		gd := &train.Result{Optimizer: "gd", Best: train.Best{Step: 10000, Norm: optim.L2}}
		outs = append(outs, &experiment.Outcome{Setup: &experiment.Setup{Config: cfg}, Results: []*train.Result{adam, gd}})
		rep.Seeds = append(rep.Seeds, cfg.Seed)
	}
	rep.summarise(outs)
	got := rep.Table()
	for _, want := range []string{
		"Table 1 over 2 seeds (0–1)",
		"| Test error (last iterate) | 0.89 ± 0.0141 | 0 ± 0 | 0.884 / 0 |",
		"| Training error (last iterate) | 0 ± 0 | 0 ± 0 | 0 / 0 |",
		"| Test error on class +1 (last iterate) | 0.9 ± 0 |",
		"| Min-gradient step | 6.5 ± 0.707 | 10000 ± 0 |", // a step, not 1e+04 (issue 20)
		"- adam, test error (last iterate): 0.88, 0.9",
		"- adam, test error on class +1/−1 (last iterate): 0.9/0.86, 0.9/0.88",
		"- adam, min-gradient step: 6, 7",
		"- gd, min-gradient step: 10000, 10000",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"paper_test_error":0.884`) || !strings.Contains(string(b), `"test_error":{"mean":0.89,"sd":0.014142135623730963,"values":[0.88,0.9]}`) {
		t.Errorf("JSON:\n%s", b)
	}
}

// TestTable1Seeds trains a small configuration over three seeds.
func TestTable1Seeds(t *testing.T) {
	o := DefaultTable1()
	c := &o.Config
	c.D, c.N, c.S, c.TestSize, c.M, c.Sigma0 = 60, 20, 6, 200, 4, 0.05
	c.Steps, c.LogEvery, c.TestEvery, c.Seed = 60, 10, 20, 5
	c.Optimizers[0].LR, c.Optimizers[1].LR = 1e-3, 0.5
	rep, err := Table1Seeds(context.Background(), o, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Runs) != 3 || rep.Seeds[0] != 5 || rep.Seeds[2] != 7 || len(rep.Optimizers) != 2 {
		t.Fatalf("seeds %v, %d runs, %d optimisers", rep.Seeds, len(rep.Runs), len(rep.Optimizers))
	}
	for k, r := range rep.Runs {
		if r.Seed != rep.Seeds[k] || float64(rep.Optimizers[0].TestError.Values[k]) != r.Outcome.Results[0].TestError {
			t.Errorf("seed %d: report seed %d, test error %v vs run's %v", rep.Seeds[k], r.Seed, rep.Optimizers[0].TestError.Values[k], r.Outcome.Results[0].TestError)
		}
	}
	if _, err := Table1Seeds(context.Background(), o, 0, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("seeds 0: %v, want ErrInvalid", err)
	}
}
