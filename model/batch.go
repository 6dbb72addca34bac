package model

import (
	"fmt"
	mathbits "math/bits"

	"github.com/adamgap/adamgap/data"
)

// BatchLossGrad evaluates the mini-batch objective
//
//	L_B(W) = (1/|B|) Σ_{i∈B} CE(F(xᵢ), yᵢ) + (λ/2)‖W‖²_F
//
// at w for the examples batch (indices into the set, repeats allowed) and,
// when g is not nil, writes its gradient to g (same layout as w).
// Eval.Errors counts the batch's misclassified examples and Eval.GradL1,
// Eval.GradL2Sq are the norms of the batch gradient. It computes only the
// batch's patches (forward) and the rows of the gradient they touch
// (backward, BatchLossGradRows) and writes λw on the others, so it costs
// O(|B|·s·m + m·d); with B = (0, 1, …, n−1) in order it sums in the same
// order as LossGrad. It panics if w or g has the wrong length, the batch is
// empty or an index is out of range (programmer errors). A training step
// needs less: BatchLossGradRows.
func (nt *Net[T]) BatchLossGrad(g, w []T, batch []int32) Eval {
	nt.check(g, w, "BatchLossGrad")
	var ev Eval
	var dataLoss, norm2 float64
	dataLoss, ev.Errors = nt.batchHead(w, batch, g != nil)
	if g == nil {
		norm2 = sqnormOf(w)
	} else {
		norm2, ev.GradL1, ev.GradL2Sq = nt.ar.batchBackward(g, w, nt.dz, nt.set, nt.val, batch, &nt.bt, nt.lay, nt.cnn.Lambda)
	}
	ev.Loss = dataLoss + nt.cnn.Lambda/2*norm2
	return ev
}

// BatchGrad is what BatchLossGradRows computes: the batch's data term and
// the rows of its gradient that the data touch.
type BatchGrad struct {
	DataLoss float64 // (1/|B|) Σ_{i∈B} CE(F(xᵢ), yᵢ), without (λ/2)‖W‖²
	Errors   int     // the batch's misclassified examples
	// Rows lists, ascending, the coordinates k whose row of the gradient,
	// g[k·2m : (k+1)·2m], BatchLossGradRows wrote; on every other row the
	// gradient of L_B is λ·w (not written). The slice is reused by the next
	// call.
	Rows []int32
}

// BatchLossGradRows is the work of a mini-batch training step: the batch's
// forward pass, its cross-entropy, and the gradient of L_B on the rows of
// the coordinates its patches touch, with the same operations, in the same
// order, as BatchLossGrad — so that g filled with λ·w on the other rows
// (optim.RowGrad.Fill) is BatchLossGrad's gradient bit for bit. Its cost is
// O(|B|·s·m + d/64); an optimiser that implements optim.RowStepper then
// takes the step in one pass over the weights. It is BatchLossRows then
// BatchGradRows. It panics if w or g has the wrong length, the batch is
// empty or an index is out of range (programmer errors).
func (nt *Net[T]) BatchLossGradRows(g, w []T, batch []int32) BatchGrad {
	if nt.check(g, w, "BatchLossGradRows"); g == nil {
		panic("model: Net.BatchLossGradRows: nil gradient")
	}
	if _, f32 := any(g).([]float32); f32 {
		return nt.batchRows32(g, w, batch)
	}
	bg := nt.BatchLossRows(w, batch)
	nt.ar.gather(g, w, nt.dz, &nt.bt, nt.lay, nt.cnn.Lambda)
	return bg
}

// BatchLossRows is BatchLossGradRows without writing the gradient rows: the
// batch's forward pass, its cross-entropy, ∂L_B/∂Z and the list of the
// rows the batch touches, by coordinate. BatchGradRows then writes those
// rows; BatchGather describes them, for a step that computes them as it
// updates the weights (optim.RowGather). It panics as BatchLossGradRows.
func (nt *Net[T]) BatchLossRows(w []T, batch []int32) BatchGrad {
	nt.check(nil, w, "BatchLossRows")
	var bg BatchGrad
	bg.DataLoss, bg.Errors = nt.batchHead(w, batch, true)
	nt.bt.transpose(nt.set, nt.val, batch)
	bg.Rows = nt.bt.rows
	nt.bt.ready = true
	return bg
}

// BatchGradRows writes into g the gradient rows of the last BatchLossRows
// (BatchGrad.Rows), as BatchLossGradRows does; w must be the weights that
// call evaluated. It panics if g or w has the wrong length or no
// BatchLossRows came before it (since the last evaluation of another
// kind).
func (nt *Net[T]) BatchGradRows(g, w []T) {
	if nt.check(g, w, "BatchGradRows"); g == nil || !nt.bt.ready {
		panic("model: Net.BatchGradRows: nil gradient, or no BatchLossRows before it")
	}
	nt.ar.gather(g, w, nt.dz, &nt.bt, nt.lay, nt.cnn.Lambda)
}

