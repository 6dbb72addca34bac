package model

import (
	mathbits "math/bits"

	"github.com/adamgap/adamgap/internal/kernel"
)

// batchRows32 is BatchLossGradRows in float32: the operations of BatchLossGrad's (scatterOf, then decayOf) on the touched
// rows only: the rows from a bit per coordinate (no transpose: the entries
// are added patch by patch, in batch order, as scatterOf adds them), those
// rows cleared, the batch's data term scattered into them
// (with the AVX-512 kernels kernel.AxpyRowsF32) and g = fma(λ, w, g) on
// them (AVX-512: kernel.AxpyF32, a run of consecutive rows a call).
func (nt *Net[T]) batchRows32(g, w []T, batch []int32) BatchGrad {
	var bg BatchGrad
	bg.DataLoss, bg.Errors = nt.batchHead(w, batch, true)
	bt, set, wd := &nt.bt, nt.set, nt.lay.wd
	bt.ready = false // no transposed entries for BatchGradRows or BatchGather
	if len(bt.mark) == 0 {
		bt.mark = make([]uint64, (set.D+63)/64)
		bt.count = make([]int32, set.D)
	}
	mark := bt.mark
	for _, i := range batch {
		a, b := set.PatchPtr[2*int(i)], set.PatchPtr[2*int(i)+2]
		for _, j := range set.Idx[a:b] {
			mark[j>>6] |= 1 << (j & 63)
		}
	}
	bt.rows = bt.rows[:0]
	for word, bits := range mark {
		for bits != 0 {
			k := int32(word<<6 + mathbits.TrailingZeros64(bits))
			bt.rows = append(bt.rows, k)
			clear(g[int(k)*wd : int(k+1)*wd])
			bits &= bits - 1
		}
		mark[word] = 0
	}
	bg.Rows = bt.rows
	scatterAdd(g, nt.dz, set, nt.val, batch, wd, nt.lay.zs)
	g32, w32, lam := f32(g), f32(w), float32(nt.cnn.Lambda)
	rows := bt.rows
	for r := 0; r < len(rows); {
		r1 := r + 1
		for r1 < len(rows) && rows[r1] == rows[r1-1]+1 {
			r1++
		}
		a, b := int(rows[r])*wd, int(rows[r1-1]+1)*wd
		r = r1
		body := 0
		if use32[T]() {
			body = (b - a) / 16 * 16
		}
		if body > 0 {
			kernel.AxpyF32(&g32[a], &w32[a], body, lam)
		}
		for i := a + body; i < b; i++ {
			g32[i] = kernel.FMA32(lam, w32[i], g32[i])
		}
	}
	return bg
}
