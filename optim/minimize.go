package optim

import (
	"context"
	"fmt"
	"math"
)

// This file is the one training loop of the module, in the spirit of
// gonum's optimize.Minimize: an Objective (loss and gradient at W), a
// method (the Stepper, with its schedule) and a Recorder (what a run
// keeps) are separate pieces, and Minimize alone owns the order of a step:
// cancellation, evaluation, divergence check, learning rate, record,
// update. train.Loop (the paper's CNN), convex.Runner (the linear model)
// and convnet.Trainer (the MNIST network) each supply an Objective and a
// Recorder; their doc comments say where they differ.

// Objective is what a run minimises. Grad writes to g the gradient at w of
// step t's objective and returns its value: the whole training loss, or
// the loss of step t's mini-batch, in which case every call with the same
// t evaluates the same examples (an optimiser that looks at a second point,
// a Perturber, is given the gradient there on the same batch).
type Objective[T Float] interface {
	Grad(g, w []T, t int) Value
}

// A RowObjective can also give the gradient of step t's objective as a
// RowGrad: GradRows writes to g only the rows the step's data touch (the
// CNN's mini-batch), so that a RowStepper takes the step in one pass.
type RowObjective[T Float] interface {
	Objective[T]
	GradRows(g, w []T, t int) (Value, RowGrad)
}

// Value is an objective at an iterate.
type Value struct {
	Loss     float64
	GradL1   float64 // ‖∇L‖₁; 0 where not computed (a RowObjective's)
	GradL2Sq float64 // ‖∇L‖₂²; 0 where not computed
	Examples int     // examples the objective is over (0 where it does not say)
	Errors   int     // of those, the misclassified ones (0 where not counted)
}

// NonFinite names what in v is NaN or infinite ("loss is NaN", "gradient
// is infinite", …), or returns "" when all of it is finite.
func (v Value) NonFinite() string {
	switch {
	case math.IsNaN(v.Loss):
		return "loss is NaN"
	case math.IsInf(v.Loss, 0):
		return "loss is infinite"
	case math.IsNaN(v.GradL1) || math.IsNaN(v.GradL2Sq):
		return "gradient has NaN entries"
	case math.IsInf(v.GradL1, 0) || math.IsInf(v.GradL2Sq, 0):
		return "gradient is infinite"
	}
	return ""
}

// A Recorder is shown every iterate W^(t), t = 0, …, T, before the update
// that leaves from it: Record(t, w, v, lr), v being the objective of step t
// at w (its Grad) and lr the learning rate of the update W^(t) → W^(t+1).
// At t = T no update follows and the objective is not evaluated: v is the
// zero Value and lr is NaN; a recorder that reports W^(T) evaluates what it
// needs. w must not be modified or kept (copy what is kept). An error
// stops the run with that error.
type Recorder[T Float] interface {
	Record(t int, w []T, v Value, lr float64) error
}

// An UpdateRecorder is a Recorder that is also shown chosen updates: for
// the steps t < T where WantUpdate(t) is true, the step computes the whole
// gradient (no RowGrad step) and Update(t, w, g) is called after it with
// W^(t+1) and the gradient g that made it (the sign-agreement probe of
// train). w and g must not be modified or kept.
type UpdateRecorder[T Float] interface {
	Recorder[T]
	WantUpdate(t int) bool
	Update(t int, w, g []T) error
}

// Settings are what a run of Minimize adds to the objective and the
// method.
type Settings[T Float] struct {
	Steps int // T ≥ 0: the updates W^(0) → … → W^(T)
	// LR is the base learning rate η of Schedule; the method's rate is set
	// (LRSetter) to Schedule.LR(η, t, T) before update t. A nil Schedule
	// leaves the method's rate as it is.
	LR       float64
	Schedule Schedule
	Recorder Recorder[T] // nil: nothing recorded
}

// DivergedError is the error of a run whose objective (or, for a
// RowStepper, a gradient entry, found during the update) became NaN or
// infinite at step Step. It wraps ErrDiverged.
type DivergedError struct {
	Step  int
	What  string // "loss is NaN", "gradient has NaN or infinite entries", …
	Value Value  // the objective where it was evaluated
}

func (e *DivergedError) Error() string {
	return fmt.Sprintf("%v at step %d: the %s", ErrDiverged, e.Step, e.What)
}

