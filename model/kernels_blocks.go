package model

import (
	"math"
	"unsafe"

	"github.com/adamgap/adamgap/data"
)

// blocks20 are the row kernels of a path with the AVX2 contract (package
// internal/kernel): a block of 20 columns of a row summed in two FMA
// chains, even and odd entries, then the chains added; the columns past
// the last full block go in 4-column chunks, then one by one in Go
// (sumColFMA, the same two chains). The AVX2 and NEON paths share this
// driver, so they sum every column, and every norm lane, with the same
// operations in the same order as the AVX-512 path: the same bits.
type blocks20 struct {
	sum20, sum4 func(dst, w *float64, idx *int32, val *float64, n, stride int)
	grad20      func(grad, w, dz *float64, rows *int32, vals *float64, n, stride int, lambda float64, accA, accB *float64)
	grad4       func(grad, w, dz *float64, rows *int32, vals *float64, n, stride int, lambda float64, acc *float64)
}

const block2 = 20 // columns per register block of the AVX2 contract

func (k blocks20) forward(z, w []float64, set *data.Set, p0, p1, wd int) {
	if len(w) < set.D*wd || len(z) < (p1-p0)*wd {
		panic("model: forward: buffers too short")
	}
	for p := p0; p < p1; p++ {
		idx, val := set.Patch(p)
		zp := z[(p-p0)*wd : (p-p0+1)*wd]
		pi, pv, n := unsafe.SliceData(idx), unsafe.SliceData(val), len(idx)
		c := 0
		for ; c+block2 <= wd; c += block2 {
			k.sum20(&zp[c], &w[c], pi, pv, n, wd*8)
		}
		for ; c+4 <= wd; c += 4 {
			k.sum4(&zp[c], &w[c], pi, pv, n, wd*8)
		}
		for ; c < wd; c++ {
			zp[c] = sumColFMA(0, w, idx, val, wd, c)
		}
	}
}

func (k blocks20) backward(g, w, dz []float64, set *data.Set, wd int, lambda float64) (norm2, l1, l2sq float64) {
	if len(w) < set.D*wd || len(g) < set.D*wd || len(dz) < (len(set.PatchPtr)-1)*wd {
		panic("model: backward: buffers too short")
	}
	var acc [24]float64
	for r := range set.D {
		a, b := set.ColPtr[r], set.ColPtr[r+1]
		rows, vals := set.ColPatch[a:b], set.ColVal[a:b]
		pr, pv, n := unsafe.SliceData(rows), unsafe.SliceData(vals), len(rows)
		gk, wk := g[r*wd:(r+1)*wd], w[r*wd:(r+1)*wd]
		c := 0
		for ; c+block2 <= wd; c += block2 {
			// Lane group of the block's first chunk: columns ≡ 0 mod 8 go
			// to lanes 0–3, ≡ 4 to lanes 4–7.
			lo, hi := &acc[0], &acc[4]
			if c%8 == 4 {
				lo, hi = hi, lo
			}
			k.grad20(&gk[c], &wk[c], &dz[c], pr, pv, n, wd*8, lambda, lo, hi)
		}
		for ; c+4 <= wd; c += 4 {
			k.grad4(&gk[c], &wk[c], &dz[c], pr, pv, n, wd*8, lambda, &acc[c%8])
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

// activateBlocks returns the activation that runs act (a kernel with
// kernel.Act's contract) on the first multiple of step elements and the
// portable loop (the same operations: bit-identical) on the rest.
func activateBlocks(act func(z, s, ds *float64, n, q int), step int) func(z, s, ds []float64, q int) {
	return func(z, s, ds []float64, q int) {
		n := len(z)
		s, ds = s[:n], ds[:n]
		body := n / step * step
		if body > 0 {
			act(&z[0], &s[0], &ds[0], body, q)
		}
		activatePortable(z[body:], s[body:], ds[body:], q)
	}
}
