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
// except those listed in Rows, where the gradient buffer g holds it — or,
// when Gather is set, where Gather describes it. The other rows of g are
// not read (and may hold anything).
type RowGrad struct {
	Lambda float64 // the coupled weight decay λ
	Width  int     // weights per row, ≥ 1; it divides len(w)
	Rows   []int32 // rows whose gradient is in g, strictly ascending
	// Gather, when not nil, holds the listed rows' gradient not yet
	// computed (float64 weights only): g's rows are written by Written (or
	// Fill), or never, by a step that computes them as it goes (Adam's
	// AVX-512 path: one pass over w, m and v, no gradient buffer).
	Gather *RowGather
}

// RowGather describes the gradient of a RowGrad's listed rows before they
// are computed, as model.Net.BatchGather gives it: the gradient of row
// k = Rows[r] is
//
//	λ·w[k] + Σ_{Ptr[r] ≤ e < Ptr[r+1]} Val[e]·DZ[Ent[e]]
//
// with DZ in rows of Width, each product rounded and added in that order
// (no fused multiply-add). Write is the objective's own loop that writes
// these rows into g (the same values); a step that computes them itself
// (kernel.AdamGatherRows) gives the weights that Write then the unfused step
// give, bit for bit. The slices belong to the objective and are valid until
// its next evaluation; w must not change between the evaluation and the step.
type RowGather struct {
	Ptr, Ent []int32   // Ptr has len(Rows)+1 entries, nondecreasing, from ≥ 0
	Val      []float64 // Val[e] multiplies row Ent[e] of DZ; Ptr's last ≤ len(Ent), len(Val)
	DZ       []float64 // rows of Width, ∂L/∂Z of the batch's patches
	Write    func(g, w []float64)
}

// RowStepper is a Stepper that takes a step from a RowGrad in one pass
// over the weights, without writing the gradient's λ·w rows: StepRows(w, g,
// r) leaves w and the optimiser's state bit for bit as r.Fill(g, w)
// followed by Step(w, g) would, except that g is not completed (and, with
// r.Gather set, its listed rows may be left unwritten). It reports whether
// every entry of the gradient was finite; when it was not, the step has
// still been taken (with NaN or infinite values). A RowStepper of another
// package gets no Gather from Minimize (it is written into g first); its
// StepRows should call Written when called directly.
type RowStepper[T Float] interface {
	Stepper[T]
	StepRows(w, g []T, r RowGrad) (finite bool)
}

// gatherStepper marks this package's RowSteppers, whose StepRows take a
// RowGrad with a Gather (computing its rows or writing them first).
type gatherStepper interface{ stepsGather() }

func (*Adam) stepsGather()      {}
func (*AdamPaper) stepsGather() {}
func (*GD) stepsGather()        {}

// Written returns r with its listed rows in g: when r has a Gather, it runs
// its Write(g, w) and returns r without it; else r as is.
func (r RowGrad) Written(g, w []float64) RowGrad { return written(r, g, w) }

// written is Written in either precision (a Gather is float64 only).
func written[T Float](r RowGrad, g, w []T) RowGrad {
	if r.Gather == nil {
		return r
	}
	g64, okg := any(g).([]float64)
	w64, okw := any(w).([]float64)
	if !okg || !okw {
		panic("optim: RowGrad: a Gather describes float64 rows; these weights are float32")
	}
	r.Gather.Write(g64, w64)
	r.Gather = nil
	return r
}

// Fill completes g: it writes Lambda·w on every row not in Rows (and the
// listed rows, when r has a Gather), so that g is the whole gradient, and
// reports whether every entry of g is finite.
func (r RowGrad) Fill(g, w []float64) (finite bool) { return fill(r, g, w) }

// fill is Fill in either precision (float32: fma(float32(λ), w, +0), as
// the float32 objective computes its λ·w).
func fill[T Float](r RowGrad, g, w []T) (finite bool) {
	r.checkLen(len(w), len(g))
	r = written(r, g, w)
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
				if unsafe.Sizeof(v) == 4 {
					// fma(λ, w, +0), as the float32 objective's decay
					// (and Adam32.StepRows) computes it: a product of
					// −0 becomes +0.
					gk[c] = T(fma32(float32(lambda), float32(v), 0))
				} else {
					gk[c] = lambda * v
				}
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

// checkGather panics unless r's Gather fits its rows (programmer errors):
// Ptr's length and order, and its last entry within Ent and Val, and DZ in
// whole rows. The patches in Ent are checked by the kernel that reads them.
func (r RowGrad) checkGather() {
	gt := r.Gather
	if len(gt.Ptr) != len(r.Rows)+1 || len(gt.DZ)%r.Width != 0 {
		panic(fmt.Sprintf("optim: RowGather: %d rows, len(Ptr)=%d, len(DZ)=%d, width %d", len(r.Rows), len(gt.Ptr), len(gt.DZ), r.Width))
	}
	prev := int32(0)
	for _, p := range gt.Ptr {
		if p < prev {
			panic(fmt.Sprintf("optim: RowGather: Ptr not nondecreasing from 0: %d after %d", p, prev))
		}
		prev = p
	}
	if int(prev) > len(gt.Ent) || int(prev) > len(gt.Val) {
		panic(fmt.Sprintf("optim: RowGather: Ptr ends at %d, past len(Ent)=%d or len(Val)=%d", prev, len(gt.Ent), len(gt.Val)))
	}
}

// adamGatherAVX512 is adamRowsAVX512 from a RowGrad with a Gather: the
// listed rows' gradient is computed as the rows are updated
// (kernel.AdamGatherRows, a block of 40 columns a call), never stored.
func adamGatherAVX512(w, m, v []float64, r RowGrad, b1, b2, step, rbc2, eps, shrink float64) bool {
	if len(w) == 0 {
		return true
	}
	r.checkGather()
	gt := r.Gather
	m, v = m[:len(w)], v[:len(w)]
	wd := r.Width
	nz := len(gt.DZ) / wd
	c := [9]float64{b1, 1 - b1, b2, 1 - b2, step, rbc2, eps, r.Lambda, shrink}
	var expmax [8]uint64
	for off := 0; off < wd; off += 40 {
		var dz *float64
		if nz > 0 {
			dz = &gt.DZ[off]
		}
		if !kernel.AdamGatherRows(&w[off], &m[off], &v[off], dz, len(w)/wd, wd*8, unsafe.SliceData(r.Rows), len(r.Rows),
			&gt.Ptr[0], unsafe.SliceData(gt.Ent), unsafe.SliceData(gt.Val), nz, &c, &expmax, kernel.BlockMasks(wd-off)) {
			panic(fmt.Sprintf("optim: RowGather: a patch index in Ent is out of [0, %d)", nz))
		}
	}
	return !hasExpMask(expmax)
}

// hasExpMask reports whether a lane of expmax is the exponent mask (an
// infinite or NaN gradient entry).
func hasExpMask(expmax [8]uint64) bool {
	for _, e := range expmax {
		if e == expMask {
			return true
		}
	}
	return false
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
	return !hasExpMask(expmax)
}
