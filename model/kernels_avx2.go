package model

import (
	"math"
	"unsafe"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// The AVX2 + FMA kernels (package internal/kernel) hold a block of 20
// columns of a row in five YMM registers, two FMA chains of them; the
// columns past the last full block go in 4-column chunks, then one by one
// in Go (math.FMA, the same two chains). Each column and each norm lane is
// summed with the operations of the AVX-512 path in the same order, so the
// two paths give the same bits; the activation is bit-identical to the
// portable loop, and the mini-batch gradient rows and the sum of squares
// are Go loops bit-identical to the AVX-512 path's.

var avx2 = kernels{name: kernel.AVX2, forward: forwardAVX2, backward: backwardAVX2, activate: activateAVX2, sqnorm: sqnormAVX512,
	gatherRows: gatherRowsPortable}

const block2 = 20 // columns per AVX2 register block: 5 × 4

func forwardAVX2(z, w []float64, set *data.Set, p0, p1, wd int) {
	if len(w) < set.D*wd || len(z) < (p1-p0)*wd {
		panic("model: forward: buffers too short")
	}
	for p := p0; p < p1; p++ {
		idx, val := set.Patch(p)
		zp := z[(p-p0)*wd : (p-p0+1)*wd]
		pi, pv, n := unsafe.SliceData(idx), unsafe.SliceData(val), len(idx)
		c := 0
		for ; c+block2 <= wd; c += block2 {
			kernel.SumRows20AVX2(&zp[c], &w[c], pi, pv, n, wd*8)
		}
		for ; c+4 <= wd; c += 4 {
			kernel.SumRows4AVX2(&zp[c], &w[c], pi, pv, n, wd*8)
		}
		for ; c < wd; c++ {
			zp[c] = sumColFMA(0, w, idx, val, wd, c)
		}
	}
}

func backwardAVX2(g, w, dz []float64, set *data.Set, wd int, lambda float64) (norm2, l1, l2sq float64) {
	if len(w) < set.D*wd || len(g) < set.D*wd || len(dz) < (len(set.PatchPtr)-1)*wd {
		panic("model: backward: buffers too short")
	}
	var acc [24]float64
	for k := range set.D {
		a, b := set.ColPtr[k], set.ColPtr[k+1]
		rows, vals := set.ColPatch[a:b], set.ColVal[a:b]
		pr, pv, n := unsafe.SliceData(rows), unsafe.SliceData(vals), len(rows)
		gk, wk := g[k*wd:(k+1)*wd], w[k*wd:(k+1)*wd]
		c := 0
		for ; c+block2 <= wd; c += block2 {
			// Lane group of the block's first chunk: columns ≡ 0 mod 8 go
			// to lanes 0–3, ≡ 4 to lanes 4–7.
			lo, hi := &acc[0], &acc[4]
			if c%8 == 4 {
				lo, hi = hi, lo
			}
			kernel.GradRows20AVX2(&gk[c], &wk[c], &dz[c], pr, pv, n, wd*8, lambda, lo, hi)
		}
		for ; c+4 <= wd; c += 4 {
			kernel.GradRows4AVX2(&gk[c], &wk[c], &dz[c], pr, pv, n, wd*8, lambda, &acc[c%8])
		}
		for ; c < wd; c++ {
			v := wk[c]
			gc := sumColFMA(lambda*v, dz, rows, vals, wd, c)
			gk[c] = gc
			l := c % 8
			acc[l] = math.FMA(v, v, acc[l])
			acc[8+l] += math.Abs(gc)
			acc[16+l] = math.FMA(gc, gc, acc[16+l])
		}
	}
	return lanes(acc[0:8]), lanes(acc[8:16]), lanes(acc[16:24])
}

// sumColFMA returns a + Σ_e val[e]·src[idx[e]·wd + c] as the kernels sum a
// column: even entries by FMA into a chain from a, odd ones into a chain
// from 0, then the two added.
func sumColFMA(a float64, src []float64, idx []int32, val []float64, wd, c int) float64 {
	val = val[:len(idx)]
	var b float64
	e := 0
	for ; e+2 <= len(idx); e += 2 {
		a = math.FMA(val[e], src[int(idx[e])*wd+c], a)
		b = math.FMA(val[e+1], src[int(idx[e+1])*wd+c], b)
	}
	if e < len(idx) {
		a = math.FMA(val[e], src[int(idx[e])*wd+c], a)
	}
	return a + b
}

func activateAVX2(z, s, ds []float64, q int) {
	n := len(z)
	s, ds = s[:n], ds[:n]
	body := n / 4 * 4
	if body > 0 {
		kernel.ActAVX2(&z[0], &s[0], &ds[0], body, q)
	}
	activatePortable(z[body:], s[body:], ds[body:], q)
}
