package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/train"
)

// TestTable1Seeds: the table and JSON over seeds show mean ± sd, every
// seed's value and the paper's numbers.
func TestTable1Seeds(t *testing.T) {
	var outs []*experiment.Outcome
	for k, te := range []float64{0.88, 0.9} {
		cfg := config.Paper()
		cfg.Seed = uint64(k)
		adam := &train.Result{Optimizer: "adam", TestError: te, TestErrorPos: 0.9, TestErrorNeg: te - 0.02,
			Best: train.Best{Step: 6 + k, Norm: optim.L1, TrainError: 0.03, TestError: 0.11}}
		gd := &train.Result{Optimizer: "gd", Best: train.Best{Step: 10000, Norm: optim.L2}}
		outs = append(outs, &experiment.Outcome{Setup: &experiment.Setup{Config: cfg}, Results: []*train.Result{adam, gd}})
	}
	rep := newTable1Seeds(outs, []string{"a", "b"})
	got := rep.table()
	for _, want := range []string{
		"Table 1 over 2 seeds (0–1)",
		"| Test error (last iterate) | 0.89 ± 0.0141 | 0 ± 0 | 0.884 / 0 |",
		"| Training error (last iterate) | 0 ± 0 | 0 ± 0 | 0 / 0 |",
		"| Test error on class +1 (last iterate) | 0.9 ± 0 |",
		"| Min-gradient step | 6.5 ± 0.707 | 1e+04 ± 0 |",
		"- adam, test error (last iterate): 0.88, 0.9",
		"- adam, test error on class +1/−1 (last iterate): 0.9/0.86, 0.9/0.88",
		"- adam, min-gradient step: 6, 7",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	var buf bytes.Buffer
	if err := rep.writeJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"paper_test_error": 0.884`) || !strings.Contains(buf.String(), `"values": [
          0.88,
          0.9
        ]`) {
		t.Errorf("JSON:\n%s", buf.String())
	}
}

func TestReproduceSeedsUsage(t *testing.T) {
	for _, args := range [][]string{
		{"reproduce", "table1", "--seeds", "0"},
		{"reproduce", "figure2", "--seeds", "3"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append(args, "--out", t.TempDir()), &out, &errb)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}
