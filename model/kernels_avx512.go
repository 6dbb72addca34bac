package model

import (
	"math"
	"unsafe"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// The AVX-512 kernels (package internal/kernel) process a coordinate's row
// of 2m weights in blocks of 40 columns held in five ZMM registers (m = 20
// is one block); columns past the last full block go through 8-column
// chunks, the last one masked.

func init() {
	if kernel.Available {
		avx := kernels{name: "avx512", forward: forwardAVX512, backward: backwardAVX512, activate: activateAVX512, sqnorm: sqnormAVX512,
			scaleRows: scaleRowsAVX512, scatter: scatterAVX512}
		available = append(available, avx)
		active = avx
	}
}

const block = 40 // columns per register block: 5 × 8

func forwardAVX512(z, w []float64, set *data.Set, p0, p1, wd int) {
	if len(w) < set.D*wd || len(z) < (p1-p0)*wd {
		panic("model: forward: buffers too short")
	}
	full := wd / block * block
	for p := p0; p < p1; p++ {
		idx, val := set.Patch(p)
		zp := z[(p-p0)*wd : (p-p0+1)*wd]
		for off := 0; off < full; off += block {
			kernel.SumRows40(&zp[off], &w[off], unsafe.SliceData(idx), unsafe.SliceData(val), len(idx), wd*8)
		}
		for off := full; off < wd; off += 8 {
			kernel.SumRows8(&zp[off], &w[off], unsafe.SliceData(idx), unsafe.SliceData(val), len(idx), wd*8, laneMask(wd-off))
		}
	}
}

func backwardAVX512(g, w, dz []float64, set *data.Set, wd int, lambda float64) (norm2, l1, l2sq float64) {
	if len(w) < set.D*wd || len(g) < set.D*wd || len(dz) < (len(set.PatchPtr)-1)*wd {
		panic("model: backward: buffers too short")
	}
	full := wd / block * block
	var acc [24]float64
	for k := range set.D {
		a, b := set.ColPtr[k], set.ColPtr[k+1]
		rows, vals := set.ColPatch[a:b], set.ColVal[a:b]
		for off := 0; off < full; off += block {
			kernel.GradRows40(&g[k*wd+off], &w[k*wd+off], &dz[off], unsafe.SliceData(rows), unsafe.SliceData(vals), len(rows), wd*8, lambda, &acc)
		}
		for off := full; off < wd; off += 8 {
			kernel.GradRows8(&g[k*wd+off], &w[k*wd+off], &dz[off], unsafe.SliceData(rows), unsafe.SliceData(vals), len(rows), wd*8, lambda, &acc, laneMask(wd-off))
		}
	}
	return lanes(acc[0:8]), lanes(acc[8:16]), lanes(acc[16:24])
}

func activateAVX512(z, s, ds []float64, q int) {
	n := len(z)
	s, ds = s[:n], ds[:n]
	body := n / 8 * 8
	if body > 0 {
		kernel.Act(&z[0], &s[0], &ds[0], body, q)
	}
	activatePortable(z[body:], s[body:], ds[body:], q)
}

// sqnormAVX512 is ‖w‖² accumulated exactly as backwardAVX512 does: eight
// lanes, a fused multiply-add per weight in row, block and vector order,
// then the lanes summed pairwise.
func sqnormAVX512(w []float64, d, wd int) float64 {
	var acc [8]float64
	for k := range d {
		row := w[k*wd : (k+1)*wd]
		for c, v := range row {
			acc[c%8] = math.FMA(v, v, acc[c%8])
		}
	}
	return lanes(acc[:])
}

// laneMask selects the first min(left, 8) lanes of a chunk.
func laneMask(left int) uint8 {
	if left >= 8 {
		return 0xff
	}
	return uint8(1)<<left - 1
}

// lanes sums the eight lanes of an accumulator pairwise.
func lanes(a []float64) float64 {
	return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))
}

func scaleRowsAVX512(g, w []float64, rows []int32, wd int, lambda float64) {
	if len(rows) == 0 {
		return
	}
	if last := int(rows[len(rows)-1]); len(g) < (last+1)*wd || len(w) < (last+1)*wd {
		panic("model: scaleRows: buffers too short")
	}
	kernel.ScaleRows(&g[0], &w[0], &rows[0], len(rows), wd, lambda)
}

func scatterAVX512(g, x []float64, idx []int32, val []float64, wd int) {
	if len(idx) == 0 {
		return
	}
	if len(x) < wd || len(val) < len(idx) {
		panic("model: scatter: buffers too short")
	}
	d := len(g) / wd
	for _, j := range idx {
		if j < 0 || int(j) >= d {
			panic("model: scatter: index out of range")
		}
	}
	kernel.ScatterRows(&g[0], &x[0], &idx[0], &val[0], len(idx), wd)
}
