package optim

import (
	"math"

	"github.com/adamgap/adamgap/internal/kernel"
)

// Adam32 is Adam (see Adam) on float32 weights with float32 moments, as
// torch.optim.Adam computes it on float32 parameters: every product and sum
// is done in float32, as PyTorch's vectorised kernels do it, with the
// constants rounded to float32 first,
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  t ← t+1
//	w ← w − ((η/(1−β₁ᵗ))·m) / (√v/√(1−β₂ᵗ) + ε)
//
// where the bias corrections are computed in float64. Start from the
// fields of a valid Spec (Spec.New32).
type Adam32 struct {
	LR    float64 // learning rate η
	Beta1 float64 // first-moment decay β₁ ∈ [0,1)
	Beta2 float64 // second-moment decay β₂ ∈ [0,1)
	Eps   float64 // ε added to the bias-corrected √v

	t int
	moments[float32]
}

var _ Stepper[float32] = (*Adam32)(nil)

// fma32 is a·b + c rounded once to float32.
var fma32 = kernel.FMA32

// Step implements Stepper.
func (o *Adam32) Step(w, g []float32) {
	o.ready(w, g)
	o.t++
	step64, bc264 := biasCorrected(o.LR, o.Beta1, o.Beta2, o.t)
	step, bc2 := float32(step64), float32(bc264)
	b1, c1 := float32(o.Beta1), float32(1-o.Beta1)
	b2, c2 := float32(o.Beta2), float32(1-o.Beta2)
	eps := float32(o.Eps)
	m, v := o.m[:len(w)], o.v[:len(w)]
	g = g[:len(w)]
	if kern.f32 { // the AVX-512 float32 kernels, bit-identical to the loop below
		body := len(w) / 16 * 16
		if body > 0 {
			c := [8]float32{b1, c1, b2, c2, step, bc2, eps}
			kernel.AdamF32(&w[0], &g[0], &m[0], &v[0], body, &c)
		}
		w, g, m, v = w[body:], g[body:], m[body:], v[body:]
	}
	for i, gi := range g {
		// PyTorch's vectorised kernels: mul_ rounds the product; add_
		// with alpha is a fused multiply-add, and so is addcmul_ after
		// rounding value·g; addcdiv_ rounds every operation. The
		// conversions keep the compiler from fusing any other product.
		mi := fma32(gi, c1, float32(b1*m[i]))
		vi := fma32(float32(c2*gi), gi, float32(b2*v[i]))
		m[i], v[i] = mi, vi
		den := float32(float32(math.Sqrt(float64(vi)))/bc2) + eps
		w[i] -= float32(step*mi) / den
	}
}

// SetLR implements LRSetter.
func (o *Adam32) SetLR(lr float64) { o.LR = lr }
