package experiment

import (
	"math"

	"github.com/adamgap/adamgap/train"
)

// Spread is one quantity over seeds: its mean, sample standard deviation
// (NaN for fewer than two values) and every value, in seed order. NaN
// values (a run that did not finish) are kept in Values and left out of the
// mean and SD; N counts those used.
type Spread struct {
	Mean   float64
	SD     float64
	N      int
	Values []float64
}

// NewSpread summarises v.
func NewSpread(v []float64) Spread {
	s := Spread{Mean: math.NaN(), SD: math.NaN(), Values: v}
	var sum float64
	for _, x := range v {
		if !math.IsNaN(x) {
			sum += x
			s.N++
		}
	}
	if s.N == 0 {
		return s
	}
	s.Mean = sum / float64(s.N)
	if s.N < 2 {
		return s
	}
	var ss float64
	for _, x := range v {
		if !math.IsNaN(x) {
			ss += (x - s.Mean) * (x - s.Mean)
		}
	}
	s.SD = math.Sqrt(ss / float64(s.N-1))
	return s
}

// SeedSpread is one optimiser's Table 1 numbers over seeds: the last
// iterate's and Theorem 4.1's output's (the min-gradient iterate) training
// and test errors, and the test errors on each class.
type SeedSpread struct {
	Optimizer string
	Seeds     []uint64

	TrainError, TestError, TestErrorPos, TestErrorNeg                 Spread
	BestTrainError, BestTestError, BestTestErrorPos, BestTestErrorNeg Spread
	BestStep                                                          Spread
}

// SpreadOverSeeds returns, for each optimiser of the outcomes (which must
// share their optimisers, in order: one configuration over seeds), its
// numbers over the outcomes' seeds. A run that did not finish counts as
// NaN.
func SpreadOverSeeds(outs []*Outcome) []SeedSpread {
	if len(outs) == 0 {
		return nil
	}
	var res []SeedSpread
	for i, spec := range outs[0].Config.Optimizers {
		sp := SeedSpread{Optimizer: spec.Name}
		col := func(f func(r *train.Result) float64) Spread {
			v := make([]float64, len(outs))
			for k, o := range outs {
				r := o.Results[i]
				v[k] = math.NaN()
				if r != nil && r.Err == nil {
					v[k] = f(r)
				}
			}
			return NewSpread(v)
		}
		for _, o := range outs {
			sp.Seeds = append(sp.Seeds, o.Config.Seed)
		}
		sp.TrainError = col(func(r *train.Result) float64 { return r.TrainError })
		sp.TestError = col(func(r *train.Result) float64 { return r.TestError })
		sp.TestErrorPos = col(func(r *train.Result) float64 { return r.TestErrorPos })
		sp.TestErrorNeg = col(func(r *train.Result) float64 { return r.TestErrorNeg })
		sp.BestTrainError = col(func(r *train.Result) float64 { return r.Best.TrainError })
		sp.BestTestError = col(func(r *train.Result) float64 { return r.Best.TestError })
		sp.BestTestErrorPos = col(func(r *train.Result) float64 { return r.Best.TestErrorPos })
		sp.BestTestErrorNeg = col(func(r *train.Result) float64 { return r.Best.TestErrorNeg })
		sp.BestStep = col(func(r *train.Result) float64 { return float64(r.Best.Step) })
		res = append(res, sp)
	}
	return res
}
