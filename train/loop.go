package train

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// ErrDiverged is wrapped by the error of a run whose loss or gradient
// became NaN or infinite: optim.ErrDiverged, the one sentinel of every
// trainer.
var ErrDiverged = optim.ErrDiverged

// Record is one logged row: the iterate W^(Step), before the update that
// makes W^(Step+1).
type Record struct {
	Optimizer  string
	Step       int
	Loss       float64
	TrainError float64
	TestError  float64 // NaN where the test set was not evaluated
	Probes
	GradL1   float64 // ‖∇L‖₁
	GradL2Sq float64 // ‖∇L‖²_F
	// Sign is Lemma A.2's probe of the update W^(Step) → W^(Step+1);
	// not measured on the last row or for optimisers outside the Adam
	// family.
	Sign SignAgreement
}

// Best is Theorem 4.1's output: the iterate with the smallest gradient norm
// among W^(0), …, W^(T).
type Best struct {
	Step       int
	GradNorm   float64 // in the optimiser's norm (ℓ₁ or ℓ₂)
	Norm       optim.Norm
	TrainError float64
	TestError  float64
	// TestErrorPos and TestErrorNeg are the test error on class +1 and on
	// class −1 (NaN when the test set has no example of the class).
	TestErrorPos, TestErrorNeg float64
	W                          []float64
}

// Result is what one run produced; a run that failed part way keeps what it
// logged until then.
type Result struct {
	Optimizer  string
	Records    []Record
	W          []float64 // last iterate W^(T)
	FinalLoss  float64
	TrainError float64 // of the last iterate
	TestError  float64 // of the last iterate
	// TestErrorPos and TestErrorNeg are the last iterate's test error on
	// class +1 and on class −1: a test error near ½ can be one class
	// learned and the other flipped (≈ 1 and ≈ 0) or chance on both.
	TestErrorPos, TestErrorNeg float64
	Best                       Best
	Seconds                    float64
	Err                        error // nil for a complete run
}

// Loop is one training configuration: a network, its data and the cadences.
//
// A step is one optimiser update. With BatchSize = 0 (or n) every step uses
// the full-batch gradient. With 1 ≤ BatchSize < n, step t uses the gradient
// of the mini-batch objective L_B (model.Net.BatchLossGrad) of the next batch
// of Batches (reshuffled every epoch from Seed); the logged rows still
// describe the full training objective, evaluated at the logged steps only,
// so the metrics of full-batch and mini-batch runs compare, and the best
// iterate (Theorem 4.1's output) is then chosen among the logged iterates.
type Loop struct {
	CNN       model.CNN
	Train     *data.Set
	Test      *data.Set
	Steps     int // T
	LogEvery  int // ≥ 1; steps 0 and T are always logged
	TestEvery int // 0: test error only at step T; else a multiple of LogEvery

	BatchSize int      // 0 or n: full batch; else examples per step, in [1, n)
	Seed      uint64   // seeds the batch order (stream BatchStream); unused for full batch
	Sampling  Sampling // how batches are drawn ("" or Epochs: reshuffled every epoch)

	// SignThreshold scales the threshold of the sign-agreement probe
	// (Lemma A.2), logged for Adam-family runs of RunSpec: coordinates with
	// |g| > SignThreshold·η_t count, η_t the step's learning rate. The lemma
	// says the sign of Adam's update matches the gradient's wherever
	// |g| ≳ η up to logarithmic factors; 0 counts every non-zero gradient.
	SignThreshold float64

	// Recorder, when not nil, is given every logged row as soon as it is
	// complete (after the update it probes), in step order; an error from
	// it stops the run with that error. Execute runs optimisers
	// concurrently, so a Recorder shared between runs must be safe for
	// concurrent use.
	Recorder Recorder

	// Observe, when not nil, is called with every iterate W^(t), t = 0, …,
	// T, before the update that makes W^(t+1); w must not be modified or
	// kept (copy what is needed). For probes that need the weights at every
	// step (theory's per-neuron flip of Lemma 5.3). Runs of Execute share
	// the Loop, so an Observe given to several runs must be safe for
	// concurrent use. A float32 run (Float32) shows a float64 copy.
	Observe func(t int, w []float64)

	// Float32 trains in float32 (PyTorch's default precision): weights,
	// gradient, optimiser state and activations are float32, losses and
	// norms float64 (model.Net[float32], optim.Stepper[float32]). Only RunSpec honours
	// it, for the optimisers with a float32 form (optim.Names32).
	Float32 bool
}

