package optim

import "math"

// RMSProp is Hinton's RMSProp as PyTorch's torch.optim.RMSprop computes it
// (centered=False; the L2 term λW is already in g). With squared-gradient
// average v and, when μ > 0, momentum buffer b (both zero at the start):
//
//	v ← ρ·v + (1−ρ)·g²
//	b ← μ·b + g/(√v + ε),  w ← w − η·b      (μ > 0)
//	w ← w − η·g/(√v + ε)                     (μ = 0)
//
// ρ is PyTorch's alpha (named rho here because alpha is the data's
// feature-noise strength). There is no bias correction: the first step
// moves each coordinate by η/√(1−ρ). Start from DefaultRMSProp.
type RMSProp struct {
	LR       float64 // learning rate η
	Rho      float64 // squared-gradient decay ρ ∈ [0,1) (PyTorch's alpha)
	Eps      float64 // ε added to √v
	Momentum float64 // μ ∈ [0,1)

	v, b []float64
}

var (
	_ Optimizer = (*RMSProp)(nil)
	_ LRSetter  = (*RMSProp)(nil)
)

// DefaultRMSProp returns PyTorch's defaults: ρ=0.99, ε=1e-8, μ=0.
func DefaultRMSProp(lr float64) *RMSProp {
	return &RMSProp{LR: lr, Rho: 0.99, Eps: 1e-8}
}

// Step implements Optimizer.
func (o *RMSProp) Step(w, g []float64) {
	checkLen(w, g, len(o.v))
	if o.v == nil {
		o.v, o.b = make([]float64, len(w)), make([]float64, len(w))
	}
	rho, mu := o.Rho, o.Momentum
	v, b := o.v[:len(w)], o.b[:len(w)]
	for i, gi := range g[:len(w)] {
		v[i] = rho*v[i] + (1-rho)*gi*gi
		d := gi / (math.Sqrt(v[i]) + o.Eps)
		if mu > 0 {
			b[i] = mu*b[i] + d
			d = b[i]
		}
		w[i] -= o.LR * d
	}
}

// SetLR implements LRSetter.
func (o *RMSProp) SetLR(lr float64) { o.LR = lr }
