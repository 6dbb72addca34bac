package optim

// AdamW is Adam with decoupled weight decay (Loshchilov & Hutter), as
// PyTorch's torch.optim.AdamW computes it: first shrink the weights, then
// take Adam's step with the gradient g,
//
//	w ← w·(1 − η·wd)
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  t ← t+1
//	w ← w − (η/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)
//
// WeightDecay (wd) is separate from the objective's coupled λ (config key
// lambda), which is inside g: for AdamW as PyTorch users know it, set
// lambda = 0 and weight_decay to the decay wanted. When both are set both
// apply. Start from DefaultAdamW.
type AdamW struct {
	Adam
	WeightDecay float64 // decoupled decay wd ≥ 0 (PyTorch's weight_decay)
}

var (
	_ RowStepper[float64] = (*AdamW)(nil)
	_ LRSetter            = (*AdamW)(nil)
)

// DefaultAdamW returns PyTorch's defaults: β=(0.9, 0.999), ε=1e-8,
// weight_decay=0.01.
func DefaultAdamW(lr float64) *AdamW {
	return &AdamW{Adam: *DefaultAdam(lr), WeightDecay: 0.01}
}

// Step implements Optimizer.
func (o *AdamW) Step(w, g []float64) {
	checkLen(w, g, len(o.m))
	shrink := 1 - o.LR*o.WeightDecay
	for i := range w {
		w[i] *= shrink
	}
	o.Adam.Step(w, g)
}

// StepRows implements RowStepper: the shrink of the weights and Adam's
// step are one pass.
func (o *AdamW) StepRows(w, g []float64, r RowGrad) bool {
	return o.Adam.stepRows(w, g, r, 1-o.LR*o.WeightDecay)
}
