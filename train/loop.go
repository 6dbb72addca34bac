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
// of the mini-batch objective L_B (model.BatchWorkspace) of the next batch
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
	// concurrent use. The float32 path (Float32) does not call it.
	Observe func(t int, w []float64)

	// Float32 trains in float32 (PyTorch's default precision): weights,
	// gradient, optimiser state and activations are float32, losses and
	// norms float64 (model.Net, optim.Optimizer32). Only RunSpec honours
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
	return l.start(ctx, name, w0, runOpts{norm: norm}, opt)
}

// RunSpec trains from w0 (not modified) with the optimiser of spec and its
// learning-rate schedule, and logs the sign-agreement probe when the
// optimiser is of the Adam family (spec.SignLike). An invalid spec is an
// error wrapping optim.ErrInvalid.
func (l Loop) RunSpec(ctx context.Context, spec optim.Spec, w0 []float64) (*Result, error) {
	fail := func(err error) (*Result, error) {
		return &Result{Optimizer: spec.Name, TestError: math.NaN(), Err: err}, err
	}
	if err := spec.Validate(); err != nil {
		return fail(err)
	}
	if l.Float32 {
		if err := spec.Check32(); err != nil {
			return fail(err)
		}
	}
	o := runOpts{norm: spec.Norm(), base: spec.LR, sign: spec.SignLike(), spec: &spec}
	var opt any
	if l.Float32 {
		opt = spec.New32()
	} else {
		opt = spec.New()
	}
	if !spec.Schedule.IsConstant() {
		o.sched = spec.Schedule.New()
		var ok bool
		if o.setter, ok = opt.(optim.LRSetter); !ok {
			return fail(fmt.Errorf("%w: %s: the optimizer has no SetLR, so schedule %s cannot apply", optim.ErrInvalid, spec.Name, spec.Schedule))
		}
	}
	if l.Float32 {
		return l.start32(ctx, spec.Name, w0, o, opt.(optim.Optimizer32))
	}
	return l.start(ctx, spec.Name, w0, o, opt.(optim.Optimizer))
}

// runOpts is what one run adds to the Loop, whatever its precision.
type runOpts struct {
	norm   optim.Norm
	sched  optim.Schedule // nil: constant rate
	setter optim.LRSetter // the optimiser, when sched is not nil
	base   float64        // base learning rate of sched and of the sign threshold
	sign   bool           // log the sign-agreement probe
	spec   *optim.Spec    // the optimiser's spec (RunSpec), for the divergence message; nil for Run
}

// start runs the float64 loop.
func (l Loop) start(ctx context.Context, name string, w0 []float64, o runOpts, opt optim.Optimizer) (*Result, error) {
	p := &precision64{l: l, ws: model.NewWorkspace(l.CNN, l.Train), opt: opt}
	if !l.full() {
		p.bw = model.NewBatchWorkspace(l.CNN, l.Train)
	}
	return timed(ctx, l, name, w0, o, p)
}

// timed runs the loop in p's precision and times it.
func timed[T model.Float](ctx context.Context, l Loop, name string, w0 []float64, o runOpts, p precision[T]) (*Result, error) {
	start := time.Now()
	res := &Result{Optimizer: name, TestError: math.NaN(), TestErrorPos: math.NaN(), TestErrorNeg: math.NaN()}
	err := run(ctx, l, res, o, p, w0)
	res.Seconds = time.Since(start).Seconds()
	res.Err = err
	return res, err
}

// full reports whether every step uses the full-batch gradient.
func (l Loop) full() bool { return l.BatchSize <= 0 || l.BatchSize >= l.Train.N() }

// A precision is what the loop needs of the model and the optimiser in one
// floating-point type T: float64 (precision64) or float32 (precision32).
// Both log the same rows from the same loop.
type precision[T model.Float] interface {
	// lossGrad evaluates the full training objective at w and its gradient
	// into g, keeping the activations for probes.
	lossGrad(g, w []T) model.Eval
	// probes measures the probes of w from the last lossGrad's activations.
	probes(w []T) Probes
	// classErrors counts the errors of w on the test set.
	classErrors(ctx context.Context, w []T) (model.ClassCount, error)
	// batchGrad evaluates the mini-batch gradient of batch at w, into g
	// or kept for step; it returns what became NaN or infinite, or "".
	batchGrad(g, w []T, batch []int32) string
	// step updates w in place with the full-batch gradient g (full) or
	// the last batchGrad's; keepG: g must then hold that whole gradient
	// (the sign probe reads it). It returns false when the mini-batch
	// gradient has NaN or infinite entries.
	step(w, g []T, full, keepG bool) bool
	// observe calls Loop.Observe, where the precision supports it.
	observe(t int, w []T)
	// wide returns w as float64: w itself for float64, else a copy.
	wide(w []T) []float64
}