// A Recorder receives the logged rows of a run while it trains, as
// gonum/optimize's Recorder does for an optimisation: for live progress,
// streaming metrics to disk or to a browser.
type Recorder interface {
	Record(Record) error
}

// A WeightRecorder is a Recorder that is also shown the weights of logged
// rows: Weights(optimizer, step, w) is called with W^(step) (internal
// layout, see package model) before the update that follows it, for the
// steps where Want(step) is true, and before the row's Record (a float32
// run shows a float64 copy). w must not be retained or modified; copy what
// is kept.
type WeightRecorder interface {
	Recorder
	Want(step int) bool
	Weights(optimizer string, step int, w []float64)
}

// RecorderFunc adapts a function to a Recorder.
type RecorderFunc func(Record) error

// Record calls f(r).
func (f RecorderFunc) Record(r Record) error { return f(r) }

// emit hands the newest logged row to the Recorder.
func (l Loop) emit(res *Result) error {
	if l.Recorder == nil || len(res.Records) == 0 {
		return nil
	}
	if err := l.Recorder.Record(res.Records[len(res.Records)-1]); err != nil {
		return fmt.Errorf("%s: recording step %d: %w", res.Optimizer, res.Records[len(res.Records)-1].Step, err)
	}
	return nil
}

// Run trains from w0 (not modified) with opt at a constant learning rate,
// with the best iterate chosen by norm. It always returns a Result;
// Result.Err (also returned) says why a run stopped early: cancellation, or
// divergence naming the step and the quantity that became NaN or infinite.
func (l Loop) Run(ctx context.Context, name string, opt optim.Optimizer, norm optim.Norm, w0 []float64) (*Result, error) {
	return start(ctx, l, name, w0, runOpts{norm: norm}, opt)
}

// RunSpec trains from w0 (not modified) with the optimiser of spec and its
// learning-rate schedule, and logs the sign-agreement probe when the
// optimiser is of the Adam family (spec.SignLike). An invalid spec is an
// error wrapping optim.ErrInvalid.
func (l Loop) RunSpec(ctx context.Context, spec optim.Spec, w0 []float64) (*Result, error) {
	err := spec.Validate()
	if err == nil && l.Float32 {
		err = spec.Check32()
	}
	if err != nil {
		return &Result{Optimizer: spec.Name, TestError: math.NaN(), Err: err}, err
	}
	o := runOpts{norm: spec.Norm(), base: spec.LR, sign: spec.SignLike(), spec: &spec}
	if !spec.Schedule.IsConstant() {
		o.sched = spec.Schedule.New()
	}
	if l.Float32 {
		return start(ctx, l, spec.Name, w0, o, spec.New32())
	}
	return start(ctx, l, spec.Name, w0, o, spec.New())
}

// runOpts is what one run adds to the Loop, whatever its precision.
type runOpts struct {
	norm  optim.Norm
	sched optim.Schedule // nil: constant rate
	base  float64        // base learning rate of sched and of the sign threshold
	sign  bool           // log the sign-agreement probe
	spec  *optim.Spec    // the optimiser's spec (RunSpec), for the divergence message; nil for Run
}

// start runs the loop in precision T (Loop.Float32: float32, else float64)
// and times it. The Result's weights (W and Best.W) are float64, exactly the
// iterates for float32.
func start[T model.Float](ctx context.Context, l Loop, name string, w0 []float64, o runOpts, opt optim.Stepper[T]) (*Result, error) {
	begin := time.Now()
	res := &Result{Optimizer: name, TestError: math.NaN(), TestErrorPos: math.NaN(), TestErrorNeg: math.NaN()}
	p := &precision[T]{l: l, net: model.NewNet[T](l.CNN, l.Train), opt: opt}
	p.rows, _ = opt.(optim.RowStepper[T])
	p.perturb, _ = opt.(optim.Perturber[T])
	if !l.full() {
		p.bnet = model.NewNet[T](l.CNN, l.Train)
	}
	var err error
	if o.sched != nil {
		var ok bool
		if p.setter, ok = opt.(optim.LRSetter); !ok {
			err = fmt.Errorf("%w: %s: the optimizer has no SetLR, so schedule %s cannot apply", optim.ErrInvalid, name, o.spec.Schedule)
		}
	}
	if err == nil {
		err = run(ctx, l, res, o, p, w0)
	}
	res.Seconds = time.Since(begin).Seconds()
	res.Err = err
	return res, err
}

