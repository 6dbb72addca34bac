package train

import (
	"context"

	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// start32 is start in float32 (Loop.Float32): weights, gradient, optimiser
// state and activations are float32 (model.Net[float32],
// optim.Optimizer32), losses and norms float64. The Result's weights (W and
// Best.W) are the float32 iterates converted to float64, exactly.
func (l Loop) start32(ctx context.Context, name string, w0 []float64, o runOpts, opt optim.Optimizer32) (*Result, error) {
	p := &precision32{l: l, net: model.NewNet[float32](l.CNN, l.Train), opt: opt}
	if !l.full() {
		p.bnet = model.NewNet[float32](l.CNN, l.Train)
	}
	return timed(ctx, l, name, w0, o, p)
}

// precision32 is the float32 precision: model.Net[float32] and
// optim.Optimizer32. A mini-batch step evaluates the whole mini-batch
// gradient (Net.BatchLossGrad) and then steps, rather than the one pass of
// precision64's RowStepper.
type precision32 struct {
	l    Loop
	net  *model.Net[float32]
	bnet *model.Net[float32] // the mini-batch's activations; net keeps the full batch's for the probes
	opt  optim.Optimizer32
	zbuf []float32 // the pre-activations in Probe's layout, at logged steps
}

func (p *precision32) lossGrad(g, w []float32) model.Eval { return p.net.LossGrad(g, w) }

func (p *precision32) probes(w []float32) Probes {
	p.zbuf = p.net.PreActivations(p.zbuf)
	return Probe(p.l.CNN, w, p.zbuf, p.l.Train)
}

func (p *precision32) classErrors(_ context.Context, w []float32) (model.ClassCount, error) {
	return model.ClassErrorsOf(p.l.CNN, w, p.l.Test), nil
}

func (p *precision32) batchGrad(g, w []float32, batch []int32) string {
	e := p.bnet.BatchLossGrad(g, w, batch)
	return diverged(e.Loss, e.GradL1, e.GradL2Sq)
}

func (p *precision32) step(w, g []float32, _, _ bool) bool {
	p.opt.Step32(w, g)
	return true
}

// observe does nothing: the float32 path does not call Loop.Observe.
func (p *precision32) observe(int, []float32) {}

func (p *precision32) wide(w []float32) []float64 { return widen(w) }

// widen returns w converted to float64 (exactly).
func widen(w []float32) []float64 {
	out := make([]float64, len(w))
	for i, v := range w {
		out[i] = float64(v)
	}
	return out
}
