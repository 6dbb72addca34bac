//go:build goexperiment.simd && amd64

package model

import (
	"simd/archsimd"

	"github.com/adamgap/adamgap/data"
)

// The AVX-512 kernels process a coordinate's row of 2m weights in blocks of
// 40 columns held in five Float64x8 registers (m = 20 is one block); a last
// partial block uses masked loads and stores. Each kernel clears the upper
// AVX bits before returning, so that later scalar code is not slowed down.

func init() {
	if archsimd.X86.AVX512() {
		avx := kernels{name: "avx512", forward: forwardAVX512, backward: backwardAVX512}
		available = append(available, avx)
		active = avx
	}
}

const block = 40 // columns per register block: 5 × 8

func forwardAVX512(z, w []float64, set *data.Set, p0, p1, wd int) {
	for p := p0; p < p1; p++ {
		idx, val := set.Patch(p)
		zp := z[(p-p0)*wd : (p-p0+1)*wd]
		off := 0
		for ; off+block <= wd; off += block {
			sumRows5(zp[off:off+block], w, idx, val, wd, off)
		}
		if off < wd {
			sumRowsPart(zp[off:], w, idx, val, wd, off)
		}
	}
	archsimd.ClearAVXUpperBits()
}

// sumRows5 writes dst[0:40] = Σ_e val[e]·w[idx[e]·wd+off : …+40].
func sumRows5(dst, w []float64, idx []int32, val []float64, wd, off int) {
	a0 := archsimd.BroadcastFloat64x8(0)
	a1, a2, a3, a4 := a0, a0, a0, a0
	val = val[:len(idx)]
	for e, k := range idx {
		v := archsimd.BroadcastFloat64x8(val[e])
		r := (*[block]float64)(w[int(k)*wd+off:])
		a0 = archsimd.LoadFloat64x8((*[8]float64)(r[0:8])).MulAdd(v, a0)
		a1 = archsimd.LoadFloat64x8((*[8]float64)(r[8:16])).MulAdd(v, a1)
		a2 = archsimd.LoadFloat64x8((*[8]float64)(r[16:24])).MulAdd(v, a2)
		a3 = archsimd.LoadFloat64x8((*[8]float64)(r[24:32])).MulAdd(v, a3)
		a4 = archsimd.LoadFloat64x8((*[8]float64)(r[32:40])).MulAdd(v, a4)
	}
	d := (*[block]float64)(dst)
	a0.Store((*[8]float64)(d[0:8]))
	a1.Store((*[8]float64)(d[8:16]))
	a2.Store((*[8]float64)(d[16:24]))
	a3.Store((*[8]float64)(d[24:32]))
	a4.Store((*[8]float64)(d[32:40]))
}

// sumRowsPart is sumRows5 for a last block of fewer than 40 columns,
// len(dst) of them.
func sumRowsPart(dst, w []float64, idx []int32, val []float64, wd, off int) {
	n := len(dst)
	a0 := archsimd.BroadcastFloat64x8(0)
	a1, a2, a3, a4 := a0, a0, a0, a0
	for e, k := range idx {
		v := archsimd.BroadcastFloat64x8(val[e])
		r := w[int(k)*wd+off:][:n]
		a0 = archsimd.LoadFloat64x8SlicePart(part(r, 0)).MulAdd(v, a0)
		a1 = archsimd.LoadFloat64x8SlicePart(part(r, 8)).MulAdd(v, a1)
		a2 = archsimd.LoadFloat64x8SlicePart(part(r, 16)).MulAdd(v, a2)
		a3 = archsimd.LoadFloat64x8SlicePart(part(r, 24)).MulAdd(v, a3)
		a4 = archsimd.LoadFloat64x8SlicePart(part(r, 32)).MulAdd(v, a4)
	}
	a0.StoreSlicePart(part(dst, 0))
	a1.StoreSlicePart(part(dst, 8))
	a2.StoreSlicePart(part(dst, 16))
	a3.StoreSlicePart(part(dst, 24))
	a4.StoreSlicePart(part(dst, 32))
}

// part returns s[from:min(from+8, len(s))], empty when from ≥ len(s).
func part(s []float64, from int) []float64 {
	if from >= len(s) {
		return nil
	}
	return s[from:min(from+8, len(s))]
}

func backwardAVX512(g, w, dz []float64, set *data.Set, wd int, lambda float64) (norm2, l1, l2sq float64) {
	lam := archsimd.BroadcastFloat64x8(lambda)
	zero := archsimd.BroadcastFloat64x8(0)
	nw, n1, n2 := zero, zero, zero
	for k := range set.D {
		rows := set.ColPatch[set.ColPtr[k]:set.ColPtr[k+1]]
		vals := set.ColVal[set.ColPtr[k]:set.ColPtr[k+1]]
		gk := g[k*wd : (k+1)*wd]
		wk := w[k*wd : (k+1)*wd]
		off := 0
		for ; off+block <= wd; off += block {
			nw, n1, n2 = gradRows5(gk[off:off+block], wk[off:off+block], dz, rows, vals, wd, off, lam, nw, n1, n2)
		}
		if off < wd {
			nw, n1, n2 = gradRowsPart(gk[off:], wk[off:], dz, rows, vals, wd, off, lam, nw, n1, n2)
		}
	}
	norm2, l1, l2sq = hsum(nw), hsum(n1), hsum(n2)
	archsimd.ClearAVXUpperBits()
	return norm2, l1, l2sq
}

