package optim

import "math"

// Perturber is an optimiser whose step uses the gradient at a point other
// than the weights: the training loop evaluates the gradient g at w, asks
// Perturb for the point wp, evaluates the gradient at wp (on the same
// examples) and passes that to Step.
type Perturber[T Float] interface {
	Stepper[T]
	// Perturb writes to wp the point at which the gradient given to the
	// next Step is to be evaluated, from the weights w and the gradient g
	// of the objective at w. It panics if the lengths differ.
	Perturb(wp, w, g []T)
}

// SAM is sharpness-aware minimisation (Foret et al. 2021) over a base step
// of gradient descent or SGD with heavy-ball momentum:
//
//	wp = w + ρ·g/‖g‖₂,   g = ∇L(w)
//	w  ← w − η·∇L(wp)    (GD; with momentum μ, SGD's step on ∇L(wp))
//
// The norm is over all the weights, and ∇L includes the objective's
// coupled weight decay λw, at w and at wp. ρ = 0, or g = 0, gives wp = w
// and the base step, number for number. Perturb computes wp; Step takes
// the base step with the gradient at wp (Perturber). Step alone, given
// the gradient at w, is the base optimiser.
type SAM struct {
	LR       float64 // learning rate η
	Radius   float64 // neighbourhood radius ρ ≥ 0; 0 is the base optimiser
	Momentum float64 // base SGD's heavy-ball momentum μ ∈ [0,1); 0 is GD

	base Optimizer
}

var (
	_ Perturber[float64] = (*SAM)(nil)
	_ LRSetter           = (*SAM)(nil)
)

// Perturb implements Perturber: wp = w + (ρ/‖g‖₂)·g, or w when ρ or ‖g‖₂
// is 0.
func (o *SAM) Perturb(wp, w, g []float64) {
	if len(wp) != len(w) || len(g) != len(w) {
		panic("optim: SAM.Perturb: weights, gradient and perturbed point differ in length")
	}
	var sq float64
	for _, v := range g {
		sq += v * v
	}
	norm := math.Sqrt(sq)
	if o.Radius == 0 || norm == 0 {
		copy(wp, w)
		return
	}
	s := o.Radius / norm
	for i, v := range w {
		wp[i] = v + s*g[i]
	}
}

// Step implements Optimizer: the base step w ← w − η·g, g being the
// gradient at the point Perturb returned.
func (o *SAM) Step(w, g []float64) {
	if o.base == nil {
		if o.Momentum == 0 {
			o.base = &GD{LR: o.LR}
		} else {
			o.base = &SGD{LR: o.LR, Momentum: o.Momentum}
		}
	}
	o.base.Step(w, g)
}

// SetLR implements LRSetter.
func (o *SAM) SetLR(lr float64) {
	o.LR = lr
	switch b := o.base.(type) {
	case *GD:
		b.LR = lr
	case *SGD:
		b.LR = lr
	}
}
