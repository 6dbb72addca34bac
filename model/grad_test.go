package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"

	"github.com/adamgap/adamgap/data"
)

// gradCase is one small random problem for the gradient and loss checks.
type gradCase struct {
	d, n, s, m, q int
	lambda, alpha float64
	seed          uint64
}

func (c gradCase) String() string {
	return fmt.Sprintf("d=%d,n=%d,s=%d,m=%d,q=%d,λ=%g,α=%g,seed=%d", c.d, c.n, c.s, c.m, c.q, c.lambda, c.alpha, c.seed)
}

// gradCases covers q = 1…4 on several shapes. Noise values are N(0,1) and
// σ₀ = 1/√(s+1), so pre-activations are O(1): about half the units are
// active and every power of the activation matters.
func gradCases() []gradCase {
	var cs []gradCase
	shapes := []struct{ d, n, s, m int }{{12, 4, 2, 2}, {20, 6, 3, 3}, {30, 8, 5, 4}, {17, 6, 4, 2}}
	for q := 1; q <= 4; q++ {
		for i, sh := range shapes {
			cs = append(cs, gradCase{
				d: sh.d, n: sh.n, s: sh.s, m: sh.m, q: q,
				lambda: 0.05 * float64(i+1), alpha: 0.3,
				seed: uint64(10*q + i),
			})
		}
	}
	return cs
}

// problem returns the network, a training set in dense and sparse form
// (noise in patch 1 for even examples and patch 0 for odd ones, so both
// storage orders are exercised) and random weights in the internal layout.
func (c gradCase) problem() (CNN, [][][]float64, []int8, *data.Set, []float64) {
	rng := rand.New(rand.NewPCG(c.seed, 99))
	cnn := CNN{D: c.d, M: c.m, Q: float64(c.q), Lambda: c.lambda}
	x := make([][][]float64, c.n)
	y := make([]int8, c.n)
	for i := range x {
		y[i] = 1
		if i%2 == 1 {
			y[i] = -1
		}
		feat := make([]float64, c.d)
		feat[0] = float64(y[i])
		noise := make([]float64, c.d)
		noise[0] = -c.alpha * float64(y[i])
		for _, k := range rng.Perm(c.d - 1)[:c.s] {
			noise[k+1] = rng.NormFloat64()
		}
		x[i] = [][]float64{feat, noise}
		if i%4 == 1 {
			x[i] = [][]float64{noise, feat}
		}
	}
	w := cnn.Init(1/math.Sqrt(float64(c.s+1)), rng)
	return cnn, x, y, data.FromDense(x, y), w
}

func TestLossGradFiniteDifferences(t *testing.T) {
	// Central differences have truncation error O(h²·f''') ≈ 1e-12 and
	// rounding error O(ε·|L|/h) ≈ 1e-10 at h = 1e-6; 1e-7 leaves a margin
	// of 1000 while a wrong factor or a missed term is O(1e-2) or more.
	const tol = 1e-7
	for _, c := range gradCases() {
		t.Run(c.String(), func(t *testing.T) {
			cnn, _, _, set, w := c.problem()
			ws := NewNet[float64](cnn, set)
			g := make([]float64, len(w))
			ws.LossGrad(g, w)

			f := func(x []float64) float64 { return NewNet[float64](cnn, set).LossGrad(nil, x).Loss }
			want := fd.Gradient(nil, f, w, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			dist := floats.Distance(g, want, math.Inf(1))
			scale := math.Max(1, floats.Norm(want, math.Inf(1)))
			if dist > tol*scale {
				t.Errorf("‖analytic − finite differences‖∞ = %.3g > %.1g (‖fd‖∞ = %.3g)", dist, tol*scale, scale)
			}
			if floats.Norm(g, math.Inf(1)) == 0 {
				t.Errorf("gradient is identically zero; the test would not see a wrong one")
			}
		})
	}
}

func TestLossMatchesNaive(t *testing.T) {
	const tol = 1e-12 // relative: the two sums differ only in rounding order
	for _, c := range gradCases() {
		t.Run(c.String(), func(t *testing.T) {
			cnn, x, y, set, w := c.problem()
			got := NewNet[float64](cnn, set).LossGrad(make([]float64, len(w)), w).Loss
			gotNoGrad := NewNet[float64](cnn, set).LossGrad(nil, w).Loss
			want := naiveLoss(cnn, cnn.ToTensor(w), x, y)
			if !scalar.EqualWithinAbsOrRel(got, want, tol, tol) {
				t.Errorf("loss = %.17g, naive = %.17g, distance %.3g", got, want, math.Abs(got-want))
			}
			if !scalar.EqualWithinAbsOrRel(gotNoGrad, want, tol, tol) {
				t.Errorf("loss without gradient = %.17g, naive = %.17g, distance %.3g", gotNoGrad, want, math.Abs(gotNoGrad-want))
			}
		})
	}
}

// TestLossStableForLargeMargins checks the log-sum-exp: with outputs of
// order 1e3 a naive exp overflows, while the loss must stay finite and equal
// the margin of the misclassified examples.
func TestLossStableForLargeMargins(t *testing.T) {
	cnn := CNN{D: 3, M: 1, Q: 1}
	x := [][][]float64{
		{{1, 0, 0}, {0, 1, 0}},
		{{-1, 0, 0}, {0, 0, 1}},
	}
	y := []int8{1, -1}
	set := data.FromDense(x, y)
	// Class +1 unit reads coordinate 0 with weight 1000 and coordinate 2
	// with 2000; the class −1 unit has zero weights. Example 0 (y=+1):
	// F₊ = 1000, F₋ = 0, CE ≈ e^{−1000} = 0. Example 1 (y=−1): F₊ = 2000,
	// F₋ = 0, CE = 2000 + log(1+e^{−2000}) = 2000. Mean: 1000.
	w := make([]float64, cnn.Size())
	w[cnn.At(1, 0, 0)] = 1000
	w[cnn.At(1, 0, 2)] = 2000
	g := make([]float64, len(w))
	ev := NewNet[float64](cnn, set).LossGrad(g, w)
	if ev.Loss != 1000 {
		t.Errorf("loss = %v, want 1000", ev.Loss)
	}
	if ev.Errors != 1 {
		t.Errorf("errors = %d, want 1", ev.Errors)
	}
	for e, v := range g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("g[%d] = %v", e, v)
		}
	}
}
