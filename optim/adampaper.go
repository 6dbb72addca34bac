package optim

// AdamPaper is Adam in the paper's own form, equations (3.1)–(3.3): no bias
// correction,
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  w ← w − η·m/(√v + ε).
//
// The paper writes (3.3) with the moments of step t, which divides by zero at
// t = 0; we use the moments just updated, as every implementation does, and
// add ε (default 1e-8) so that a coordinate whose gradient has always been
// zero is left alone instead of becoming NaN. Start from DefaultAdamPaper.
type AdamPaper struct {
	LR    float64 // learning rate η
	Beta1 float64 // β₁ ∈ [0,1)
	Beta2 float64 // β₂ ∈ [0,1)
	Eps   float64 // ε added to √v

	moments[float64]
}

var _ RowStepper[float64] = (*AdamPaper)(nil)

// DefaultAdamPaper returns the paper's suggestion β=(0.9, 0.99), ε=1e-8.
func DefaultAdamPaper(lr float64) *AdamPaper {
	return &AdamPaper{LR: lr, Beta1: 0.9, Beta2: 0.99, Eps: 1e-8}
}

// Step implements Optimizer.
func (o *AdamPaper) Step(w, g []float64) {
	o.ready(w, g)
	kern.adam(w, g, o.m, o.v, o.Beta1, o.Beta2, o.LR, 1, o.Eps)
}

// StepRows implements RowStepper.
func (o *AdamPaper) StepRows(w, g []float64, r RowGrad) bool {
	o.ready(w, g)
	r.check(w, g)
	return adamStepRows(w, g, o.m, o.v, r, o.Beta1, o.Beta2, o.LR, 1, o.Eps, 1)
}