// run is the training loop of every precision.
func run[T model.Float](ctx context.Context, l Loop, res *Result, o runOpts, p precision[T], w0 []float64) error {
	n := float64(l.Train.N())
	w := make([]T, len(w0))
	for i, v := range w0 {
		w[i] = T(v)
	}
	g := make([]T, len(w)) // the gradient the optimiser is given
	defer func() { res.W = p.wide(w) }()
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
		p.observe(t, w)
		last := t == l.Steps
		logged := t%l.LogEvery == 0 || last
		if full || logged {
			e := p.lossGrad(gFull, w)
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
				rec := Record{
					Optimizer: res.Optimizer, Step: t, Loss: e.Loss,
					TrainError: float64(e.Errors) / n, TestError: math.NaN(),
					Probes: p.probes(w),
					GradL1: e.GradL1, GradL2Sq: e.GradL2Sq,
				}
				var tc model.ClassCount
				if last || (l.TestEvery > 0 && t%l.TestEvery == 0) {
					var err error
					tc, err = p.classErrors(ctx, w)
					if err != nil {
						return fmt.Errorf("%s: stopped at step %d: %w", res.Optimizer, t, err)
					}
					rec.TestError = tc.Rate()
				}
				res.Records = append(res.Records, rec)
				if wr, ok := l.Recorder.(WeightRecorder); ok && wr.Want(t) {
					wr.Weights(res.Optimizer, t, p.wide(w))
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
		if !full {
			if bad := p.batchGrad(g, w, batches.Next()); bad != "" {
				return l.divergedError(res, o.spec, o.base, w0, t, "mini-batch "+bad)
			}
		}
		if o.sched != nil {
			lr = o.sched.LR(o.base, t, l.Steps)
			o.setter.SetLR(lr)
		}
		probe := o.sign && logged
		if probe {
			copy(before, w)
		}
		if !p.step(w, g, full, probe) {
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
	bc, err := p.classErrors(ctx, bestW)
	if err != nil {
		return fmt.Errorf("%s: stopped testing the best iterate: %w", res.Optimizer, err)
	}
	best.TestError, best.TestErrorPos, best.TestErrorNeg = bc.Rate(), bc.PosRate(), bc.NegRate()
	best.W = p.wide(bestW)
	res.Best = best
	return nil
}

// precision64 is the float64 precision: model.Workspace and
// model.BatchWorkspace, optim.Optimizer.
type precision64 struct {
	l    Loop
	ws   *model.Workspace
	bw   *model.BatchWorkspace // nil for full batch
	opt  optim.Optimizer
	rows optim.RowGrad // the last mini-batch gradient: g on rows.Rows, λw elsewhere

	batch []int32   // the last mini-batch (an optim.Perturber evaluates it again)
	wp    []float64 // an optim.Perturber's point
}

func (p *precision64) lossGrad(g, w []float64) model.Eval { return p.ws.LossGrad(g, w) }

func (p *precision64) probes(w []float64) Probes { return Probe(p.l.CNN, w, p.ws.Z, p.l.Train) }

func (p *precision64) classErrors(ctx context.Context, w []float64) (model.ClassCount, error) {
	return p.l.CNN.ClassErrorsContext(ctx, w, p.l.Test)
}

func (p *precision64) batchGrad(g, w []float64, batch []int32) string {
	bg := p.bw.LossGradRows(g, w, batch)
	p.rows = optim.RowGrad{Lambda: p.l.CNN.Lambda, Width: p.l.CNN.Width(), Rows: bg.Rows}
	p.batch = batch
	return diverged(bg.DataLoss, 0, 0)
}

// step takes a mini-batch step in one pass when the optimiser is an
// optim.RowStepper and g is not needed whole afterwards, else by completing
// g and calling Step. Either way the weights are the same bit for bit. A
// gradient entry that is NaN or infinite is divergence; from a RowStepper
// it is found during the update, so the weights the Result keeps are those
// after that step.
func (p *precision64) step(w, g []float64, full, keepG bool) bool {
	if o, ok := p.opt.(optim.Perturber); ok {
		return p.perturbedStep(o, w, g, full)
	}
	if full {
		p.opt.Step(w, g)
		return true
	}
	if rs, ok := p.opt.(optim.RowStepper); ok && !keepG {
		return rs.StepRows(w, g, p.rows)
	}
	if !p.rows.Fill(g, w) {
		return false
	}
	p.opt.Step(w, g)
	return true
}

// perturbedStep is the step of an optim.Perturber (SAM): from the
// gradient g at w (full batch, or the last mini-batch's, completed), the
// point wp it names, the gradient there on the same examples (a second
// evaluation), and the step with it. It returns false when either
// gradient has NaN or infinite entries. g then holds the gradient at wp.
func (p *precision64) perturbedStep(o optim.Perturber, w, g []float64, full bool) bool {
	if !full && !p.rows.Fill(g, w) {
		return false
	}
	if len(p.wp) != len(w) {
		p.wp = make([]float64, len(w))
	}
	o.Perturb(p.wp, w, g)
	if full {
		if e := p.ws.LossGrad(g, p.wp); diverged(e.Loss, e.GradL1, e.GradL2Sq) != "" {
			return false
		}
	} else {
		bg := p.bw.LossGradRows(g, p.wp, p.batch)
		rows := optim.RowGrad{Lambda: p.l.CNN.Lambda, Width: p.l.CNN.Width(), Rows: bg.Rows}
		if diverged(bg.DataLoss, 0, 0) != "" || !rows.Fill(g, p.wp) {
			return false
		}
	}
	o.Step(w, g)
	return true
}

func (p *precision64) observe(t int, w []float64) {
	if p.l.Observe != nil {
		p.l.Observe(t, w)
	}
}

func (p *precision64) wide(w []float64) []float64 { return w }

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
