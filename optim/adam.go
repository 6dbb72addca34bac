package optim

import "math"

// Adam is Adam as PyTorch's torch.optim.Adam computes it (the paper's
// experiments used it), with the L2 term already inside the gradient:
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  t ← t+1
//	w ← w − (η/(1−β₁ᵗ)) · m / (√v·(1/√(1−β₂ᵗ)) + ε)
//
// Start from DefaultAdam: zero is a meaningful value for β₁.
type Adam struct {
	LR    float64 // learning rate η
	Beta1 float64 // first-moment decay β₁ ∈ [0,1)
	Beta2 float64 // second-moment decay β₂ ∈ [0,1)
	Eps   float64 // ε added to the bias-corrected √v
	// FastRoot has Step compute √v as fast as the kernel path can: on
	// AVX-512 not exactly (VSQRTPD) but by a refined reciprocal-root
	// estimate (kernel.AdamRowsRoot), the exact root in most coordinates
	// and within an ulp or two elsewhere, which makes the full-batch step
	// ≈ 4% faster; the other paths are exact either way. StepRows ignores
	// it, so a run that mixes Step and StepRows (a mini-batch run's logged
	// steps) leaves it unset; train sets it for full-batch runs.
	FastRoot bool

	t int
	moments[float64]
}

var _ RowStepper[float64] = (*Adam)(nil)

// moments are Adam's first and second moments m and v, made at the first
// step.
type moments[T Float] struct{ m, v []T }

// ready checks that w, g and the moments have one length (it panics
// otherwise: a programmer's mistake) and makes the moments at the first
// step.
func (s *moments[T]) ready(w, g []T) {
	checkLen(w, g, len(s.m))
	if s.m == nil {
		s.m, s.v = make([]T, len(w)), make([]T, len(w))
	}
}

// DefaultAdam returns PyTorch's defaults: β=(0.9, 0.999), ε=1e-8.
func DefaultAdam(lr float64) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Step implements Optimizer.
func (o *Adam) Step(w, g []float64) {
	o.ready(w, g)
	step, rbc2 := o.next()
	if o.FastRoot {
		kern.adamRoot(w, g, o.m, o.v, o.Beta1, o.Beta2, step, rbc2, o.Eps)
		return
	}
	kern.adam(w, g, o.m, o.v, o.Beta1, o.Beta2, step, rbc2, o.Eps)
}

// StepRows implements RowStepper.
func (o *Adam) StepRows(w, g []float64, r RowGrad) bool {
	return o.stepRows(w, g, r, 1)
}

// stepRows is StepRows after scaling the weights by shrink.
func (o *Adam) stepRows(w, g []float64, r RowGrad, shrink float64) bool {
	o.ready(w, g)
	r.check(w, g)
	step, rbc2 := o.next()
	return adamStepRows(w, g, o.m, o.v, r, o.Beta1, o.Beta2, step, rbc2, o.Eps, shrink)
}

// adamStepRows is the update of Adam's StepRows (and AdamPaper's) with its
// step's constants: in one pass that also computes the listed rows'
// gradient when r has a Gather and the kernel path fuses it
// (kern.adamGather), else from g (written first from the Gather, if any).
func adamStepRows(w, g, m, v []float64, r RowGrad, b1, b2, step, rbc2, eps, shrink float64) bool {
	if r.Gather != nil {
		if kern.adamGather != nil {
			return kern.adamGather(w, m, v, r, b1, b2, step, rbc2, eps, shrink)
		}
		r = r.Written(g, w)
	}
	return kern.adamRows(w, g, m, v, r, b1, b2, step, rbc2, eps, shrink)
}

// next counts the step and returns its bias-corrected rate η/(1−β₁ᵗ) and
// 1/√(1−β₂ᵗ).
func (o *Adam) next() (step, rbc2 float64) {
	o.t++
	step, bc2 := biasCorrected(o.LR, o.Beta1, o.Beta2, o.t)
	return step, 1 / bc2
}

// biasCorrected returns the bias corrections of Adam's step t (from 1), in
// float64 whatever the precision of the weights: the rate η/(1−β₁ᵗ) and
// √(1−β₂ᵗ), the divisor of √v.
func biasCorrected(lr, beta1, beta2 float64, t int) (step, bc2 float64) {
	return lr / (1 - math.Pow(beta1, float64(t))), math.Sqrt(1 - math.Pow(beta2, float64(t)))
}
