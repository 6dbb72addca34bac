package train

import (
	"context"
	"fmt"
	"math"

	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// recorder is what a run of the Loop keeps (optim.Recorder): the logged
// rows with their probes and test errors, the best iterate, the weights a
// WeightRecorder wants, the sign-agreement probe of logged updates
// (optim.UpdateRecorder), Loop.Observe, and the rows handed to
// Loop.Recorder. It evaluates the full training objective at the logged
// steps of a mini-batch run (whose steps see only batches) and at W^(T);
// a full-batch run's objective (fullObjective) shares its Net, so the
// probes read the activations of the step's own evaluation.
type recorder[T model.Float] struct {
	ctx  context.Context // the run's, for the test errors
	l    Loop
	o    runOpts
	res  *Result
	w0   []float64
	net  *model.Net[T]
	full bool
	g    []T // the full gradient, where the recorder evaluates it
	zbuf []T // the pre-activations in Probe's layout

	best   Best
	bestW  []T
	before []T     // W before a probed update
	lr     float64 // rate of the update being probed
	failed error   // the error Record or Update returned
}

func newRecorder[T model.Float](ctx context.Context, l Loop, res *Result, o runOpts, w0 []float64) *recorder[T] {
	r := &recorder[T]{ctx: ctx, l: l, o: o, res: res, w0: w0, net: model.NewNet[T](l.CNN, l.Train), full: l.full(),
		g: make([]T, len(w0)), bestW: make([]T, len(w0)), best: Best{Step: -1, GradNorm: math.Inf(1), Norm: o.norm}}
	if o.sign {
		r.before = make([]T, len(w0))
	}
	return r
}

func (r *recorder[T]) logged(t int) bool { return t%r.l.LogEvery == 0 || t == r.l.Steps }

// Record implements optim.Recorder.
func (r *recorder[T]) Record(t int, w []T, v optim.Value, lr float64) error {
	r.failed = r.record(t, w, v, lr)
	return r.failed
}

func (r *recorder[T]) record(t int, w []T, v optim.Value, lr float64) error {
	l, res := &r.l, r.res
	if l.Observe != nil {
		l.Observe(t, float64s(w))
	}
	last := t == l.Steps
	if !r.full && !r.logged(t) {
		return nil
	}
	if !r.full || last { // v is not the full objective at w
		v = valueOf(r.net.LossGrad(r.g, w))
		if bad := v.NonFinite(); bad != "" {
			return l.divergedError(res, r.o.spec, r.o.base, r.w0, t, bad)
		}
	}
	n := float64(l.Train.N())
	gn := v.GradL1
	if r.o.norm == optim.L2 {
		gn = math.Sqrt(v.GradL2Sq)
	}
	if gn < r.best.GradNorm {
		r.best.Step, r.best.GradNorm, r.best.TrainError = t, gn, float64(v.Errors)/n
		copy(r.bestW, w)
	}
	if !r.logged(t) {
		return nil
	}
	r.zbuf = r.net.PreActivations(r.zbuf)
	rec := Record{
		Optimizer: res.Optimizer, Step: t, Loss: v.Loss,
		TrainError: float64(v.Errors) / n, TestError: math.NaN(),
		Probes: Probe(l.CNN, w, r.zbuf, l.Train),
		GradL1: v.GradL1, GradL2Sq: v.GradL2Sq,
	}
	var tc model.ClassCount
	if last || (l.TestEvery > 0 && t%l.TestEvery == 0) {
		var err error
		if tc, err = model.ClassErrors(r.ctx, l.CNN, w, l.Test); err != nil {
			return fmt.Errorf("%s: stopped at step %d: %w", res.Optimizer, t, err)
		}
		rec.TestError = tc.Rate()
	}
	res.Records = append(res.Records, rec)
	if wr, ok := l.Recorder.(WeightRecorder); ok && wr.Want(t) {
		wr.Weights(res.Optimizer, t, float64s(w))
	}
	if last {
		res.FinalLoss, res.TrainError, res.TestError = v.Loss, rec.TrainError, rec.TestError
		res.TestErrorPos, res.TestErrorNeg = tc.PosRate(), tc.NegRate()
	}
	if r.WantUpdate(t) {
		copy(r.before, w)
		r.lr = lr
		return nil // emitted with its sign probe (Update)
	}
	return r.emit()
}

// WantUpdate implements optim.UpdateRecorder: the logged updates of an
// Adam-family run, whose sign-agreement probe reads the whole gradient.
func (r *recorder[T]) WantUpdate(t int) bool { return r.o.sign && r.logged(t) && t < r.l.Steps }

// Update implements optim.UpdateRecorder: the sign-agreement probe of the
// logged update, then the row goes to Loop.Recorder.
func (r *recorder[T]) Update(_ int, w, g []T) error {
	r.res.Records[len(r.res.Records)-1].Sign = MeasureSign(r.before, w, g, r.l.SignThreshold*r.lr)
	r.failed = r.emit()
	return r.failed
}

// emit hands the newest logged row to Loop.Recorder.
func (r *recorder[T]) emit() error {
	res := r.res
	if r.l.Recorder == nil || len(res.Records) == 0 {
		return nil
	}
	if err := r.l.Recorder.Record(res.Records[len(res.Records)-1]); err != nil {
		return fmt.Errorf("%s: recording step %d: %w", res.Optimizer, res.Records[len(res.Records)-1].Step, err)
	}
	return nil
}

// finish tests the best iterate, Theorem 4.1's output, once the run is
// complete.
func (r *recorder[T]) finish() error {
	bc, err := model.ClassErrors(r.ctx, r.l.CNN, r.bestW, r.l.Test)
	if err != nil {
		return fmt.Errorf("%s: stopped testing the best iterate: %w", r.res.Optimizer, err)
	}
	r.best.TestError, r.best.TestErrorPos, r.best.TestErrorNeg = bc.Rate(), bc.PosRate(), bc.NegRate()
	r.best.W = float64s(r.bestW)
	r.res.Best = r.best
	return nil
}
