package optim

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/adamgap/adamgap/internal/kernel"
)

// RowGrad describes a gradient held sparsely, as a mini-batch step
// produces it: the weights are d rows of Width (one row per input
// coordinate, model's layout), and the gradient is Lambda·w on every row
// except those listed in Rows, where the gradient buffer g holds it. The
// other rows of g are not read (and may hold anything).
type RowGrad struct {
	Lambda float64 // the coupled weight decay λ
	Width  int     // weights per row, ≥ 1; it divides len(w)
	Rows   []int32 // rows whose gradient is in g, strictly ascending
}

// RowStepper is a Stepper that takes a step from a RowGrad in one pass
// over the weights, without writing the gradient's λ·w rows: StepRows(w, g,
// r) leaves w and the optimiser's state bit for bit as r.Fill(g, w)
// followed by Step(w, g) would, except that g is not completed. It reports
// whether every entry of the gradient was finite; when it was not, the step
// has still been taken (with NaN or infinite values).
type RowStepper[T Float] interface {
	Stepper[T]
	StepRows(w, g []T, r RowGrad) (finite bool)
}

// Fill completes g: it writes Lambda·w on every row not in Rows, so that g
// is the whole gradient, and reports whether every entry of g is finite.
func (r RowGrad) Fill(g, w []float64) (finite bool) { return fill(r, g, w) }

// fill is Fill in either precision (λ rounded to T, as the float32
// objective computes its λ·w).
func fill[T Float](r RowGrad, g, w []T) (finite bool) {
	r.checkLen(len(w), len(g))
	wd := r.Width
	d := len(w) / wd
	lambda := T(r.Lambda)
	finite = true
	next := 0
	for k := range d {
		gk, wk := g[k*wd:(k+1)*wd], w[k*wd:(k+1)*wd]
		if next < len(r.Rows) && int(r.Rows[next]) == k {
			next++
		} else {
			for c, v := range wk {
				gk[c] = lambda * v
			}
		}
		for _, v := range gk {
			if math.Float64bits(float64(v))&expMask == expMask {
				finite = false
			}
		}
	}
	return finite
}

// expMask selects the exponent field of a float64, all ones exactly for
// ±Inf and NaN.
const expMask = 0x7ff0000000000000

// check panics unless the lengths and rows fit (programmer errors).
func (r RowGrad) check(w, g []float64) { r.checkLen(len(w), len(g)) }

// checkLen is check from the lengths of w and g.
func (r RowGrad) checkLen(nw, ng int) {
	if r.Width < 1 || nw%r.Width != 0 || ng != nw {
		panic(fmt.Sprintf("optim: RowGrad: width %d, len(w)=%d, len(g)=%d", r.Width, nw, ng))
	}
	d := nw / r.Width
	prev := int32(-1)
	for _, k := range r.Rows {
		if k <= prev || int(k) >= d {
			panic(fmt.Sprintf("optim: RowGrad: rows not strictly ascending in [0, %d): %d after %d", d, k, prev))
		}
		prev = k
	}
}

func adamRowsPortable(w, g, m, v []float64, r RowGrad, b1, b2, step, rbc2, eps, shrink float64) bool {
	wd := r.Width
	d := len(w) / wd
	m, v = m[:len(w)], v[:len(w)]
	finite := true
	next := 0
	for k := range d {
		touched := next < len(r.Rows) && int(r.Rows[next]) == k
		if touched {
			next++
		}
		for i := k * wd; i < (k+1)*wd; i++ {
			var gi float64
			if touched {
				gi = g[i]
			} else {
				gi = r.Lambda * w[i]
			}
			if math.Float64bits(gi)&expMask == expMask {
				finite = false
			}
			if shrink != 1 {
				w[i] *= shrink
			}
			// float64(…) rounds each product, so that no compiler fuses a
			// multiply-add (arm64 and GOAMD64=v3 would): the kernels' arithmetic.
			m[i] = float64(b1*m[i]) + float64((1-b1)*gi)
			v[i] = float64(b2*v[i]) + float64(float64((1-b2)*gi)*gi)
			w[i] -= float64(step*m[i]) / (float64(math.Sqrt(v[i])*rbc2) + eps)
		}
	}
	return finite
}

func adamRowsAVX512(w, g, m, v []float64, r RowGrad, b1, b2, step, rbc2, eps, shrink float64) bool {
	if len(w) == 0 {
		return true
	}
	m, v = m[:len(w)], v[:len(w)]
	c := [9]float64{b1, 1 - b1, b2, 1 - b2, step, rbc2, eps, r.Lambda, shrink}
	var expmax [8]uint64
	kernel.AdamDecayRows(&w[0], &g[0], &m[0], &v[0], len(w)/r.Width, r.Width, unsafe.SliceData(r.Rows), len(r.Rows), &c, &expmax)
	for _, e := range expmax {
		if e == expMask {
			return false
		}
	}
	return true
}
