package train

import (
	"context"
	"fmt"
	"math"
	"slices"
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
	W          []float64
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
	Best       Best
	Seconds    float64
	Err        error // nil for a complete run
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

	BatchSize int    // 0 or n: full batch; else examples per step, in [1, n)
	Seed      uint64 // seeds the batch order (stream BatchStream); unused for full batch

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
	return l.start(ctx, name, w0, runOpts{opt: opt, norm: norm})
}

// RunSpec trains from w0 (not modified) with the optimiser of spec and its
// learning-rate schedule, and logs the sign-agreement probe when the
// optimiser is of the Adam family (spec.SignLike). An invalid spec is an
// error wrapping optim.ErrInvalid.
func (l Loop) RunSpec(ctx context.Context, spec optim.Spec, w0 []float64) (*Result, error) {
	if err := spec.Validate(); err != nil {
		res := &Result{Optimizer: spec.Name, TestError: math.NaN(), Err: err}
		return res, err
	}
	if l.Float32 {
		return l.runSpec32(ctx, spec, w0)
	}
	o := runOpts{opt: spec.New(), norm: spec.Norm(), base: spec.LR, sign: spec.SignLike(), spec: &spec}
	if !spec.Schedule.IsConstant() {
		o.sched = spec.Schedule.New()
		var ok bool
		if o.setter, ok = o.opt.(optim.LRSetter); !ok {
			err := fmt.Errorf("%w: %s: the optimizer has no SetLR, so schedule %s cannot apply", optim.ErrInvalid, spec.Name, spec.Schedule)
			return &Result{Optimizer: spec.Name, TestError: math.NaN(), Err: err}, err
		}
	}
	return l.start(ctx, spec.Name, w0, o)
}

// runOpts is what one run adds to the Loop.
type runOpts struct {
	opt    optim.Optimizer
	norm   optim.Norm
	sched  optim.Schedule // nil: constant rate
	setter optim.LRSetter // opt, when sched is not nil
	base   float64        // base learning rate of sched and of the sign threshold
	sign   bool           // log the sign-agreement probe
	spec   *optim.Spec    // the optimiser's spec (RunSpec), for the divergence message; nil for Run
}

func (l Loop) start(ctx context.Context, name string, w0 []float64, o runOpts) (*Result, error) {
	start := time.Now()
	res := &Result{Optimizer: name, TestError: math.NaN()}
	err := l.run(ctx, res, o, w0)
	res.Seconds = time.Since(start).Seconds()
	res.Err = err
	return res, err
}

func (l Loop) run(ctx context.Context, res *Result, o runOpts, w0 []float64) error {
	ws := model.NewWorkspace(l.CNN, l.Train)
	n, nTest := float64(l.Train.N()), float64(l.Test.N())
	w := slices.Clone(w0)
	g := make([]float64, len(w)) // the gradient the optimiser is given
	res.W = w
	best := Best{Step: -1, GradNorm: math.Inf(1), Norm: o.norm, W: make([]float64, len(w))}

	full := l.BatchSize <= 0 || l.BatchSize >= l.Train.N()
	var (
		bw      *model.BatchWorkspace
		batches *Batches
		gFull   = g // the full gradient at logged steps
	)
	if !full {
		bw = model.NewBatchWorkspace(l.CNN, l.Train)
		batches = NewBatches(l.Train.N(), l.BatchSize, l.Seed)
		gFull = make([]float64, len(w))
	}
	var before []float64 // W before a logged update, for the sign probe
	if o.sign {
		before = make([]float64, len(w))
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
		last := t == l.Steps
		logged := t%l.LogEvery == 0 || last
		if full || logged {
			e := ws.LossGrad(gFull, w)
			if bad := diverged(e.Loss, e.GradL1, e.GradL2Sq); bad != "" {
				return l.divergedError(res, o.spec, o.base, w0, t, bad)
			}
			gn := e.GradL1
			if o.norm == optim.L2 {
				gn = math.Sqrt(e.GradL2Sq)
			}
			if gn < best.GradNorm {
				best.Step, best.GradNorm, best.TrainError = t, gn, float64(e.Errors)/n
				copy(best.W, w)
			}
			if logged {
				rec := Record{
					Optimizer: res.Optimizer, Step: t, Loss: e.Loss,
					TrainError: float64(e.Errors) / n, TestError: math.NaN(),
					Probes: Probe(l.CNN, w, ws.Z, l.Train),
					GradL1: e.GradL1, GradL2Sq: e.GradL2Sq,
				}
				if last || (l.TestEvery > 0 && t%l.TestEvery == 0) {
					errs, err := l.CNN.ErrorsContext(ctx, w, l.Test)
					if err != nil {
						return fmt.Errorf("%s: stopped at step %d: %w", res.Optimizer, t, err)
					}
					rec.TestError = float64(errs) / nTest
				}
				res.Records = append(res.Records, rec)
				if wr, ok := l.Recorder.(WeightRecorder); ok && wr.Want(t) {
					wr.Weights(res.Optimizer, t, w)
				}
				if last {
					res.FinalLoss, res.TrainError, res.TestError = e.Loss, rec.TrainError, rec.TestError
					if err := l.emit(res); err != nil {
						return err
					}
					break
				}
			}
		}
		var rows optim.RowGrad // the mini-batch gradient: g on rows.Rows, λw elsewhere
		if !full {
			bg := bw.LossGradRows(g, w, batches.Next())
			if bad := diverged(bg.DataLoss, 0, 0); bad != "" {
				return l.divergedError(res, o.spec, o.base, w0, t, "mini-batch "+bad)
			}
			rows = optim.RowGrad{Lambda: l.CNN.Lambda, Width: l.CNN.Width(), Rows: bg.Rows}
		}
		if o.sched != nil {
			lr = o.sched.LR(o.base, t, l.Steps)
			o.setter.SetLR(lr)
		}
		probe := o.sign && logged
		if probe {
			copy(before, w)
		}
		if full {
			o.opt.Step(w, g)
		} else if err := l.stepRows(res, o, w0, w, g, rows, t, probe); err != nil {
			return err
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
	errs, err := l.CNN.ErrorsContext(ctx, best.W, l.Test)
	if err != nil {
		return fmt.Errorf("%s: stopped testing the best iterate: %w", res.Optimizer, err)
	}
	best.TestError = float64(errs) / nTest
	res.Best = best
	return nil
}

// stepRows takes a mini-batch step: in one pass when the optimiser is an
// optim.RowStepper and g is not needed whole afterwards (probe: the sign
// probe reads it), else by completing g and calling Step. Either way the
// weights are the same bit for bit. A gradient entry that is NaN or
// infinite is divergence; from a RowStepper it is found during the update,
// so the weights the Result keeps are those after that step.
func (l Loop) stepRows(res *Result, o runOpts, w0, w, g []float64, rows optim.RowGrad, t int, probe bool) error {
	opt := o.opt
	var finite bool
	if rs, ok := opt.(optim.RowStepper); ok && !probe {
		finite = rs.StepRows(w, g, rows)
	} else if finite = rows.Fill(g, w); finite {
		opt.Step(w, g)
	}
	if !finite {
		return l.divergedError(res, o.spec, o.base, w0, t, "mini-batch gradient has NaN or infinite entries")
	}
	return nil
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
