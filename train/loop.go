package train

import (
	"context"
	"errors"
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
// and times it: optim.Minimize with the objective of the Loop (the full
// training loss, or the step's mini-batch loss) and its recorder. The
// Result's weights (W and Best.W) are float64, exactly the iterates for
// float32.
func start[T model.Float](ctx context.Context, l Loop, name string, w0 []float64, o runOpts, opt optim.Stepper[T]) (*Result, error) {
	begin := time.Now()
	res := &Result{Optimizer: name, TestError: math.NaN(), TestErrorPos: math.NaN(), TestErrorNeg: math.NaN()}
	w := make([]T, len(w0))
	for i, v := range w0 {
		w[i] = T(v)
	}
	rec := newRecorder[T](ctx, l, res, o, w0)
	var obj optim.Objective[T] = fullObjective[T]{rec.net}
	if l.full() {
		fastRoot(opt)
	} else {
		bo := &batchObjective[T]{net: model.NewNet[T](l.CNN, l.Train), cnn: l.CNN, batches: NewSampler(l.Sampling, l.Train.N(), l.BatchSize, l.Seed), t: -1}
		obj = bo
		// float32 takes rows only where the method steps from them
		// (Adam32): completing them costs more than the whole gradient's
		// fused decay.
		if _, rows := opt.(optim.RowStepper[T]); !l.Float32 || rows {
			obj = newRowObjective(bo, l.Train)
		}
	}
	err := optim.Minimize(ctx, obj, opt, w, optim.Settings[T]{Steps: l.Steps, LR: o.base, Schedule: o.sched, Recorder: rec})
	var de *optim.DivergedError
	switch {
	case err != nil && err == rec.failed: // already says what and where
	case errors.As(err, &de):
		what := de.What
		if !l.full() {
			what = "mini-batch " + what
		}
		err = l.divergedError(res, o.spec, o.base, w0, de.Step, what)
	case errors.Is(err, optim.ErrInvalid):
		err = fmt.Errorf("%w: %s: the optimizer has no SetLR, so schedule %s cannot apply", optim.ErrInvalid, name, o.spec.Schedule)
	case err != nil: // cancelled: "stopped at step t: …"
		err = fmt.Errorf("%s: %w", name, err)
	case err == nil:
		err = rec.finish()
	}
	res.W = float64s(w)
	res.Seconds = time.Since(begin).Seconds()
	res.Err = err
	return res, err
}

// fastRoot lets Adam and AdamW take √v by the kernel path's fastest
// route (optim.Adam.FastRoot) in a full-batch run, where every update is
// Step (StepRows keeps the exact root, so a mini-batch run leaves it off).
func fastRoot(opt any) {
	switch a := opt.(type) {
	case *optim.Adam:
		a.FastRoot = true
	case *optim.AdamW:
		a.FastRoot = true
	}
}

// full reports whether every step uses the full-batch gradient.
func (l Loop) full() bool { return l.BatchSize <= 0 || l.BatchSize >= l.Train.N() }

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