// Unwrap returns ErrDiverged.
func (e *DivergedError) Unwrap() error { return ErrDiverged }

// Minimize trains w in place: for t = 0, …, T it stops with ctx's error
// once ctx is done ("stopped at step t: …"), evaluates the objective of
// step t at W^(t) (for t < T), stops on a NaN or infinite value
// (*DivergedError), sets the scheduled learning rate, shows the iterate to
// the recorder and takes the update: with a RowGrad in one pass when the
// method is a RowStepper and the objective a RowObjective (unless an
// UpdateRecorder wants the whole gradient), at a second point when it is
// a Perturber (SAM: the objective of the same step at Perturb's point),
// else Step. A RowObjective's gradient is always computed as rows, and
// completed (RowGrad.Fill) where the method needs it whole; the rows that a
// RowGrad's Gather describes are computed by the step (Adam's AVX-512
// path) or written just before it, so after the recorder has seen w, which
// it must not change. A schedule with a method that has no SetLR is an error
// wrapping ErrInvalid, before any step.
func Minimize[T Float](ctx context.Context, obj Objective[T], m Stepper[T], w []T, s Settings[T]) error {
	setter, ok := m.(LRSetter)
	if s.Schedule != nil && !ok {
		return fmt.Errorf("%w: the optimizer has no SetLR, so a schedule cannot apply", ErrInvalid)
	}
	rows, _ := m.(RowStepper[T])
	robj, _ := obj.(RowObjective[T])
	per, _ := m.(Perturber[T])
	ur, _ := s.Recorder.(UpdateRecorder[T])
	g := make([]T, len(w))
	var wp []T // a Perturber's point
	done := ctx.Done()
	lr := s.LR
	for t := 0; ; t++ {
		// Every step: a step of a large configuration can take a second.
		select {
		case <-done:
			return fmt.Errorf("stopped at step %d: %w", t, ctx.Err())
		default:
		}
		if t == s.Steps {
			if s.Recorder == nil {
				return nil
			}
			return s.Recorder.Record(t, w, Value{}, math.NaN())
		}
		whole := ur != nil && ur.WantUpdate(t)
		fused := rows != nil && robj != nil && per == nil && !whole
		v, rg, bad := grad(obj, robj, g, w, t, !fused)
		if bad != "" {
			return &DivergedError{Step: t, What: bad, Value: v}
		}
		if s.Schedule != nil {
			lr = s.Schedule.LR(s.LR, t, s.Steps)
		}
		if s.Recorder != nil {
			if err := s.Recorder.Record(t, w, v, lr); err != nil {
				return err
			}
		}
		if s.Schedule != nil {
			setter.SetLR(lr)
		}
		switch {
		case per != nil:
			if wp == nil {
				wp = make([]T, len(w))
			}
			per.Perturb(wp, w, g)
			if v, _, bad := grad(obj, robj, g, wp, t, true); bad != "" {
				return &DivergedError{Step: t, What: bad + " at the perturbed point", Value: v}
			}
			m.Step(w, g)
		case fused:
			if _, ok := m.(gatherStepper); !ok {
				rg = written(rg, g, w)
			}
			if !rows.StepRows(w, g, rg) {
				return &DivergedError{Step: t, What: "gradient has NaN or infinite entries", Value: v}
			}
		default:
			m.Step(w, g)
		}
		if whole {
			if err := ur.Update(t, w, g); err != nil {
				return err
			}
		}
	}
}

// grad evaluates step t's objective at w into g, as rows when obj is a
// RowObjective (robj), completed with RowGrad.Fill when whole is set (the
// method takes g whole), and names what is NaN or infinite, or "".
func grad[T Float](obj Objective[T], robj RowObjective[T], g, w []T, t int, whole bool) (Value, RowGrad, string) {
	if robj == nil {
		v := obj.Grad(g, w, t)
		return v, RowGrad{}, v.NonFinite()
	}
	v, rg := robj.GradRows(g, w, t)
	if bad := v.NonFinite(); bad != "" {
		return v, rg, bad
	}
	if whole && !fill(rg, g, w) {
		return v, rg, "gradient has NaN or infinite entries"
	}
	return v, rg, ""
}