// full reports whether every step uses the full-batch gradient.
func (l Loop) full() bool { return l.BatchSize <= 0 || l.BatchSize >= l.Train.N() }

// precision is what the loop needs of the model and the optimiser in one
// floating-point type T: float64 or float32 (Loop.Float32). Both log the
// same rows from the same loop.
type precision[T model.Float] struct {
	l      Loop
	net    *model.Net[T] // the full batch; keeps its activations for the probes
	bnet   *model.Net[T] // the mini-batch's activations (nil for full batch)
	opt    optim.Stepper[T]
	rows   optim.RowStepper[T] // opt, when it steps from the rows of a mini-batch gradient
	setter optim.LRSetter      // opt, when a schedule sets its rate
	zbuf   []T                 // the pre-activations in Probe's layout, at logged steps
	last   []int32             // the rows of the last mini-batch gradient (rows != nil)

	perturb optim.Perturber[T] // opt, when its step takes a second gradient (SAM)
	batch   []int32            // the last mini-batch (perturb evaluates it again)
	wp      []T                // perturb's point
}

// run is the training loop of every precision.
func run[T model.Float](ctx context.Context, l Loop, res *Result, o runOpts, p *precision[T], w0 []float64) error {
	n := float64(l.Train.N())
	w := make([]T, len(w0))
	for i, v := range w0 {
		w[i] = T(v)
	}
	g := make([]T, len(w)) // the gradient the optimiser is given
	defer func() { res.W = float64s(w) }()
	bestW := make([]T, len(w))
	best := Best{Step: -1, GradNorm: math.Inf(1), Norm: o.norm}

	full := l.full()
	var (
		batches Sampler
		gFull   = g // the full gradient at logged steps
	)
	if !full {
		batches = NewSampler(l.Sampling, l.Train.N(), l.BatchSize, l.Seed)
		gFull = make([]T, len(w))
	}
	var before []T // W before a logged update, for the sign probe
	if o.sign {
		before = make([]T, len(w))
	}
	lr := o.base
	done := ctx.Done()

	for t := 0; ; t++ {
		// Every step: a step of a large configuration can take a second.
		select {
		case <-done:
			return fmt.Errorf("%s: stopped at step %d: %w", res.Optimizer, t, ctx.Err())
		default:
		}
		if l.Observe != nil {
			l.Observe(t, float64s(w))
		}
		last := t == l.Steps
		logged := t%l.LogEvery == 0 || last
		if full || logged {
			e := p.net.LossGrad(gFull, w)
			if bad := diverged(e.Loss, e.GradL1, e.GradL2Sq); bad != "" {
				return l.divergedError(res, o.spec, o.base, w0, t, bad)
			}
			gn := e.GradL1
			if o.norm == optim.L2 {
				gn = math.Sqrt(e.GradL2Sq)
			}
			if gn < best.GradNorm {
				best.Step, best.GradNorm, best.TrainError = t, gn, float64(e.Errors)/n
				copy(bestW, w)
			}
			if logged {
				p.zbuf = p.net.PreActivations(p.zbuf)
				rec := Record{
					Optimizer: res.Optimizer, Step: t, Loss: e.Loss,
					TrainError: float64(e.Errors) / n, TestError: math.NaN(),
					Probes: Probe(l.CNN, w, p.zbuf, l.Train),
					GradL1: e.GradL1, GradL2Sq: e.GradL2Sq,
				}
				var tc model.ClassCount
				if last || (l.TestEvery > 0 && t%l.TestEvery == 0) {
					var err error
					tc, err = model.ClassErrors(ctx, l.CNN, w, l.Test)
					if err != nil {
						return fmt.Errorf("%s: stopped at step %d: %w", res.Optimizer, t, err)
					}
					rec.TestError = tc.Rate()
				}
				res.Records = append(res.Records, rec)
				if wr, ok := l.Recorder.(WeightRecorder); ok && wr.Want(t) {
					wr.Weights(res.Optimizer, t, float64s(w))
				}
				if last {
					res.FinalLoss, res.TrainError, res.TestError = e.Loss, rec.TrainError, rec.TestError
					res.TestErrorPos, res.TestErrorNeg = tc.PosRate(), tc.NegRate()
					if err := l.emit(res); err != nil {
						return err
					}
					break
				}
			}
		}
		probe := o.sign && logged
		if !full {
			if bad := p.batchGrad(g, w, batches.Next(), probe); bad != "" {
				return l.divergedError(res, o.spec, o.base, w0, t, "mini-batch "+bad)
			}
		}
		if o.sched != nil {
			lr = o.sched.LR(o.base, t, l.Steps)
			p.setter.SetLR(lr)
		}
		if probe {
			copy(before, w)
		}
		if !p.step(w, g, full) {
			return l.divergedError(res, o.spec, o.base, w0, t, "mini-batch gradient has NaN or infinite entries")
		}
		if probe {
			res.Records[len(res.Records)-1].Sign = MeasureSign(before, w, g, l.SignThreshold*lr)
		}
		if logged {
			if err := l.emit(res); err != nil {
				return err
			}
		}
	}
	bc, err := model.ClassErrors(ctx, l.CNN, bestW, l.Test)
	if err != nil {
		return fmt.Errorf("%s: stopped testing the best iterate: %w", res.Optimizer, err)
	}
	best.TestError, best.TestErrorPos, best.TestErrorNeg = bc.Rate(), bc.PosRate(), bc.NegRate()
	best.W = float64s(bestW)
	res.Best = best
	return nil
}

