package experiment

import (
	"math"

	"github.com/adamgap/adamgap/internal/spread"
	"github.com/adamgap/adamgap/train"
)

// Spread is one quantity over seeds: its mean and sample standard
// deviation by the project's one rule (internal/spread.MeanSD: NaN values,
// runs that did not finish, are left out; SD 0 for one value) and every
// value, in seed order, NaN kept. N counts the values used.
type Spread struct {
	Mean   float64
	SD     float64
	N      int
	Values []float64
}

// NewSpread summarises v.
func NewSpread(v []float64) Spread {
	m, sd, n := spread.MeanSD(v)
	return Spread{Mean: m, SD: sd, N: n, Values: v}
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
