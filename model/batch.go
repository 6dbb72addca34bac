package model

import (
	"fmt"

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
// out of range (programmer errors).
func (b *BatchWorkspace) LossGrad(g, w []float64, batch []int32) Eval {
	c, set := b.cnn, b.set
	if len(w) != c.Size() || (g != nil && len(g) != c.Size()) {
		panic(fmt.Sprintf("model: BatchWorkspace.LossGrad: len(w)=%d len(g)=%d, want %d", len(w), len(g), c.Size()))
	}
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

	active.activate(b.Z[:2*len(batch)*wd], b.s, b.dz, c.Q)
	inv := 1 / float64(len(batch))
	var ev Eval
	var sum float64
	for bi, i := range batch {
		loss, wrong := c.example(b.s[2*bi*wd:(2*bi+2)*wd], b.dz[2*bi*wd:(2*bi+2)*wd], set.Y[i], inv, g != nil)
		sum += loss
		if wrong {
			ev.Errors++
		}
	}

	// Backward: g = λw, then scatter each patch's dz into the rows of its
	// coordinates.
	var norm2 float64
	for k := range c.D {
		wk := w[k*wd : (k+1)*wd]
		for col, v := range wk {
			if g != nil {
				g[k*wd+col] = c.Lambda * v
			}
			norm2 += v * v
		}
	}
	if g != nil {
		for bi, i := range batch {
			for k := range 2 {
				dp := b.dz[(2*bi+k)*wd : (2*bi+k+1)*wd]
				idx, val := set.Patch(2*int(i) + k)
				for e, j := range idx {
					axpy(g[int(j)*wd:int(j+1)*wd], dp, val[e])
				}
			}
		}
		for _, v := range g {
			ev.GradL1 += abs(v)
			ev.GradL2Sq += v * v
		}
	}
	ev.Loss = sum*inv + c.Lambda/2*norm2
	return ev
}
