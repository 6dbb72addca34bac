package model

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/adamgap/adamgap/data"
)

// Net evaluates the objective of a CNN on one training set: the full
// training loss
//
//	L(W) = (1/n) Σᵢ CE(F(xᵢ), yᵢ) + (λ/2)‖W‖²_F
//
// (LossGrad), the mini-batch loss L_B of a batch B of examples, with
// (1/|B|) Σ_{i∈B} in place of (1/n) Σᵢ (BatchLossGrad, BatchLossGradRows),
// their gradients and error counts, with weights, gradient, pre-activations,
// activations and their derivatives held in T. It is the one
// implementation of all of these; ClassErrors and CNN.Outputs run its
// forward pass and head in chunks.
//
// An evaluation is four stages, each run once for all the examples
// evaluated: the forward pass (pre-activations Z of every patch), the
// activation (σ(Z) and σ'(Z)), the head (the outputs F, the cross-entropy,
// the error count and ∂L/∂F, computed in float64 whatever T is) and, for a
// gradient, the backward pass (∂L/∂Z = σ'(Z)·∂L/∂F, gathered into the rows
// of the gradient, plus λW). The hot loops of the stages are the
// precision's (see arith: float64 runs the kernel set in use, float32
// PyTorch's float32 order), so Net[float64] gives the numbers of the
// float64 kernels and Net[float32] those of PyTorch on float32 tensors.
//
// The activation σ enters in the activation stage only: it writes σ(z) and
// σ'(z) for every pre-activation, and the head and the backward pass read
// nothing else. An activation is therefore a value of CNN.Activation (with
// its validation and its σ in CNN.sigma, activation.go) and, for a fast
// path, a kernel behind arith.activate; nothing else changes. Likewise the
// output scale (CNN.Output: F = Σ/m for mean) is one division in the head:
// F ← F/m after heads, ∂L/∂σ = ∂L/∂F / m before scale.
//
// The data's values are rounded to T as they are used (as PyTorch's
// X.to(float32)). It owns its buffers, so one Net serves one goroutine;
// the Set may be shared. Its buffers grow to the largest evaluation.
type Net[T Float] struct {
	cnn CNN
	set *data.Set
	ar  *arith[T]
	lay *layout
	// val and colVal are set.Val and set.ColVal in T (the Set's own slices
	// for float64).
	val, colVal []T
	// Z holds the pre-activations of the last evaluation, patch-major:
	// Z[p·zs + c] = ⟨w_c, patch p⟩ with p = 2i+k for a full-batch
	// evaluation, p = 2b+k for example batch[b] of a mini-batch (see the
	// package doc for c); zs = 2m for float64 (see PreActivations).
	Z  []T
	s  []T          // σ(Z)
	dz []T          // σ'(Z), then ∂L/∂Z
	f  []float64    // F of each example of the last evaluation, then ∂L/∂F
	bt batchRows[T] // the last mini-batch's entries by coordinate
}

// NewNet returns a Net for the network on the set. It panics if the
// network is invalid (CNN.Validate), the set malformed (data.Set.Validate,
// one pass over its entries) or their dimensions differ: programmer
// errors, checked once here because the kernels trust the set's indices.
func NewNet[T Float](c CNN, set *data.Set) *Net[T] {
	mustFit("NewNet", c, set)
	ar := arithOf[T]()
	return &Net[T]{cnn: c, set: set, ar: ar, lay: newLayout[T](c), val: ar.values(set.Val), colVal: ar.values(set.ColVal)}
}

// Eval is the result of one evaluation of the objective.
type Eval struct {
	Loss     float64 // mean cross-entropy + (λ/2)‖W‖²
	Errors   int     // examples evaluated with F_y ≤ F_{−y}
	GradL1   float64 // ‖∇L‖₁ (0 when no gradient was asked for)
	GradL2Sq float64 // ‖∇L‖²_F (0 when no gradient was asked for)
}

