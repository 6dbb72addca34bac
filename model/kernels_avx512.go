package model

import (
	"math"
	"unsafe"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// The AVX-512 kernels (package internal/kernel) process a coordinate's row
// of 2m weights in blocks of 40 columns held in five ZMM registers (m = 20
// is one block); the columns past the last full block are one more block
// whose chunks are masked (SumRows40M, GradRows40M) or, when they are at
// most chunkTail, one or two 8-column chunks (SumRows8, GradRows8).

var avx512 = kernels{name: kernel.AVX512, forward: forwardAVX512, backward: backwardAVX512, activate: activateAVX512, sqnorm: sqnormAVX512,
	gatherRows: gatherRowsAVX512}

const block = 40 // columns per register block: 5 × 8

// chunkTail is the widest remainder (columns past the last full block)
// taken in 8-column chunks, one pass over the index list per chunk; a wider
// one is one masked block. Measured (BenchmarkTrainStep, m = 25 and 50):
// one or two single-register passes cost less than five masked FMAs an
// entry, three cost more. Both give the same numbers.
const chunkTail = 16

// prefetchMin is the size of W in bytes from which the forward pass
// prefetches the rows it will read (SumRows40PF, SumRows40MPF: the same
// sums). Measured with BenchmarkTrainStep (thread CPU time, interleaved
// runs; bench/README.md): 10% faster at 100× the paper's work (W = 80 MB,
// rows from DRAM), no faster at 10× (3.2 MB, in L3) and 2% slower at the
// paper's size (320 kB, in L2), where the out-of-order core already
// overlaps the row loads and the prefetches only take load slots.
var prefetchMin = 8 << 20 // a variable so that tests can take the prefetching path on a small W

func forwardAVX512(z, w []float64, set *data.Set, p0, p1, wd int) {
	if len(w) < set.D*wd || len(z) < (p1-p0)*wd {
		panic("model: forward: buffers too short")
	}
	full := wd / block * block
	tail := blockMasks(wd - full)
	pf := set.D*wd*8 >= prefetchMin
	for p := p0; p < p1; p++ {
		idx, val := set.Patch(p)
		zp := z[(p-p0)*wd : (p-p0+1)*wd]
		for off := 0; off < full; off += block {
			if pf {
				kernel.SumRows40PF(&zp[off], &w[off], unsafe.SliceData(idx), unsafe.SliceData(val), len(idx), wd*8)
			} else {
				kernel.SumRows40(&zp[off], &w[off], unsafe.SliceData(idx), unsafe.SliceData(val), len(idx), wd*8)
			}
		}
		switch {
		case wd-full > chunkTail && pf:
			kernel.SumRows40MPF(&zp[full], &w[full], unsafe.SliceData(idx), unsafe.SliceData(val), len(idx), wd*8, tail)
		case wd-full > chunkTail:
			kernel.SumRows40M(&zp[full], &w[full], unsafe.SliceData(idx), unsafe.SliceData(val), len(idx), wd*8, tail)
		case full < wd:
			for off := full; off < wd; off += 8 {
				kernel.SumRows8(&zp[off], &w[off], unsafe.SliceData(idx), unsafe.SliceData(val), len(idx), wd*8, laneMask(wd-off))
			}
		}
	}
}

func backwardAVX512(g, w, dz []float64, set *data.Set, wd int, lambda float64) (norm2, l1, l2sq float64) {
	if len(w) < set.D*wd || len(g) < set.D*wd || len(dz) < (len(set.PatchPtr)-1)*wd {
		panic("model: backward: buffers too short")
	}
	full := wd / block * block
	tail := blockMasks(wd - full)
	var acc [24]float64
	if wd == block && set.D > 0 {
		// One call for all the rows: the same sums and norms as the loop
		// below, without a call and the norms' store and reload per row.
		kernel.GradCols40(&g[0], &w[0], &dz[0], &set.ColPtr[0], unsafe.SliceData(set.ColPatch), unsafe.SliceData(set.ColVal), set.D, wd*8, lambda, &acc)
		return lanes(acc[0:8]), lanes(acc[8:16]), lanes(acc[16:24])
	}
	for k := range set.D {
		a, b := set.ColPtr[k], set.ColPtr[k+1]
		rows, vals := set.ColPatch[a:b], set.ColVal[a:b]
		for off := 0; off < full; off += block {
			kernel.GradRows40(&g[k*wd+off], &w[k*wd+off], &dz[off], unsafe.SliceData(rows), unsafe.SliceData(vals), len(rows), wd*8, lambda, &acc)
		}
		switch {
		case wd-full > chunkTail:
			kernel.GradRows40M(&g[k*wd+full], &w[k*wd+full], &dz[full], unsafe.SliceData(rows), unsafe.SliceData(vals), len(rows), wd*8, lambda, &acc, tail)
		case full < wd:
			for off := full; off < wd; off += 8 {
				kernel.GradRows8(&g[k*wd+off], &w[k*wd+off], &dz[off], unsafe.SliceData(rows), unsafe.SliceData(vals), len(rows), wd*8, lambda, &acc, laneMask(wd-off))
			}
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

// blockMasks returns the chunk masks (byte j for columns 8j…8j+7) of a
// block of 40 columns of which the first left are in the row.
func blockMasks(left int) uint64 {
	var masks uint64
	for j := range 5 {
		masks |= uint64(laneMask(max(0, left-8*j))) << (8 * j)
	}
	return masks
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

// gatherRowsAVX512 walks each row's entries once per block of 40 columns;
// the last block of a row whose width is not a multiple of 40 is masked.
// Rows and ptr are checked; the patches in ent must index rows of dz.
func gatherRowsAVX512(g, w, dz []float64, rows, ptr, ent []int32, val []float64, wd int, lambda float64) {
	if len(rows) == 0 {
		return
	}
	d := len(w) / wd
	if len(g) < d*wd || len(ptr) != len(rows)+1 || int(ptr[len(rows)]) > min(len(ent), len(val)) {
		panic("model: gatherRows: buffers too short")
	}
	for _, k := range rows {
		if k < 0 || int(k) >= d {
			panic("model: gatherRows: row out of range")
		}
	}
	// ent is not checked entry by entry: its only caller, BatchLossGradRows,
	// writes patches 2·b+k < 2·|B| and sizes dz for them.
	if len(dz) < 2*wd {
		panic("model: gatherRows: dz too short")
	}
	for off := 0; off < wd; off += block {
		masks := blockMasks(wd - off)
		kernel.GatherRows40(&g[off], &w[off], &dz[off], &rows[0], len(rows), &ptr[0], unsafe.SliceData(ent), unsafe.SliceData(val), wd*8, lambda, masks)
	}
}
