package convex

import (
	"context"
	"errors"
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
	// Tail is the number K of last iterates w^(T−K+1), …, w^(T) whose
	// distance ‖w − w*‖₂ Result.Tail summarises (0: none; at most T+1).
	// Adam at a constant η does not stop at a point but orbits w*, so one
	// snapshot of the distance can swing widely; the tail's mean does not.
	Tail int
}

// Tail summarises ‖w_t − w*‖₂ (absolute, not relative) over the last K
// iterates of a run.
type Tail struct {
	K              int
	Mean, Min, Max float64
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
	Tail       Tail // over the Runner's last Tail iterates (K = 0: not measured)
}

// Run trains from w0 (not modified) with the optimiser of spec and its
// learning-rate schedule: the rate of step t is spec.Schedule's rate at t
// of T, set through the optimiser's SetLR. An invalid spec is an error
// wrapping optim.ErrInvalid. A loss or gradient that becomes NaN or infinite
// stops the run with an error wrapping ErrDiverged; the result up to there
// is returned with it.
//
// It is optim.Minimize on the full training loss (every step evaluates the
// whole set: the linear model's gradient costs O(n·s)) with a recorder of
// its own: the trace at the logged steps, the distance to w* at every step
// of the tail, and W^(T)'s point (evaluated there, as no update follows).
func (r Runner) Run(ctx context.Context, spec optim.Spec, w0 []float64) (*Result, error) {
	if err := r.Model.Validate(); err != nil {
		return nil, err
	}
	if r.Steps < 0 || r.LogEvery < 1 {
		return nil, fmt.Errorf("%w: steps=%d must be >= 0 and log_every=%d >= 1", ErrInvalid, r.Steps, r.LogEvery)
	}
	if r.Tail < 0 || r.Tail > r.Steps+1 {
		return nil, fmt.Errorf("%w: tail=%d must be in [0, steps+1=%d]", ErrInvalid, r.Tail, r.Steps+1)
	}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	var sched optim.Schedule
	if !spec.Schedule.IsConstant() {
		sched = spec.Schedule.New()
	}
	start := time.Now()
	name := spec.Name
	res := &Result{Name: name, LR: spec.LR, Schedule: spec.Schedule.String()}
	w := slices.Clone(w0)
	res.W = w
	obj := objective{r.Model, r.Train}
	rec := &recorder{r: r, res: res, obj: obj, g: make([]float64, len(w)), starNorm: norm2(r.WStar)}
	res.Tail = Tail{K: r.Tail, Mean: math.NaN(), Min: math.Inf(1), Max: math.Inf(-1)}
	err := optim.Minimize(ctx, obj, spec.New(), w, optim.Settings[float64]{Steps: r.Steps, LR: spec.LR, Schedule: sched, Recorder: rec})
	var de *optim.DivergedError
	switch {
	case errors.As(err, &de):
		return res, fmt.Errorf("%w: %s: loss %v, ‖∇L‖₁ %v at step %d (learning rate too large?)", ErrDiverged, name, de.Value.Loss, de.Value.GradL1, de.Step)
	case errors.Is(err, optim.ErrInvalid):
		return nil, fmt.Errorf("%w: optimizer %s has no SetLR, so schedule %s cannot apply", optim.ErrInvalid, name, spec.Schedule)
	case err != nil && err != rec.diverged:
		return res, fmt.Errorf("%s: %w", name, err)
	case err != nil:
		return res, err
	}
	res.TrainError = float64(r.Model.Errors(w, r.Train)) / float64(r.Train.N())
	res.TestError = float64(r.Model.Errors(w, r.Test)) / float64(r.Test.N())
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// objective is the linear model's training loss as optim.Minimize sees it.
type objective struct {
	model Linear
	set   *data.Set
}

// Grad implements optim.Objective.
func (o objective) Grad(g, w []float64, _ int) optim.Value {
	return optim.Value{Loss: o.model.LossGrad(g, w, o.set), GradL1: norm1(g), GradL2Sq: sqnorm(g)}
}

// recorder keeps a Run's trace and tail (optim.Recorder).
type recorder struct {
	r        Runner
	res      *Result
	obj      objective
	g        []float64 // the gradient at W^(T)
	starNorm float64
	tailSum  float64
	diverged error // the error of a NaN or infinite W^(T)
}

// Record implements optim.Recorder.
func (rc *recorder) Record(t int, w []float64, v optim.Value, lr float64) error {
	r, res := rc.r, rc.res
	last := t == r.Steps
	if last {
		v = rc.obj.Grad(rc.g, w, t)
		if v.NonFinite() != "" {
			rc.diverged = fmt.Errorf("%w: %s: loss %v, ‖∇L‖₁ %v at step %d (learning rate too large?)", ErrDiverged, res.Name, v.Loss, v.GradL1, t)
			return rc.diverged
		}
	}
	if t > r.Steps-r.Tail {
		d := dist(w, r.WStar)
		rc.tailSum += d
		res.Tail.Min, res.Tail.Max = min(res.Tail.Min, d), max(res.Tail.Max, d)
		if last {
			res.Tail.Mean = rc.tailSum / float64(r.Tail)
		}
	}
	if t%r.LogEvery == 0 || last {
		p := Point{Step: t, LR: lr, Loss: v.Loss, GradL1: v.GradL1, GradL2: math.Sqrt(v.GradL2Sq), Dist: dist(w, r.WStar) / rc.starNorm}
		res.Trace = append(res.Trace, p)
		if last {
			res.Final = p
		}
	}
	return nil
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

func norm2(v []float64) float64 { return math.Sqrt(sqnorm(v)) }

// sqnorm returns ‖v‖₂².
func sqnorm(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return s
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
