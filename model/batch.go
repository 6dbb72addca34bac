package model

import (
	"fmt"
	mathbits "math/bits"

	"github.com/adamgap/adamgap/data"
)

// BatchWorkspace evaluates the objective of a mini-batch B of a training
// set,
//
//	L_B(W) = (1/|B|) Σ_{i∈B} CE(F(xᵢ), yᵢ) + (λ/2)‖W‖²_F,
//
// and its gradient. It computes only the |B| examples' patches (forward)
// and scatters their contributions into the gradient (backward), so a step
// costs O(|B|·s·m + m·d). With B = (0, 1, …, n−1) in order it sums in the
// same order as Workspace.LossGrad and gives the same numbers. It owns its
// buffers, so one BatchWorkspace serves one goroutine; the Set may be
// shared.
type BatchWorkspace struct {
	cnn CNN
	set *data.Set
	// Z holds the pre-activations of the last evaluation, batch-major:
	// Z[(2b+k)·2m + c] = ⟨w_c, patch k of example batch[b]⟩.
	Z  []float64
	s  []float64 // σ(Z), same layout
	dz []float64 // ∂L_B/∂Z, same layout

	// The batch's entries by coordinate (LossGradRows): mark and count are
	// zero between calls.
	mark  []uint64 // a bit per coordinate touched
	count []int32  // entries per coordinate, then its next slot in ent
	rows  []int32  // BatchGrad.Rows
	ptr   []int32  // rows[r]'s entries are ent[ptr[r]:ptr[r+1]]
	ent   []int32  // patch of each entry (batch-local: 2·b + k)
	val   []float64
}

// NewBatchWorkspace returns a BatchWorkspace for the network on the set; it
// panics as NewWorkspace does (invalid network, malformed set, dimensions
// that differ). Its buffers grow to the largest batch evaluated.
func NewBatchWorkspace(c CNN, set *data.Set) *BatchWorkspace {
	mustFit("NewBatchWorkspace", c, set)
	return &BatchWorkspace{cnn: c, set: set}
}

// LossGrad evaluates L_B at w for the examples batch (indices into the set,
// repeats allowed) and, when g is not nil, writes its gradient to g (same
// layout as w). Eval.Errors counts the batch's misclassified examples and
// Eval.GradL1, Eval.GradL2Sq are the norms of the batch gradient. It
// panics if w or g has the wrong length, the batch is empty or an index is
// out of range (programmer errors). A training step needs less:
// LossGradRows.
func (b *BatchWorkspace) LossGrad(g, w []float64, batch []int32) Eval {
	c := b.cnn
	if len(w) != c.Size() || (g != nil && len(g) != c.Size()) {
		panic(fmt.Sprintf("model: BatchWorkspace.LossGrad: len(w)=%d len(g)=%d, want %d", len(w), len(g), c.Size()))
	}
	var ev Eval
	var dataLoss float64
	if g == nil {
		dataLoss, ev.Errors = b.lossAt(w, batch, false)
	} else {
		bg := b.LossGradRows(g, w, batch)
		dataLoss, ev.Errors = bg.DataLoss, bg.Errors
		// g = λw on the rows the batch does not touch.
		wd := c.Width()
		next := 0
		for k := range c.D {
			if next < len(bg.Rows) && int(bg.Rows[next]) == k {
				next++
				continue
			}
			gk, wk := g[k*wd:(k+1)*wd], w[k*wd:(k+1)*wd]
			for col, v := range wk {
				gk[col] = c.Lambda * v
			}
		}
		for _, v := range g {
			ev.GradL1 += abs(v)
			ev.GradL2Sq += v * v
		}
	}
	var norm2 float64
	for _, v := range w {
		norm2 += v * v
	}
	ev.Loss = dataLoss + c.Lambda/2*norm2
	return ev
}

// BatchGrad is what LossGradRows computes: the batch's data term and the
// rows of its gradient that the data touch.
type BatchGrad struct {
	DataLoss float64 // (1/|B|) Σ_{i∈B} CE(F(xᵢ), yᵢ), without (λ/2)‖W‖²
	Errors   int     // the batch's misclassified examples
	// Rows lists, ascending, the coordinates k whose row of the gradient,
	// g[k·2m : (k+1)·2m], LossGradRows wrote; on every other row the
	// gradient of L_B is λ·w (not written). The slice is reused by the next
	// call.
	Rows []int32
}

