package model

import (
	"context"
	"fmt"
	"math"

	"github.com/adamgap/adamgap/data"
)

// Workspace evaluates the loss and gradient of a CNN on one training set. It
// owns its buffers, so one Workspace serves one goroutine; the Set may be
// shared.
type Workspace struct {
	cnn CNN
	set *data.Set
	// Z holds the pre-activations of the last evaluation, patch-major:
	// Z[p·2m + c] = ⟨w_c, patch p⟩ with p = 2i+k (see package doc for c).
	Z  []float64
	s  []float64 // σ(Z), same layout
	dz []float64 // ∂L/∂Z, same layout
	// dense holds the dense patches (Gaussian noise) for the dense
	// kernels; nil when the set has none (dense.go).
	dense *denseSet
}

// NewWorkspace returns a Workspace for the network on the set. It panics if
// the network is invalid (CNN.Validate), the set malformed (data.Set.Validate,
// one pass over its entries) or their dimensions differ: programmer errors,
// checked once here because the kernels trust the set's indices.
func NewWorkspace(c CNN, set *data.Set) *Workspace {
	mustFit("NewWorkspace", c, set)
	np := 2 * set.N()
	size := np * c.Width()
	return &Workspace{cnn: c, set: set, Z: make([]float64, size), s: make([]float64, size), dz: make([]float64, size), dense: newDenseSet(set, c.Width())}
}

// Eval is the result of one evaluation of the objective.
type Eval struct {
	Loss     float64 // mean cross-entropy + (λ/2)‖W‖²
	Errors   int     // training examples with F_y ≤ F_{−y}
	GradL1   float64 // ‖∇L‖₁ (0 when no gradient was asked for)
	GradL2Sq float64 // ‖∇L‖²_F (0 when no gradient was asked for)
}

// LossGrad evaluates the objective at w and, when g is not nil, writes its
// gradient to g (same layout as w). It panics if w or g has the wrong length.
func (ws *Workspace) LossGrad(g, w []float64) Eval {
	c, set := ws.cnn, ws.set
	if len(w) != c.Size() || (g != nil && len(g) != c.Size()) {
		panic(fmt.Sprintf("model: LossGrad: len(w)=%d len(g)=%d, want %d", len(w), len(g), c.Size()))
	}
	wd := c.Width()
	if ws.dense != nil {
		ws.dense.forward(ws.Z, w, wd)
	} else {
		active.forward(ws.Z, w, set, 0, len(set.PatchPtr)-1, wd)
	}
	c.activate(ws.Z, ws.s, ws.dz)

	n := set.N()
	inv := 1 / float64(n)
	var ev Eval
	var sum float64
	for i := range n {
		loss, wrong := c.example(ws.s[2*i*wd:(2*i+2)*wd], ws.dz[2*i*wd:(2*i+2)*wd], set.Y[i], inv, g != nil)
		sum += loss
		if wrong {
			ev.Errors++
		}
	}
	var norm2 float64
	if g == nil {
		norm2 = active.sqnorm(w, c.D, wd)
	} else if ws.dense != nil {
		norm2, ev.GradL1, ev.GradL2Sq = ws.dense.backward(g, w, ws.dz, wd, c.Lambda)
	} else {
		norm2, ev.GradL1, ev.GradL2Sq = active.backward(g, w, ws.dz, set, wd, c.Lambda)
	}
	ev.Loss = sum*inv + c.Lambda/2*norm2
	return ev
}

// Errors counts the examples of set that the network at w misclassifies
// (F_y ≤ F_{−y}); it is ClassErrors(w, set).Total().
func (c CNN) Errors(w []float64, set *data.Set) int {
	return c.ClassErrors(w, set).Total()
}

// ErrorsContext is Errors that stops with ctx's error, between chunks of
// errorChunk examples, once ctx is done. It panics as Errors does.
func (c CNN) ErrorsContext(ctx context.Context, w []float64, set *data.Set) (int, error) {
	cc, err := c.ClassErrorsContext(ctx, w, set)
	return cc.Total(), err
}

