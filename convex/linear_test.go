package convex

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"

	"github.com/adamgap/adamgap/data"
)

// tiny is a hand-checkable set on d = 2: two examples.
func tiny() *data.Set {
	x := [][][]float64{
		{{1, 0}, {-0.2, 0.5}},
		{{-1, 0}, {0.2, -0.3}},
	}
	return data.FromDense(x, []int8{1, -1})
}

func TestLossByHand(t *testing.T) {
	l := Linear{D: 2, Lambda: 0.1}
	w := []float64{0.5, -1, 2, 0.25} // patch 0: (0.5, −1); patch 1: (2, 0.25)
	// F(x₁) = 0.5·1 + 2·(−0.2) + 0.25·0.5 = 0.225, margin +0.225.
	// F(x₂) = 0.5·(−1) + 2·0.2 + 0.25·(−0.3) = −0.175, margin +0.175.
	m1, m2 := 0.225, 0.175
	want := (math.Log1p(math.Exp(-m1))+math.Log1p(math.Exp(-m2)))/2 + 0.1/2*(0.25+1+4+0.0625)
	set := tiny()
	if got := l.LossGrad(nil, w, set); !scalar.EqualWithinAbsOrRel(got, want, 1e-14, 1e-14) {
		t.Errorf("loss = %v, want %v", got, want)
	}
	// ∇ = λw + (1/n)Σ −yᵢσ(−mᵢ)xᵢ
	s1, s2 := 1/(1+math.Exp(m1)), 1/(1+math.Exp(m2))
	wantG := []float64{
		0.1*0.5 + (-s1*1+s2*-1*-1*-1)/2,
		0.1 * -1,
		0.1*2 + (-s1*-0.2+s2*0.2)/2,
		0.1*0.25 + (-s1*0.5+s2*-0.3)/2,
	}
	g := make([]float64, 4)
	l.LossGrad(g, w, set)
	if !floats.EqualApprox(g, wantG, 1e-14) {
		t.Errorf("gradient = %v, want %v", g, wantG)
	}
	if got := l.Errors(w, set); got != 0 {
		t.Errorf("Errors = %d, want 0 (both margins positive)", got)
	}
	if got := l.Errors(make([]float64, 4), set); got != 2 {
		t.Errorf("Errors(w=0) = %d, want 2 (ties are errors)", got)
	}
}

func TestGradientFiniteDifferences(t *testing.T) {
	pm := data.PatchModel{D: 30, S: 5, SigmaP: 0.3, Alpha: 0.2}
	set, err := pm.Train(12, rand.New(rand.NewPCG(3, 1)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 2))
	for _, lambda := range []float64{0, 1e-3, 0.5} {
		for _, scale := range []float64{0.01, 1, 10} {
			l := Linear{D: pm.D, Lambda: lambda}
			w := make([]float64, l.Size())
			for i := range w {
				w[i] = scale * rng.NormFloat64()
			}
			g := make([]float64, len(w))
			l.LossGrad(g, w, set)
			want := fd.Gradient(nil, func(x []float64) float64 { return l.LossGrad(nil, x, set) }, w, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			if d := floats.Distance(g, want, math.Inf(1)); d > 1e-7*(1+floats.Norm(want, math.Inf(1))) {
				t.Errorf("λ=%v, |w|~%v: ‖analytic − finite differences‖_∞ = %.3g", lambda, scale, d)
			}
		}
	}
}

func TestDisagreement(t *testing.T) {
	l := Linear{D: 2}
	set := tiny()
	a := []float64{0.5, -1, 2, 0.25} // outputs 0.225, −0.175
	b := []float64{1, 0, 0, 0}       // outputs 1, −1: same signs
	c := []float64{0, 0, 0, 0}       // outputs 0, 0
	for _, tt := range []struct {
		a, b []float64
		want float64
	}{{a, b, 0}, {a, c, 1}, {b, b, 0}, {[]float64{-1, 0, 0, 0}, b, 1}} {
		if got := l.Disagreement(tt.a, tt.b, set); got != tt.want {
			t.Errorf("Disagreement(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestLinearPanicsOnShape(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("LossGrad with 3 weights for d = 2 did not panic")
		}
	}()
	Linear{D: 2}.LossGrad(nil, make([]float64, 3), tiny())
}
