package experiment

import (
	"errors"
	"math"
	"testing"

	"github.com/adamgap/adamgap/internal/fixture"
	"github.com/adamgap/adamgap/train"
)

func TestNewSpread(t *testing.T) {
	nan := math.NaN()
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for _, tt := range []struct {
		v        []float64
		mean, sd float64
		n        int
	}{
		{[]float64{1, 2, 3}, 2, 1, 3},
		{[]float64{1, nan, 3}, 2, math.Sqrt2, 2},
		{[]float64{4}, 4, 0, 1},
		{[]float64{nan}, nan, nan, 0},
		{nil, nan, nan, 0},
	} {
		s := NewSpread(tt.v)
		if !same(s.Mean, tt.mean) || !same(s.SD, tt.sd) || s.N != tt.n || len(s.Values) != len(tt.v) {
			t.Errorf("NewSpread(%v) = %+v, want mean %v sd %v n %d", tt.v, s, tt.mean, tt.sd, tt.n)
		}
	}
}

func TestSpreadOverSeeds(t *testing.T) {
	var outs []*Outcome
	for k, te := range []float64{0.2, 0.4, 0.9} {
		cfg := fixture.Small()
		cfg.Seed = uint64(10 + k)
		r := &train.Result{Optimizer: "adam", TestError: te, TestErrorPos: te / 2, TestErrorNeg: 1 - te,
			Best: train.Best{Step: k, TestError: 1 - te}}
		g := &train.Result{Optimizer: "gd", Err: errors.ErrUnsupported}
		outs = append(outs, &Outcome{Setup: &Setup{Config: cfg}, Results: []*train.Result{r, g}})
	}
	sp := SpreadOverSeeds(outs)
	if len(sp) != 2 || sp[0].Optimizer != "adam" || sp[1].Optimizer != "gd" {
		t.Fatalf("spreads %+v", sp)
	}
	a := sp[0]
	if math.Abs(a.TestError.Mean-0.5) > 1e-15 || math.Abs(a.TestError.SD-math.Sqrt(0.13)) > 1e-15 || a.TestError.Values[2] != 0.9 {
		t.Errorf("adam test error %+v", a.TestError)
	}
	if math.Abs(a.BestTestError.Mean-0.5) > 1e-15 || a.BestStep.Mean != 1 || a.TestErrorNeg.Values[0] != 0.8 || a.Seeds[2] != 12 {
		t.Errorf("adam best %+v step %+v neg %+v seeds %v", a.BestTestError, a.BestStep, a.TestErrorNeg, a.Seeds)
	}
	if sp[1].TestError.N != 0 || !math.IsNaN(sp[1].TestError.Mean) {
		t.Errorf("failed gd runs count: %+v", sp[1].TestError)
	}
}
