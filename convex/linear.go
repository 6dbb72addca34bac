package convex

import (
	"errors"
	"fmt"
	"math"

	"github.com/adamgap/adamgap/data"
)

// ErrInvalid is wrapped by every error about a parameter out of its range.
var ErrInvalid = errors.New("convex")

// Linear is the model F(w, x) = ⟨w, x⟩ with logistic loss and weight decay
// λ. Weight k·D + j multiplies coordinate j of patch k ∈ {0, 1}, so w has
// 2D entries.
type Linear struct {
	D      int     // patch dimension d ≥ 1
	Lambda float64 // weight decay λ ≥ 0 (λ > 0 for a unique minimiser)
}

// Validate reports the first parameter out of its allowed range.
func (l Linear) Validate() error {
	switch {
	case l.D < 1:
		return fmt.Errorf("%w: d=%d must be at least 1", ErrInvalid, l.D)
	case !(l.Lambda >= 0) || math.IsInf(l.Lambda, 0):
		return fmt.Errorf("%w: lambda=%v must be a finite number >= 0", ErrInvalid, l.Lambda)
	}
	return nil
}

// Size returns the number of weights, 2d.
func (l Linear) Size() int { return 2 * l.D }

func (l Linear) check(w []float64, set *data.Set) {
	if len(w) != l.Size() || set.D != l.D {
		panic(fmt.Sprintf("convex: %d weights and data of dimension %d for a model of dimension %d (want %d weights)", len(w), set.D, l.D, l.Size()))
	}
}

// Output returns F(w, xᵢ) = ⟨w, xᵢ⟩ for example i of set.
func (l Linear) Output(w []float64, set *data.Set, i int) float64 {
	f := 0.0
	for k := range 2 {
		idx, val := set.Patch(2*i + k)
		wk := w[k*l.D : (k+1)*l.D]
		for e, j := range idx {
			f += val[e] * wk[j]
		}
	}
	return f
}

// LossGrad returns L(w) on set and, when g is not nil, writes ∇L(w) to g.
// It panics if w or g has the wrong length or set the wrong dimension.
func (l Linear) LossGrad(g, w []float64, set *data.Set) float64 {
	l.check(w, set)
	if g != nil {
		if len(g) != len(w) {
			panic("convex: LossGrad: gradient and weights differ in length")
		}
		for k, wk := range w {
			g[k] = l.Lambda * wk
		}
	}
	n := float64(set.N())
	loss := 0.0
	for i, y := range set.Y {
		m := float64(y) * l.Output(w, set, i) // margin
		loss += softplus(-m)
		if g == nil {
			continue
		}
		// d/dF log(1+e^{−yF}) = −y·σ(−yF)
		c := -float64(y) * sigmoid(-m) / n
		for k := range 2 {
			idx, val := set.Patch(2*i + k)
			gk := g[k*l.D : (k+1)*l.D]
			for e, j := range idx {
				gk[j] += c * val[e]
			}
		}
	}
	sq := 0.0
	for _, wk := range w {
		sq += wk * wk
	}
	return loss/n + l.Lambda/2*sq
}

// Errors counts the examples of set with yᵢ·F(w, xᵢ) ≤ 0 (ties are errors,
// as for the network).
func (l Linear) Errors(w []float64, set *data.Set) int {
	l.check(w, set)
	bad := 0
	for i, y := range set.Y {
		if float64(y)*l.Output(w, set, i) <= 0 {
			bad++
		}
	}
	return bad
}

// softplus returns log(1 + e^x) without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// sigmoid returns 1/(1 + e^{−x}) without overflow.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
