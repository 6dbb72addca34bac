package train

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// runSpec32 is RunSpec in float32 (Loop.Float32): weights, gradient,
// optimiser state and activations are float32 (model.Net[float32],
// optim.Optimizer32), losses and norms float64. The Result's weights (W and
// Best.W) are the float32 iterates converted to float64, exactly.
func (l Loop) runSpec32(ctx context.Context, spec optim.Spec, w0 []float64) (*Result, error) {
	fail := func(err error) (*Result, error) {
		return &Result{Optimizer: spec.Name, TestError: math.NaN(), Err: err}, err
	}
	if err := spec.Check32(); err != nil {
		return fail(err)
	}
	o := run32Opts{opt: spec.New32(), norm: spec.Norm(), base: spec.LR, sign: spec.SignLike(), spec: &spec}
	if !spec.Schedule.IsConstant() {
		o.sched = spec.Schedule.New()
		// Every float32 optimiser has SetLR.
		o.setter = o.opt.(optim.LRSetter)
	}
	res := &Result{Optimizer: spec.Name, TestError: math.NaN()}
	start := time.Now()
	res.Err = l.run32(ctx, res, o, w0)
	res.Seconds = time.Since(start).Seconds()
	return res, res.Err
}

type run32Opts struct {
	opt    optim.Optimizer32
	norm   optim.Norm
	sched  optim.Schedule
	setter optim.LRSetter
	base   float64
	sign   bool
	spec   *optim.Spec // for the divergence message
}

// run32 is Loop.run in float32; the two must log the same rows.
func (l Loop) run32(ctx context.Context, res *Result, o run32Opts, w0 []float64) error {
	net := model.NewNet[float32](l.CNN, l.Train)
	n, nTest := float64(l.Train.N()), float64(l.Test.N())
	w := make([]float32, len(w0))
	for i, v := range w0 {
		w[i] = float32(v)
	}
	g := make([]float32, len(w))
	bestW := make([]float32, len(w))
	best := Best{Step: -1, GradNorm: math.Inf(1), Norm: o.norm}
	defer func() { res.W = widen(w) }()

	full := l.BatchSize <= 0 || l.BatchSize >= l.Train.N()
	var (
		batches *Batches
		bnet    *model.Net[float32] // the mini-batch's activations; net keeps the full batch's for the probes
		gFull   = g
	)
	if !full {
		batches = NewBatches(l.Train.N(), l.BatchSize, l.Seed)
		bnet = model.NewNet[float32](l.CNN, l.Train)
		gFull = make([]float32, len(w))
	}
	var zbuf []float32 // the pre-activations in Probe's layout, at logged steps
	var before []float32
	if o.sign {
		before = make([]float32, len(w))
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
			e := net.LossGrad(gFull, w)
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
				zbuf = net.PreActivations(zbuf)
				rec := Record{
					Optimizer: res.Optimizer, Step: t, Loss: e.Loss,
					TrainError: float64(e.Errors) / n, TestError: math.NaN(),
					Probes: Probe(l.CNN, w, zbuf, l.Train),
					GradL1: e.GradL1, GradL2Sq: e.GradL2Sq,
				}
				if last || (l.TestEvery > 0 && t%l.TestEvery == 0) {
					rec.TestError = float64(model.ErrorsOf(l.CNN, w, l.Test)) / nTest
				}
				res.Records = append(res.Records, rec)
				if wr, ok := l.Recorder.(WeightRecorder); ok && wr.Want(t) {
					wr.Weights(res.Optimizer, t, widen(w))
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
		if !full {
			e := bnet.BatchLossGrad(g, w, batches.Next())
			if bad := diverged(e.Loss, e.GradL1, e.GradL2Sq); bad != "" {
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
		o.opt.Step32(w, g)
		if probe {
			res.Records[len(res.Records)-1].Sign = MeasureSign(before, w, g, l.SignThreshold*lr)
		}
		if logged {
			if err := l.emit(res); err != nil {
				return err
			}
		}
	}
	best.TestError = float64(model.ErrorsOf(l.CNN, bestW, l.Test)) / nTest
	best.W = widen(bestW)
	res.Best = best
	return nil
}

// widen returns w converted to float64 (exactly).
func widen(w []float32) []float64 {
	out := make([]float64, len(w))
	for i, v := range w {
		out[i] = float64(v)
	}
	return out
}
