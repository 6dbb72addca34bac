package optim

import "math"

// AMSGrad is Adam that divides by the running maximum of the second moment
// (Reddi, Kale & Kumar), as PyTorch's torch.optim.Adam with amsgrad=True
// computes it (the L2 term λW is already in g):
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  v̂ ← max(v̂, v),  t ← t+1
//	w ← w − (η/(1−β₁ᵗ)) · m / (√v̂/√(1−β₂ᵗ) + ε)
//
// Start from DefaultAMSGrad: zero is a meaningful value for β₁.
type AMSGrad struct {
	LR    float64 // learning rate η
	Beta1 float64 // first-moment decay β₁ ∈ [0,1)
	Beta2 float64 // second-moment decay β₂ ∈ [0,1)
	Eps   float64 // ε added to the bias-corrected √v̂

	maxMoments
}

var (
	_ Optimizer = (*AMSGrad)(nil)
	_ LRSetter  = (*AMSGrad)(nil)
)

// DefaultAMSGrad returns PyTorch's defaults: β=(0.9, 0.999), ε=1e-8.
func DefaultAMSGrad(lr float64) *AMSGrad {
	return &AMSGrad{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Step implements Optimizer.
func (o *AMSGrad) Step(w, g []float64) { o.step(w, g, o.LR, o.Beta1, o.Beta2, o.Eps, 0.5) }

// maxMoments is the state of AMSGrad and Padam, and their step.
type maxMoments struct {
	t int
	moments[float64]
	vmax []float64 // running maximum v̂ of v
}

// step is Padam's step with power p (AMSGrad's with p = ½: Go's
// math.Pow(x, 0.5) is math.Sqrt(x), so the two are the same step):
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  v̂ ← max(v̂, v),  t ← t+1
//	w ← w − (η/(1−β₁ᵗ)) · m / (v̂^p/(1−β₂ᵗ)^p + ε)
func (s *maxMoments) step(w, g []float64, lr, b1, b2, eps, p float64) {
	if s.m == nil {
		s.vmax = make([]float64, len(w))
	}
	s.ready(w, g)
	s.t++
	step := lr / (1 - math.Pow(b1, float64(s.t)))
	bc2 := math.Pow(1-math.Pow(b2, float64(s.t)), p)
	m, v, vmax := s.m[:len(w)], s.v[:len(w)], s.vmax[:len(w)]
	for i, gi := range g[:len(w)] {
		m[i] = b1*m[i] + (1-b1)*gi
		v[i] = b2*v[i] + (1-b2)*gi*gi
		vmax[i] = max(vmax[i], v[i])
		w[i] -= step * m[i] / (math.Pow(vmax[i], p)/bc2 + eps)
	}
}

// SetLR implements LRSetter.
func (o *AMSGrad) SetLR(lr float64) { o.LR = lr }