// PreActivations writes the pre-activations of the last full-batch
// evaluation to dst (grown if needed) with rows 2m apart, the layout that
// train.Probe reads, and returns it; for float64 it returns Z itself.
func (nt *Net[T]) PreActivations(dst []T) []T {
	wd, zs, rows := nt.lay.wd, nt.lay.zs, 2*nt.set.N()
	if zs == wd {
		return nt.Z[:rows*wd]
	}
	dst = slices.Grow(dst[:0], rows*wd)[:rows*wd]
	for p := range rows {
		copy(dst[p*wd:(p+1)*wd], nt.Z[p*zs:p*zs+wd])
	}
	return dst
}

func (nt *Net[T]) check(g, w []T, what string) {
	if size := nt.cnn.Size(); len(w) != size || (g != nil && len(g) != size) {
		panic(fmt.Sprintf("model: Net.%s: len(w)=%d len(g)=%d, want %d", what, len(w), len(g), size))
	}
}

// buffers sizes the activations for count examples.
func (nt *Net[T]) buffers(count int) {
	nt.bt.ready = false // dz is about to change: BatchGather has nothing to describe
	if need := 2 * count * nt.lay.zs; len(nt.Z) < need {
		nt.Z, nt.s, nt.dz = make([]T, need), make([]T, need), make([]T, need)
	}
	nt.f = slices.Grow(nt.f[:0], 2*count)[:2*count]
}

// LossGrad evaluates the full training objective at w and, when g is not
// nil, writes its gradient to g (same layout as w). Eval.Errors counts the
// misclassified training examples. It panics if w or g has the wrong
// length.
func (nt *Net[T]) LossGrad(g, w []T) Eval {
	nt.check(g, w, "LossGrad")
	n := nt.set.N()
	nt.buffers(n)
	nt.ar.forwardAll(nt.Z, w, nt.set, nt.val, nt.lay)
	var ev Eval
	var dataLoss float64
	dataLoss, ev.Errors = nt.head(nt.set.Y, n, g != nil)
	var norm2 float64
	if g == nil {
		norm2 = nt.ar.sqnorm(w, nt.lay)
	} else {
		norm2, ev.GradL1, ev.GradL2Sq = nt.ar.backward(g, w, nt.dz, nt.set, nt.colVal, nt.lay, nt.cnn.Lambda)
	}
	ev.Loss = dataLoss + nt.cnn.Lambda/2*norm2
	return ev
}

// head runs the activation and the head on the count examples whose
// pre-activations are in Z, example b with label y[b]: it returns their
// mean cross-entropy and error count and, with grad, leaves ∂(mean
// cross-entropy)/∂Z in dz.
func (nt *Net[T]) head(y []int8, count int, grad bool) (float64, int) {
	zn := 2 * count * nt.lay.zs
	nt.ar.activate(nt.cnn, nt.Z[:zn], nt.s, nt.dz)
	nt.ar.heads(nt.f, nt.s, count, nt.lay)
	div := nt.cnn.outputDiv()
	inv := 1 / float64(count)
	var sum float64
	errs := 0
	for b := range count {
		f := nt.f[2*b : 2*b+2]
		f[0], f[1] = f[0]/div, f[1]/div
		loss, wrong, dF := crossEntropy(f, y[b], inv)
		sum += loss
		if wrong {
			errs++
		}
		f[0], f[1] = dF[0]/div, dF[1]/div // ∂L/∂F·∂F/∂σ
	}
	if grad {
		nt.ar.scale(nt.dz, nt.f, count, nt.lay)
	}
	return nt.ar.mean(sum, count), errs
}

// crossEntropy returns, for an example of label y with outputs f = (F_{−1},
// F_{+1}), its cross-entropy softplus(F_{−y} − F_y), whether it is
// misclassified (F_y ≤ F_{−y}) and the derivative of scale × its loss with
// respect to f.
func crossEntropy(f []float64, y int8, scale float64) (loss float64, wrong bool, dF [2]float64) {
	yi := 0
	if y > 0 {
		yi = 1
	}
	margin := f[1-yi] - f[yi] // F_{−y} − F_y
	// One exponential serves the loss softplus(margin) and its derivative
	// sigmoid(margin), both computed without overflow.
	e := math.Exp(-math.Abs(margin))
	loss = math.Log1p(e)
	sig := e / (1 + e)
	if margin > 0 {
		loss += margin
	}
	if margin >= 0 {
		sig = 1 / (1 + e)
	}
	p := sig * scale // ∂/∂F_{−y}; ∂/∂F_y = −p
	dF[yi], dF[1-yi] = -p, p
	return loss, margin >= 0, dF
}

