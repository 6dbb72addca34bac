package model

import "github.com/adamgap/adamgap/data"

// The portable kernels: plain Go, the fallback on CPUs without an assembly
// path and the reference the others are tested against. A row sum keeps
// one block of 4 columns (or 1) in local accumulators, which the
// compiler holds in registers, over the whole entry list, and reads each
// entry's row through an array pointer (one bounds check an entry, none per
// element): every column is still the rounded products added with rounded
// sums in entry order, as an axpy per entry computes it, without storing
// and reloading the partial sums. The norms of the backward pass (and
// sqnorm) are summed in 8 lanes, column c of a row into lane c mod 8, then
// the lanes pairwise, like the assembly paths: independent chains instead
// of one.

var portable = kernels{name: "portable", forward: forwardPortable, backward: backwardPortable, activate: activatePortable, sqnorm: sqnormPortable,
	gatherRows: gatherRowsPortable}

// sumRows4 sets acc[j] += Σ_e val[e]·src[idx[e]·wd + off + j] for j < 4,
// in entry order, a rounded product and a rounded sum each. (Four columns
// a pass: eight spill two accumulators to the stack and measured no
// faster; two entries an iteration, or math.FMA, slower.)
func sumRows4(acc *[4]float64, src []float64, idx []int32, val []float64, wd, off int) {
	a0, a1, a2, a3 := acc[0], acc[1], acc[2], acc[3]
	val = val[:len(idx)]
	for e, k := range idx {
		r := (*[4]float64)(src[int(k)*wd+off:])
		v := val[e]
		a0 += v * r[0]
		a1 += v * r[1]
		a2 += v * r[2]
		a3 += v * r[3]
	}
	acc[0], acc[1], acc[2], acc[3] = a0, a1, a2, a3
}

// sumRows1 is sumRows4 for one column.
func sumRows1(a float64, src []float64, idx []int32, val []float64, wd, off int) float64 {
	val = val[:len(idx)]
	for e, k := range idx {
		a += val[e] * src[int(k)*wd+off]
	}
	return a
}

// sumRows sets dst[c] = λ·init[c] + Σ_e val[e]·src[idx[e]·wd + c] for c <
// len(dst) (init nil: 0), in entry order, in blocks of 4 columns and 1.
// init[c] is read before dst[c] is written, so they may be the same slice.
func sumRows(dst, init, src []float64, idx []int32, val []float64, wd int, lambda float64) {
	n := len(dst)
	c := 0
	for ; c+4 <= n; c += 4 {
		var acc [4]float64
		if init != nil {
			in := (*[4]float64)(init[c:])
			for j := range acc {
				acc[j] = lambda * in[j]
			}
		}
		sumRows4(&acc, src, idx, val, wd, c)
		*(*[4]float64)(dst[c:]) = acc
	}
	for ; c < n; c++ {
		var a float64
		if init != nil {
			a = lambda * init[c]
		}
		dst[c] = sumRows1(a, src, idx, val, wd, c)
	}
}

func forwardPortable(z, w []float64, set *data.Set, p0, p1, wd int) {
	w = w[:set.D*wd]
	for p := p0; p < p1; p++ {
		idx, val := set.Patch(p)
		sumRows(z[(p-p0)*wd:(p-p0+1)*wd], nil, w, idx, val, wd, 0)
	}
}

func backwardPortable(g, w, dz []float64, set *data.Set, wd int, lambda float64) (norm2, l1, l2sq float64) {
	var n2, a1, s2 [8]float64 // lanes: column c of a row goes to lane c mod 8
	for k := range set.D {
		gk := g[k*wd : (k+1)*wd]
		wk := w[k*wd : (k+1)*wd]
		a, b := set.ColPtr[k], set.ColPtr[k+1]
		sumRows(gk, wk, dz, set.ColPatch[a:b], set.ColVal[a:b], wd, lambda)
		gk = gk[:len(wk)]
		for c, v := range wk {
			gi := gk[c]
			n2[c%8] += v * v
			a1[c%8] += abs(gi)
			s2[c%8] += gi * gi
		}
	}
	return lanes(n2[:]), lanes(a1[:]), lanes(s2[:])
}

func gatherRowsPortable(g, w, dz []float64, rows, ptr, ent []int32, val []float64, wd int, lambda float64) {
	for r, k := range rows {
		a, b := ptr[r], ptr[r+1]
		sumRows(g[int(k)*wd:int(k+1)*wd], w[int(k)*wd:int(k+1)*wd], dz, ent[a:b], val[a:b], wd, lambda)
	}
}

func activatePortable(z, s, ds []float64, q int) {
	s, ds = s[:len(z)], ds[:len(z)]
	for i, v := range z {
		s[i], ds[i] = act(v, q)
	}
}

// sqnormPortable is ‖w‖² summed as backwardPortable sums it, so the loss is
// the same number whether or not a gradient is computed.
func sqnormPortable(w []float64, d, wd int) float64 {
	var n2 [8]float64
	for k := range d {
		for c, v := range w[k*wd : (k+1)*wd] {
			n2[c%8] += v * v
		}
	}
	return lanes(n2[:])
}