// ClassErrors counts the examples of set that the network at w
// misclassifies (F_y ≤ F_{−y}), by label. It evaluates errorChunk examples
// at a time, so it holds no array larger than 2·errorChunk·2m whatever the
// size of the set. It panics, as NewWorkspace does, on an invalid network,
// a malformed set or dimensions that differ, and if len(w) is not
// c.Size().
func (c CNN) ClassErrors(w []float64, set *data.Set) ClassCount {
	cc, _ := c.ClassErrorsContext(context.Background(), w, set)
	return cc
}

// ClassErrorsContext is ClassErrors that stops with ctx's error (and the
// counts so far), between chunks of errorChunk examples, once ctx is done.
func (c CNN) ClassErrorsContext(ctx context.Context, w []float64, set *data.Set) (ClassCount, error) {
	mustFitRows("Errors", c, set)
	if len(w) != c.Size() {
		panic(fmt.Sprintf("model: Errors: len(w)=%d, want %d", len(w), c.Size()))
	}
	done := ctx.Done()
	wd := c.Width()
	n := set.N()
	size := 2 * min(n, errorChunk) * wd
	z, s, ds := make([]float64, size), make([]float64, size), make([]float64, size)
	var cc ClassCount
	var buf []float64 // dense patches (forwardAny)
	for i0 := 0; i0 < n; i0 += errorChunk {
		select {
		case <-done:
			return cc, ctx.Err()
		default:
		}
		i1 := min(i0+errorChunk, n)
		buf = forwardAny(z, w, set, 2*i0, 2*i1, wd, buf)
		c.activate(z[:2*(i1-i0)*wd], s, ds)
		for i := i0; i < i1; i++ {
			var f [2]float64
			si := s[2*(i-i0)*wd : 2*(i-i0+1)*wd]
			for j := range 2 {
				for col := j * c.M; col < (j+1)*c.M; col++ {
					f[j] += si[col] + si[wd+col]
				}
				f[j] /= c.outputDiv()
			}
			cc.add(set.Y[i], f)
		}
	}
	return cc, nil
}

// errorChunk is the number of examples Errors evaluates at once.
const errorChunk = 256

// example evaluates one example from the activations s = σ(z) of its two
// patches (2·2m values, patch-major) and their derivatives σ'(z), held in
// dz. It returns its cross-entropy softplus(F_{−y} − F_y) and whether it is
// misclassified (F_y ≤ F_{−y}) and, when grad is true, scales dz in place to
// the derivative of scale × that loss with respect to z.
func (c CNN) example(s, dz []float64, y int8, scale float64, grad bool) (loss float64, wrong bool) {
	wd, m := c.Width(), c.M
	s0, s1 := s[:wd], s[wd:2*wd]
	d0, d1 := dz[:wd], dz[wd:2*wd]
	var f [2]float64 // f[0] = F_{−1}, f[1] = F_{+1}
	div := c.outputDiv()
	for j := range 2 { // class j': columns j'·m … j'·m+m−1
		// A local accumulator (the same additions in the same order as
		// f[j] += …) stays in a register instead of a stack slot.
		var fj float64
		a, b := s0[j*m:(j+1)*m], s1[j*m:(j+1)*m]
		b = b[:len(a)]
		for col, v := range a {
			fj += v + b[col]
		}
		f[j] = fj / div
	}
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
	if grad {
		p := sig * scale / div // ∂/∂F_{−y}·∂F/∂σ; ∂/∂F_y·∂F/∂σ = −p
		var dF [2]float64
		dF[yi], dF[1-yi] = -p, p
		for j := range 2 {
			dfj := dF[j]
			a, b := d0[j*m:(j+1)*m], d1[j*m:(j+1)*m]
			b = b[:len(a)]
			for col := range a {
				a[col] *= dfj
				b[col] *= dfj
			}
		}
	}
	return loss, margin >= 0
}
