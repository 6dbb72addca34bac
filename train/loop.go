package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// ErrDiverged is wrapped by the error of a run whose loss or gradient
// became NaN or infinite.
var ErrDiverged = errors.New("diverged")

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
type Loop struct {
	CNN       model.CNN
	Train     *data.Set
	Test      *data.Set
	Steps     int // T
	LogEvery  int // ≥ 1; steps 0 and T are always logged
	TestEvery int // 0: test error only at step T; else a multiple of LogEvery
}

// Run trains from w0 (not modified) with opt, whose best iterate is chosen
// by norm. It always returns a Result; Result.Err (also returned) says why a
// run stopped early: cancellation, or divergence naming the step and the
// quantity that became NaN or infinite.
func (l Loop) Run(ctx context.Context, name string, opt optim.Optimizer, norm optim.Norm, w0 []float64) (*Result, error) {
	start := time.Now()
	res := &Result{Optimizer: name, TestError: math.NaN()}
	err := l.run(ctx, res, opt, norm, w0)
	res.Seconds = time.Since(start).Seconds()
	res.Err = err
	return res, err
}

func (l Loop) run(ctx context.Context, res *Result, opt optim.Optimizer, norm optim.Norm, w0 []float64) error {
	ws := model.NewWorkspace(l.CNN, l.Train)
	n, nTest := float64(l.Train.N()), float64(l.Test.N())
	w := slices.Clone(w0)
	g := make([]float64, len(w))
	res.W = w
	best := Best{Step: -1, GradNorm: math.Inf(1), Norm: norm, W: make([]float64, len(w))}
	for t := 0; ; t++ {
		if t%64 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("%s: stopped at step %d: %w", res.Optimizer, t, err)
			}
		}
		e := ws.LossGrad(g, w)
		l1, l2sq := norms(g)
		if bad := diverged(e.Loss, l1, l2sq); bad != "" {
			return fmt.Errorf("%w: %s: at step %d the %s (learning rate too large?); %d logged rows kept",
				ErrDiverged, res.Optimizer, t, bad, len(res.Records))
		}
		gn := l1
		if norm == optim.L2 {
			gn = math.Sqrt(l2sq)
		}
		if gn < best.GradNorm {
			best.Step, best.GradNorm, best.TrainError = t, gn, float64(e.Errors)/n
			copy(best.W, w)
		}
		last := t == l.Steps
		if t%l.LogEvery == 0 || last {
			rec := Record{
				Optimizer: res.Optimizer, Step: t, Loss: e.Loss,
				TrainError: float64(e.Errors) / n, TestError: math.NaN(),
				Probes: Probe(l.CNN, w, ws.Z, l.Train),
				GradL1: l1, GradL2Sq: l2sq,
			}
			if last || (l.TestEvery > 0 && t%l.TestEvery == 0) {
				rec.TestError = float64(l.CNN.Errors(w, l.Test)) / nTest
			}
			res.Records = append(res.Records, rec)
			if last {
				res.FinalLoss, res.TrainError, res.TestError = e.Loss, rec.TrainError, rec.TestError
				break
			}
		}
		opt.Step(w, g)
	}
	best.TestError = float64(l.CNN.Errors(best.W, l.Test)) / nTest
	res.Best = best
	return nil
}

// norms returns ‖g‖₁ and ‖g‖₂².
func norms(g []float64) (l1, l2sq float64) {
	for _, v := range g {
		l1 += math.Abs(v)
		l2sq += v * v
	}
	return l1, l2sq
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
