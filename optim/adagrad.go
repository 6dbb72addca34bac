package optim

import "math"

// AdaGrad is Duchi, Hazan & Singer's AdaGrad as PyTorch's torch.optim.Adagrad
// computes it with lr_decay=0 and initial_accumulator_value=0 (use a
// Schedule to decay the rate; the L2 term λW is already in g). With the sum
// of squared gradients s (zero at the start):
//
//	s ← s + g²,  w ← w − η·g/(√s + ε)
//
// The step of a coordinate with a steady gradient shrinks as η/√t. Start
// from DefaultAdaGrad.
type AdaGrad struct {
	LR  float64 // learning rate η
	Eps float64 // ε added to √s

	s []float64
}

var (
	_ Optimizer = (*AdaGrad)(nil)
	_ LRSetter  = (*AdaGrad)(nil)
)

// DefaultAdaGrad returns PyTorch's ε = 1e-10.
func DefaultAdaGrad(lr float64) *AdaGrad {
	return &AdaGrad{LR: lr, Eps: 1e-10}
}

// Step implements Optimizer.
func (o *AdaGrad) Step(w, g []float64) {
	checkLen(w, g, len(o.s))
	if o.s == nil {
		o.s = make([]float64, len(w))
	}
	s := o.s[:len(w)]
	for i, gi := range g[:len(w)] {
		s[i] += gi * gi
		w[i] -= o.LR * gi / (math.Sqrt(s[i]) + o.Eps)
	}
}

// SetLR implements LRSetter.
func (o *AdaGrad) SetLR(lr float64) { o.LR = lr }