// BatchGather describes the gradient rows of a Net's last BatchLossRows
// without computing them: row k = Rows[r] of the gradient (BatchGrad.Rows)
// is
//
//	λ·w[k] + Σ_{Ptr[r] ≤ e < Ptr[r+1]} Val[e]·DZ[Ent[e]]
//
// with DZ in rows of 2m (∂L_B/∂Z of the batch's patches, patch 2b+j the
// j-th of batch[b]), each product rounded and added in that order — how
// BatchGradRows computes them (float64, every kernel path; on arm64, where
// Go fuses the portable loop's multiply-add, one rounding a term). The
// slices are the Net's, valid until its next evaluation.
type BatchGather[T Float] struct {
	Ptr, Ent []int32
	Val, DZ  []T
}

// BatchGather returns the description of the last BatchLossRows' gradient
// rows, and false where there is none: no BatchLossRows before it, or
// float32, whose rows are computed in another order (with the decay, by
// BatchGradRows).
func (nt *Net[T]) BatchGather() (BatchGather[T], bool) {
	if _, f64 := any(nt.dz).([]float64); !f64 || !nt.bt.ready || nt.lay.zs != nt.lay.wd {
		return BatchGather[T]{}, false
	}
	bt := &nt.bt
	return BatchGather[T]{Ptr: bt.ptr, Ent: bt.ent, Val: bt.val, DZ: nt.dz[:len(nt.bt.y)*2*nt.lay.wd]}, true
}

// batchHead runs the forward pass and the head of the batch and returns its
// mean cross-entropy and error count; with grad, dz then holds ∂L_B/∂Z.
func (nt *Net[T]) batchHead(w []T, batch []int32, grad bool) (float64, int) {
	set := nt.set
	if len(batch) == 0 {
		panic("model: Net.BatchLossGrad: empty batch")
	}
	nt.buffers(len(batch))
	zs := nt.lay.zs
	nt.bt.y = nt.bt.y[:0]
	for bi, i := range batch {
		if i < 0 || int(i) >= set.N() {
			panic(fmt.Sprintf("model: Net.BatchLossGrad: batch[%d]=%d out of range [0, %d)", bi, i, set.N()))
		}
		nt.ar.forward(nt.Z[2*bi*zs:], w, set, nt.val, 2*int(i), 2*int(i)+2, nt.lay)
		nt.bt.y = append(nt.bt.y, set.Y[i])
	}
	return nt.head(nt.bt.y, len(batch), grad)
}

// batchRows holds a mini-batch's entries by coordinate (BatchLossGradRows);
// mark and count are zero between calls.
type batchRows[T Float] struct {
	y     []int8   // the batch's labels
	mark  []uint64 // a bit per coordinate touched
	count []int32  // entries per coordinate, then its next slot in ent
	rows  []int32  // BatchGrad.Rows
	ptr   []int32  // rows[r]'s entries are ent[ptr[r]:ptr[r+1]]
	ent   []int32  // patch of each entry (batch-local: 2·b + k)
	val   []T
	// ready: rows, ptr, ent, val and the Net's dz are those of the last
	// BatchLossRows (false once another evaluation reuses dz).
	ready bool
}

// transpose lists the entries of the batch's patches by coordinate (a
// counting sort): for each coordinate touched, ascending, the list of
// (patch, value) in batch order — the order in which LossGrad adds them.
func (bt *batchRows[T]) transpose(set *data.Set, val []T, batch []int32) {
	d := set.D
	if len(bt.mark) == 0 {
		bt.mark = make([]uint64, (d+63)/64)
		bt.count = make([]int32, d)
	}
	mark, count := bt.mark, bt.count
	total := 0
	for _, i := range batch {
		for k := range 2 {
			idx, _ := set.Patch(2*int(i) + k)
			total += len(idx)
			for _, j := range idx {
				count[j]++
			}
		}
	}
	// The rows touched, ascending: from count when the batch touches a good
	// part of them, else from a bit per coordinate (cheaper for small
	// batches at large d).
	bt.rows, bt.ptr = bt.rows[:0], append(bt.ptr[:0], 0)
	var start int32
	add := func(k int32) {
		bt.rows = append(bt.rows, k)
		start, count[k] = start+count[k], start // count[k] becomes k's next slot
		bt.ptr = append(bt.ptr, start)
	}
	if 8*total >= d {
		for k, n := range count {
			if n != 0 {
				add(int32(k))
			}
		}
	} else {
		for _, i := range batch {
			for k := range 2 {
				idx, _ := set.Patch(2*int(i) + k)
				for _, j := range idx {
					mark[j>>6] |= 1 << (j & 63)
				}
			}
		}
		for word, bits := range mark {
			for bits != 0 {
				add(int32(word<<6 + mathbits.TrailingZeros64(bits)))
				bits &= bits - 1
			}
			mark[word] = 0
		}
	}
	if cap(bt.ent) < total {
		bt.ent, bt.val = make([]int32, total), make([]T, total)
	}
	ent, vals := bt.ent[:total], bt.val[:total] // locals: no reload of the fields in the loop
	bt.ent, bt.val = ent, vals
	for bi, i := range batch {
		for k := range 2 {
			p := 2*int(i) + k
			a, b := set.PatchPtr[p], set.PatchPtr[p+1]
			pv := val[a:b]
			for e, j := range set.Idx[a:b] {
				slot := count[j]
				ent[slot], vals[slot] = int32(2*bi+k), pv[e]
				count[j] = slot + 1
			}
		}
	}
	for _, k := range bt.rows {
		count[k] = 0
	}
}
