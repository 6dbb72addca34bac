package optim

import (
	"math"
	"slices"
	"unsafe"

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

var _ RowStepper[float32] = (*Adam32)(nil)

// fma32 is a·b + c rounded once to float32.
var fma32 = kernel.FMA32

// Step implements Stepper.
func (o *Adam32) Step(w, g []float32) {
	o.ready(w, g)
	c := o.next()
	m, v := o.m[:len(w)], o.v[:len(w)]
	g = g[:len(w)]
	if kern.f32 { // the AVX-512 float32 kernels, bit-identical to the loop below
		body := len(w) / 16 * 16
		if body > 0 {
			kernel.AdamF32(&w[0], &g[0], &m[0], &v[0], body, &c)
		}
		w, g, m, v = w[body:], g[body:], m[body:], v[body:]
	}
	for i, gi := range g {
		w[i], m[i], v[i] = adam32(w[i], gi, m[i], v[i], &c)
	}
}

// next advances t and returns the step's float32 constants in
// kernel.AdamF32's order: β₁, 1−β₁, β₂, 1−β₂, the bias-corrected step,
// √(1−β₂ᵗ), ε (c[7] is left 0).
func (o *Adam32) next() [8]float32 {
	o.t++
	step, bc2 := biasCorrected(o.LR, o.Beta1, o.Beta2, o.t)
	return [8]float32{float32(o.Beta1), float32(1 - o.Beta1), float32(o.Beta2), float32(1 - o.Beta2), float32(step), float32(bc2), float32(o.Eps)}
}

// adam32 is Adam32's update of one coordinate with gradient gi and the
// constants of next: the new w, m and v.
func adam32(w, gi, m, v float32, c *[8]float32) (float32, float32, float32) {
	b1, c1, b2, c2, step, bc2, eps := c[0], c[1], c[2], c[3], c[4], c[5], c[6]
	// PyTorch's vectorised kernels: mul_ rounds the product; add_ with
	// alpha is a fused multiply-add, and so is addcmul_ after rounding
	// value·g; addcdiv_ rounds every operation. The conversions keep the
	// compiler from fusing any other product.
	m = fma32(gi, c1, float32(b1*m))
	v = fma32(float32(c2*gi), gi, float32(b2*v))
	den := float32(float32(math.Sqrt(float64(v)))/bc2) + eps
	return w - float32(step*m)/den, m, v
}

// StepRows implements RowStepper: Step's operations on the gradient that
// r.Fill completes (fma(λ, w, +0) on the rows r does not list, as the
// float32 objective's decay computes it), row by row, without writing it:
// with the AVX-512 kernels in one call of kernel.AdamRowsF32, else in Go.
func (o *Adam32) StepRows(w, g []float32, r RowGrad) (finite bool) {
	r.checkLen(len(w), len(g))
	r = written(r, g, w)
	o.ready(w, g)
	c := o.next()
	c[7] = float32(r.Lambda)
	m, v := o.m[:len(w)], o.v[:len(w)]
	wd := r.Width
	if kern.f32 {
		if len(w) == 0 {
			return true
		}
		var expmax [16]uint32
		kernel.AdamRowsF32(&w[0], &g[0], &m[0], &v[0], len(w), wd, unsafe.SliceData(r.Rows), len(r.Rows), &c, &expmax)
		return !slices.Contains(expmax[:], expMask32)
	}
	finite = true
	next := 0
	for k := range len(w) / wd {
		listed := next < len(r.Rows) && int(r.Rows[next]) == k
		if listed {
			next++
		}
		for i := k * wd; i < (k+1)*wd; i++ {
			var gi float32
			if listed {
				gi = g[i]
			} else {
				gi = fma32(c[7], w[i], 0)
			}
			if math.Float32bits(gi)&expMask32 == expMask32 {
				finite = false
			}
			w[i], m[i], v[i] = adam32(w[i], gi, m[i], v[i], &c)
		}
	}
	return finite
}

// expMask32 selects the exponent field of a float32, all ones exactly for
// ±Inf and NaN.
const expMask32 = 0x7f800000

// SetLR implements LRSetter.
func (o *Adam32) SetLR(lr float64) { o.LR = lr }