// batchGrad evaluates the mini-batch gradient of batch at w: only the rows
// the batch touches (model.Net.BatchLossGradRows) when the optimiser steps
// from them (optim.RowStepper) and g is not needed whole afterwards (keepG:
// the sign probe reads it), else the whole of it into g. It returns what
// became NaN or infinite, or "".
func (p *precision[T]) batchGrad(g, w []T, batch []int32, keepG bool) string {
	p.batch = batch
	if p.rows != nil && !keepG {
		bg := p.bnet.BatchLossGradRows(g, w, batch)
		p.last = bg.Rows
		return diverged(bg.DataLoss, 0, 0)
	}
	p.last = nil
	e := p.bnet.BatchLossGrad(g, w, batch)
	return diverged(e.Loss, e.GradL1, e.GradL2Sq)
}

// step updates w in place with the full-batch gradient g (full) or the
// last batchGrad's: in one pass from its rows when it computed only those,
// else with Step. Either way the weights are the same bit for bit. A
// gradient entry that is NaN or infinite is divergence; from a RowStepper
// it is found during the update, so the weights the Result keeps are those
// after that step.
func (p *precision[T]) step(w, g []T, full bool) bool {
	if p.perturb != nil {
		return p.perturbedStep(w, g, full)
	}
	if !full && p.last != nil {
		return p.rows.StepRows(w, g, optim.RowGrad{Lambda: p.l.CNN.Lambda, Width: p.l.CNN.Width(), Rows: p.last})
	}
	p.opt.Step(w, g)
	return true
}

// perturbedStep is the step of an optim.Perturber (SAM): from the
// gradient g at w (full batch, or the last mini-batch's), the point wp it
// names, the gradient there on the same examples (a second evaluation),
// and the step with it. It returns false when the second gradient has NaN
// or infinite entries. g then holds the gradient at wp.
func (p *precision[T]) perturbedStep(w, g []T, full bool) bool {
	if len(p.wp) != len(w) {
		p.wp = make([]T, len(w))
	}
	p.perturb.Perturb(p.wp, w, g)
	var e model.Eval
	if full {
		e = p.net.LossGrad(g, p.wp)
	} else {
		e = p.bnet.BatchLossGrad(g, p.wp, p.batch)
	}
	if diverged(e.Loss, e.GradL1, e.GradL2Sq) != "" {
		return false
	}
	p.perturb.Step(w, g)
	return true
}

// float64s returns w as float64: w itself for float64, else a copy
// (exact).
func float64s[T model.Float](w []T) []float64 {
	if v, ok := any(w).([]float64); ok {
		return v
	}
	out := make([]float64, len(w))
	for i, v := range w {
		out[i] = float64(v)
	}
	return out
}

func diverged(loss, l1, l2sq float64) string {
	switch {
	case math.IsNaN(loss):
		return "loss is NaN"
	case math.IsInf(loss, 0):
		return "loss is infinite"
	case math.IsNaN(l1) || math.IsNaN(l2sq):
		return "gradient has NaN entries"
	case math.IsInf(l1, 0) || math.IsInf(l2sq, 0):
		return "gradient is infinite"
	}
	return ""
}