// LossGradRows is the work of a mini-batch training step: the batch's
// forward pass, its cross-entropy, and the gradient of L_B on the rows of
// the coordinates its patches touch, with the same operations, in the same
// order, as LossGrad — so that g filled with λ·w on the other rows
// (optim.RowGrad.Fill) is LossGrad's gradient bit for bit. Its cost is
// O(|B|·s·m + d/64); an optimiser that implements
// optim.RowStepper then takes the step in one pass over the weights. It
// panics if w or g has the wrong length, the batch is empty or an index is
// out of range (programmer errors).
func (b *BatchWorkspace) LossGradRows(g, w []float64, batch []int32) BatchGrad {
	c, set := b.cnn, b.set
	if len(w) != c.Size() || len(g) != c.Size() {
		panic(fmt.Sprintf("model: BatchWorkspace.LossGradRows: len(w)=%d len(g)=%d, want %d", len(w), len(g), c.Size()))
	}
	var bg BatchGrad
	bg.DataLoss, bg.Errors = b.lossAt(w, batch, true)

	// The entries of the batch's patches, transposed (a counting sort): for
	// each coordinate touched, ascending, the list of (patch, value) in
	// batch order — the order in which LossGrad adds them.
	if len(b.mark) == 0 {
		b.mark = make([]uint64, (c.D+63)/64)
		b.count = make([]int32, c.D)
	}
	mark, count := b.mark, b.count
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
	b.rows, b.ptr = b.rows[:0], append(b.ptr[:0], 0)
	var start int32
	add := func(k int32) {
		b.rows = append(b.rows, k)
		start, count[k] = start+count[k], start // count[k] becomes k's next slot
		b.ptr = append(b.ptr, start)
	}
	if 8*total >= c.D {
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
	if cap(b.ent) < total {
		b.ent, b.val = make([]int32, total), make([]float64, total)
	}
	ent, vals := b.ent[:total], b.val[:total]
	for bi, i := range batch {
		for k := range 2 {
			idx, val := set.Patch(2*int(i) + k)
			p := int32(2*bi + k)
			for e, j := range idx {
				slot := count[j]
				ent[slot], vals[slot] = p, val[e]
				count[j] = slot + 1
			}
		}
	}
	for _, k := range b.rows {
		count[k] = 0
	}
	bg.Rows = b.rows
	active.gatherRows(g, w, b.dz, b.rows, b.ptr, ent, vals, c.Width(), c.Lambda)
	return bg
}

// lossAt runs the forward pass of the batch and returns its mean
// cross-entropy and error count; with grad, dz then holds ∂L_B/∂Z.
func (b *BatchWorkspace) lossAt(w []float64, batch []int32, grad bool) (float64, int) {
	c, set := b.cnn, b.set
	if len(batch) == 0 {
		panic("model: BatchWorkspace.LossGrad: empty batch")
	}
	wd := c.Width()
	if need := 2 * len(batch) * wd; len(b.Z) < need {
		b.Z, b.s, b.dz = make([]float64, need), make([]float64, need), make([]float64, need)
	}
	// Forward: the batch's patches only.
	for bi, i := range batch {
		if i < 0 || int(i) >= set.N() {
			panic(fmt.Sprintf("model: BatchWorkspace.LossGrad: batch[%d]=%d out of range [0, %d)", bi, i, set.N()))
		}
		active.forward(b.Z[2*bi*wd:], w, set, 2*int(i), 2*int(i)+2, wd)
	}
	c.activate(b.Z[:2*len(batch)*wd], b.s, b.dz)
	inv := 1 / float64(len(batch))
	var sum float64
	errs := 0
	for bi, i := range batch {
		loss, wrong := c.example(b.s[2*bi*wd:(2*bi+2)*wd], b.dz[2*bi*wd:(2*bi+2)*wd], set.Y[i], inv, grad)
		sum += loss
		if wrong {
			errs++
		}
	}
	return sum * inv, errs
}