// gradRows5 writes g[0:40] = λ·w[0:40] + Σ_e vals[e]·dz[rows[e]·wd+off : …+40]
// and adds w², |g| and g² to the running sums.
func gradRows5(g, w, dz []float64, rows []int32, vals []float64, wd, off int, lam, nw, n1, n2 archsimd.Float64x8) (_, _, _ archsimd.Float64x8) {
	w = w[:block]
	w0 := archsimd.LoadFloat64x8((*[8]float64)(w[0:8]))
	w1 := archsimd.LoadFloat64x8((*[8]float64)(w[8:16]))
	w2 := archsimd.LoadFloat64x8((*[8]float64)(w[16:24]))
	w3 := archsimd.LoadFloat64x8((*[8]float64)(w[24:32]))
	w4 := archsimd.LoadFloat64x8((*[8]float64)(w[32:40]))
	a0, a1, a2, a3, a4 := w0.Mul(lam), w1.Mul(lam), w2.Mul(lam), w3.Mul(lam), w4.Mul(lam)
	vals = vals[:len(rows)]
	for e, p := range rows {
		v := archsimd.BroadcastFloat64x8(vals[e])
		r := (*[block]float64)(dz[int(p)*wd+off:])
		a0 = archsimd.LoadFloat64x8((*[8]float64)(r[0:8])).MulAdd(v, a0)
		a1 = archsimd.LoadFloat64x8((*[8]float64)(r[8:16])).MulAdd(v, a1)
		a2 = archsimd.LoadFloat64x8((*[8]float64)(r[16:24])).MulAdd(v, a2)
		a3 = archsimd.LoadFloat64x8((*[8]float64)(r[24:32])).MulAdd(v, a3)
		a4 = archsimd.LoadFloat64x8((*[8]float64)(r[32:40])).MulAdd(v, a4)
	}
	g = (*[block]float64)(g)[:]
	a0.Store((*[8]float64)(g[0:8]))
	a1.Store((*[8]float64)(g[8:16]))
	a2.Store((*[8]float64)(g[16:24]))
	a3.Store((*[8]float64)(g[24:32]))
	a4.Store((*[8]float64)(g[32:40]))
	nw = w0.MulAdd(w0, w1.MulAdd(w1, w2.MulAdd(w2, w3.MulAdd(w3, w4.MulAdd(w4, nw)))))
	n1 = n1.Add(vabs(a0).Add(vabs(a1)).Add(vabs(a2)).Add(vabs(a3)).Add(vabs(a4)))
	n2 = a0.MulAdd(a0, a1.MulAdd(a1, a2.MulAdd(a2, a3.MulAdd(a3, a4.MulAdd(a4, n2)))))
	return nw, n1, n2
}

// gradRowsPart is gradRows5 for a last block of fewer than 40 columns.
func gradRowsPart(g, w, dz []float64, rows []int32, vals []float64, wd, off int, lam, nw, n1, n2 archsimd.Float64x8) (_, _, _ archsimd.Float64x8) {
	n := len(g)
	w = w[:n]
	w0 := archsimd.LoadFloat64x8SlicePart(part(w, 0))
	w1 := archsimd.LoadFloat64x8SlicePart(part(w, 8))
	w2 := archsimd.LoadFloat64x8SlicePart(part(w, 16))
	w3 := archsimd.LoadFloat64x8SlicePart(part(w, 24))
	w4 := archsimd.LoadFloat64x8SlicePart(part(w, 32))
	a0, a1, a2, a3, a4 := w0.Mul(lam), w1.Mul(lam), w2.Mul(lam), w3.Mul(lam), w4.Mul(lam)
	for e, p := range rows {
		v := archsimd.BroadcastFloat64x8(vals[e])
		r := dz[int(p)*wd+off:][:n]
		a0 = archsimd.LoadFloat64x8SlicePart(part(r, 0)).MulAdd(v, a0)
		a1 = archsimd.LoadFloat64x8SlicePart(part(r, 8)).MulAdd(v, a1)
		a2 = archsimd.LoadFloat64x8SlicePart(part(r, 16)).MulAdd(v, a2)
		a3 = archsimd.LoadFloat64x8SlicePart(part(r, 24)).MulAdd(v, a3)
		a4 = archsimd.LoadFloat64x8SlicePart(part(r, 32)).MulAdd(v, a4)
	}
	a0.StoreSlicePart(part(g, 0))
	a1.StoreSlicePart(part(g, 8))
	a2.StoreSlicePart(part(g, 16))
	a3.StoreSlicePart(part(g, 24))
	a4.StoreSlicePart(part(g, 32))
	nw = w0.MulAdd(w0, w1.MulAdd(w1, w2.MulAdd(w2, w3.MulAdd(w3, w4.MulAdd(w4, nw)))))
	n1 = n1.Add(vabs(a0).Add(vabs(a1)).Add(vabs(a2)).Add(vabs(a3)).Add(vabs(a4)))
	n2 = a0.MulAdd(a0, a1.MulAdd(a1, a2.MulAdd(a2, a3.MulAdd(a3, a4.MulAdd(a4, n2)))))
	return nw, n1, n2
}

func vabs(x archsimd.Float64x8) archsimd.Float64x8 {
	return x.Max(archsimd.BroadcastFloat64x8(0).Sub(x))
}

func hsum(x archsimd.Float64x8) float64 {
	var a [8]float64
	x.Store(&a)
	return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))
}
