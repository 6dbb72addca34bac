package convex

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/optim"
)

// ErrDiverged is wrapped by the error of a run whose loss or gradient
// became NaN or infinite: optim.ErrDiverged, the one sentinel of every
// trainer.
var ErrDiverged = optim.ErrDiverged

// Runner trains optimisers on the linear model and measures each iterate
// against the minimiser WStar.
type Runner struct {
	Model    Linear
	Train    *data.Set
	Test     *data.Set
	Steps    int       // T ≥ 0
	LogEvery int       // trace cadence ≥ 1; steps 0 and T are always traced
	WStar    []float64 // the minimiser (Minimize); distances are relative to ‖w*‖
}

// Point is one traced iterate w^(Step).
type Point struct {
	Step   int
	LR     float64 // learning rate of the update w^(Step) → w^(Step+1) (NaN at T)
	Loss   float64
	GradL1 float64 // ‖∇L‖₁
	GradL2 float64 // ‖∇L‖₂
	Dist   float64 // ‖w − w*‖₂ / ‖w*‖₂
}

// Result is one optimiser's run.
type Result struct {
	Name       string
	Schedule   string // e.g. "cosine(min_lr=0)"
	LR         float64
	W          []float64 // last iterate w^(T)
	Trace      []Point
	Final      Point // the last iterate's point
	TrainError float64
	TestError  float64
	Seconds    float64
}

// Run trains from w0 (not modified) with the optimiser of spec and its
// learning-rate schedule: the rate of step t is spec.Schedule's rate at t
// of T, set through the optimiser's SetLR. An invalid spec is an error
// wrapping optim.ErrInvalid. A loss or gradient that becomes NaN or infinite
// stops the run with an error wrapping ErrDiverged; the result up to there
// is returned with it.
func (r Runner) Run(ctx context.Context, spec optim.Spec, w0 []float64) (*Result, error) {
	if err := r.Model.Validate(); err != nil {
		return nil, err
	}
	if r.Steps < 0 || r.LogEvery < 1 {
		return nil, fmt.Errorf("%w: steps=%d must be >= 0 and log_every=%d >= 1", ErrInvalid, r.Steps, r.LogEvery)
	}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	opt := spec.New()
	var (
		sched  optim.Schedule
		setter optim.LRSetter
	)
	if !spec.Schedule.IsConstant() {
		sched = spec.Schedule.New()
		var ok bool
		if setter, ok = opt.(optim.LRSetter); !ok {
			return nil, fmt.Errorf("%w: optimizer %s has no SetLR, so schedule %s cannot apply", optim.ErrInvalid, spec.Name, spec.Schedule)
		}
	}
	start := time.Now()
	name, base := spec.Name, spec.LR
	res := &Result{Name: name, LR: base, Schedule: spec.Schedule.String()}
	w := slices.Clone(w0)
	g := make([]float64, len(w))
	res.W = w
	starNorm := norm2(r.WStar)
	lr := base
	for t := 0; ; t++ {
		if t%256 == 0 {
			if err := ctx.Err(); err != nil {
				return res, fmt.Errorf("%s: stopped at step %d: %w", name, t, err)
			}
		}
		loss := r.Model.LossGrad(g, w, r.Train)
		if sched != nil && t < r.Steps {
			lr = sched.LR(base, t, r.Steps)
		}
		last := t == r.Steps
		if t%r.LogEvery == 0 || last {
			p := Point{Step: t, LR: lr, Loss: loss, GradL1: norm1(g), GradL2: norm2(g), Dist: dist(w, r.WStar) / starNorm}
			if last {
				p.LR = math.NaN()
			}
			res.Trace = append(res.Trace, p)
			if math.IsNaN(loss) || math.IsInf(loss, 0) || math.IsNaN(p.GradL1) || math.IsInf(p.GradL1, 0) {
				return res, fmt.Errorf("%w: %s: loss %v, ‖∇L‖₁ %v at step %d (learning rate too large?)", ErrDiverged, name, loss, p.GradL1, t)
			}
			if last {
				res.Final = p
				break
			}
		}
		if setter != nil {
			setter.SetLR(lr)
		}
		opt.Step(w, g)
	}
	res.TrainError = float64(r.Model.Errors(w, r.Train)) / float64(r.Train.N())
	res.TestError = float64(r.Model.Errors(w, r.Test)) / float64(r.Test.N())
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// Disagreement returns the fraction of the examples of set on which the
// linear models a and b predict different signs (a zero output counts as
// its own sign).
func (l Linear) Disagreement(a, b []float64, set *data.Set) float64 {
	l.check(a, set)
	l.check(b, set)
	diff := 0
	for i := range set.N() {
		if sign(l.Output(a, set, i)) != sign(l.Output(b, set, i)) {
			diff++
		}
	}
	return float64(diff) / float64(set.N())
}

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func norm1(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += math.Abs(x)
	}
	return s
}

func norm2(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

// dist returns ‖a − b‖₂.
func dist(a, b []float64) float64 {
	s := 0.0
	for i, x := range a {
		d := x - b[i]
		s += d * d
	}
	return math.Sqrt(s)
}

// RelDist returns ‖a − b‖₂ / ‖b‖₂; it panics if the lengths differ.
func RelDist(a, b []float64) float64 {
	if len(a) != len(b) {
		panic("convex: RelDist: lengths differ")
	}
	return dist(a, b) / norm2(b)
}