// ClassErrors counts the examples of set that the network at w
// misclassifies (F_y ≤ F_{−y}), by label, with the arithmetic of T (F as
// Net[T] computes it, so the two count the same errors). It evaluates
// errorChunk examples at a time, so it holds no array larger than
// 2·errorChunk·2m whatever the size of the set, and stops with ctx's error
// (and the counts so far) between chunks once ctx is done. It needs only
// the set's row form; it panics on an invalid network, a malformed set or
// dimensions that differ (data.Set.ValidateRows), and if len(w) is not
// c.Size().
func ClassErrors[T Float](ctx context.Context, c CNN, w []T, set *data.Set) (ClassCount, error) {
	var cc ClassCount
	err := chunks(ctx, "Errors", c, w, set, func(i int, f []float64) { cc.add(set.Y[i], [2]float64(f)) })
	return cc, err
}

// chunks runs the forward pass and the outputs F of every example of set
// at w, errorChunk examples at a time, and calls out(i, F of example i) in
// order; it stops with ctx's error between chunks.
func chunks[T Float](ctx context.Context, caller string, c CNN, w []T, set *data.Set, out func(i int, f []float64)) error {
	mustFitRows(caller, c, set)
	if len(w) != c.Size() {
		panic(fmt.Sprintf("model: %s: len(w)=%d, want %d", caller, len(w), c.Size()))
	}
	ar := arithOf[T]()
	nt := &Net[T]{cnn: c, set: set, ar: ar, lay: newLayout[T](c)}
	nt.lay.chunked = true
	nt.buffers(min(set.N(), errorChunk))
	done := ctx.Done()
	whole, isWhole := any(set.Val).([]T) // float64: the set's own values
	val := whole                         // the chunk's values in T
	for i0 := 0; i0 < set.N(); i0 += errorChunk {
		select {
		case <-done:
			return ctx.Err()
		default:
		}
		i1 := min(i0+errorChunk, set.N())
		a, b := set.PatchPtr[2*i0], set.PatchPtr[2*i1]
		if !isWhole {
			val = val[:0]
			for _, v := range set.Val[a:b] {
				val = append(val, T(v))
			}
		}
		ar.forward(nt.Z, w, set, val, 2*i0, 2*i1, nt.lay)
		ar.activate(c, nt.Z[:2*(i1-i0)*nt.lay.zs], nt.s, nt.dz)
		ar.heads(nt.f, nt.s, i1-i0, nt.lay)
		div := c.outputDiv()
		for i := i0; i < i1; i++ {
			f := nt.f[2*(i-i0) : 2*(i-i0)+2]
			f[0], f[1] = f[0]/div, f[1]/div
			out(i, f)
		}
	}
	return nil
}

// errorChunk is the number of examples ClassErrors evaluates at once.
const errorChunk = 256

// Errors counts the examples of set that the network at w misclassifies
// (F_y ≤ F_{−y}); it is ClassErrors(w, set).Total().
func (c CNN) Errors(w []float64, set *data.Set) int {
	return c.ClassErrors(w, set).Total()
}

// ErrorsContext is Errors that stops with ctx's error, between chunks of
// errorChunk examples, once ctx is done. It panics as Errors does.
func (c CNN) ErrorsContext(ctx context.Context, w []float64, set *data.Set) (int, error) {
	cc, err := ClassErrors(ctx, c, w, set)
	return cc.Total(), err
}

// ClassErrors is the package's ClassErrors in float64, without a context.
func (c CNN) ClassErrors(w []float64, set *data.Set) ClassCount {
	cc, _ := ClassErrors(context.Background(), c, w, set)
	return cc
}

// ClassErrorsContext is the package's ClassErrors in float64.
func (c CNN) ClassErrorsContext(ctx context.Context, w []float64, set *data.Set) (ClassCount, error) {
	return ClassErrors(ctx, c, w, set)
}
