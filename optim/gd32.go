package optim

import "github.com/adamgap/adamgap/internal/kernel"

// GD32 is gradient descent (see GD) on float32 weights: w ← w − η·g, with
// η rounded to float32 and one rounding (a fused multiply-add), as
// torch.optim.SGD's vectorised kernel computes it on float32 parameters.
type GD32 struct {
	LR float64 // learning rate η
}

var _ Stepper[float32] = (*GD32)(nil)

// Step implements Stepper.
func (o *GD32) Step(w, g []float32) {
	checkLen(w, g, 0)
	lr := float32(o.LR)
	g = g[:len(w)]
	if kern.f32 { // kernel.AxpyF32, bit-identical to the loop below
		body := len(w) / 16 * 16
		if body > 0 {
			kernel.AxpyF32(&w[0], &g[0], body, -lr)
		}
		w, g = w[body:], g[body:]
	}
	for i, gi := range g {
		w[i] = fma32(gi, -lr, w[i]) // PyTorch's add_(g, alpha=−η)
	}
}

// SetLR implements LRSetter.
func (o *GD32) SetLR(lr float64) { o.LR = lr }
