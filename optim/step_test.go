package optim

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
)

// Two steps of each core optimiser from w₀ = (1, −2, 0.5) with gradients
// g₁ = (0.4, −0.9, 1.9) and g₂ = (0.4, 0.9, 0), worked out by hand from the
// update formulas. The adaptive methods use η = 0.1, β₁ = 0.5, β₂ = 0.75,
// ε = 0.1: numbers large enough that a slip in any term (a missing bias
// correction, ε inside the root, β and 1−β swapped) changes the result in
// the second digit.
var (
	w0 = []float64{1, -2, 0.5}
	g1 = []float64{0.4, -0.9, 1.9}
	g2 = []float64{0.4, 0.9, 0}
)

// Moments shared by Adam and AdamPaper (β₁ = 0.5, β₂ = 0.75):
//
//	m₁ = 0.5·g₁ = (0.2, −0.45, 0.95)
//	v₁ = 0.25·g₁² = 0.25·(0.16, 0.81, 3.61) = (0.04, 0.2025, 0.9025), √v₁ = (0.2, 0.45, 0.95)
//	m₂ = 0.5·m₁ + 0.5·g₂ = (0.1+0.2, −0.225+0.45, 0.475+0) = (0.3, 0.225, 0.475)
//	v₂ = 0.75·v₁ + 0.25·g₂² = (0.03+0.04, 0.151875+0.2025, 0.676875+0) = (0.07, 0.354375, 0.676875)
var (
	v2 = []float64{0.07, 0.354375, 0.676875}
	m2 = []float64{0.3, 0.225, 0.475}
)

var stepTests = []struct {
	name   string
	spec   Spec // Name and the parameters that the optimiser uses
	w1, w2 []float64
}{
	{
		// w ← w − η·g with η = 0.1:
		// w₁ = (1−0.04, −2+0.09, 0.5−0.19) = (0.96, −1.91, 0.31)
		// w₂ = (0.96−0.04, −1.91−0.09, 0.31) = (0.92, −2.0, 0.31)
		name: "gd", spec: Spec{Name: "gd", LR: 0.1},
		w1: []float64{0.96, -1.91, 0.31},
		w2: []float64{0.92, -2.0, 0.31},
	},
	{
		// w ← w − η·sgn(g), sgn(0) = 0, η = 0.1:
		// w₁ = (0.9, −1.9, 0.4); w₂ = (0.8, −2.0, 0.4) (third coordinate kept).
		name: "signgd", spec: Spec{Name: "signgd", LR: 0.1},
		w1: []float64{0.9, -1.9, 0.4},
		w2: []float64{0.8, -2.0, 0.4},
	},
	{
		// PyTorch Adam: w ← w − (η/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε).
		// t=1: 1−β₁ = 0.5, √(1−β₂) = 0.5, so m/0.5 = g₁ and √v₁/0.5 = |g₁|:
		//   step = 0.1·g₁/(|g₁|+0.1) = 0.1·(0.4/0.5, −0.9/1.0, 1.9/2.0) = (0.08, −0.09, 0.095)
		//   w₁ = (0.92, −1.91, 0.405)
		// t=2: 1−β₁² = 0.75, 1−β₂² = 0.4375; v₂/0.4375 = (0.16, 0.81, 1.5471…)
		//   step = (0.1/0.75)·m₂/(√(v₂/0.4375) + 0.1)
		//        = (0.1/0.75)·(0.3/0.5, 0.225/1.0, 0.475/(√1.5471…+0.1)) = (0.08, 0.03, …)
		name: "adam", spec: Spec{Name: "adam", LR: 0.1, Beta1: 0.5, Beta2: 0.75, Eps: 0.1},
		w1: []float64{0.92, -1.91, 0.405},
		w2: []float64{0.84, -1.94, 0.405 - 0.1/0.75*0.475/(math.Sqrt(0.676875/0.4375)+0.1)},
	},
	{
		// The paper's (3.1)–(3.3): w ← w − η·m/(√v + ε), no bias correction.
		// t=1: step = 0.1·m₁/(√v₁+0.1) = 0.1·(0.2/0.3, −0.45/0.55, 0.95/1.05)
		// t=2: step = 0.1·m₂/(√v₂+0.1)
		name: "adam-paper", spec: Spec{Name: "adam-paper", LR: 0.1, Beta1: 0.5, Beta2: 0.75, Eps: 0.1},
		w1: []float64{1 - 0.1*0.2/0.3, -2 + 0.1*0.45/0.55, 0.5 - 0.1*0.95/1.05},
		w2: []float64{
			1 - 0.1*0.2/0.3 - 0.1*m2[0]/(math.Sqrt(v2[0])+0.1),
			-2 + 0.1*0.45/0.55 - 0.1*m2[1]/(math.Sqrt(v2[1])+0.1),
			0.5 - 0.1*0.95/1.05 - 0.1*m2[2]/(math.Sqrt(v2[2])+0.1),
		},
	},
}

// build returns the optimiser of the spec twice: through the registry
// (famRegistry) and as the exported struct.
func build(t *testing.T, spec Spec) map[string]Optimizer {
	t.Helper()
	var direct Optimizer
	switch spec.Name {
	case "gd":
		direct = &GD{LR: spec.LR}
	case "signgd":
		direct = &SignGD{LR: spec.LR}
	case "adam":
		direct = &Adam{LR: spec.LR, Beta1: spec.Beta1, Beta2: spec.Beta2, Eps: spec.Eps}
	case "adam-paper":
		direct = &AdamPaper{LR: spec.LR, Beta1: spec.Beta1, Beta2: spec.Beta2, Eps: spec.Eps}
	}
	return map[string]Optimizer{"registry": famRegistry(t, spec), "struct": direct}
}

func TestStepByHand(t *testing.T) {
	const tol = 1e-14 // the hand values are exact up to a few roundings
	for _, tt := range stepTests {
		for how, opt := range build(t, tt.spec) {
			t.Run(fmt.Sprintf("%s/%s", tt.name, how), func(t *testing.T) {
				w := slices.Clone(w0)
				for i, step := range []struct{ g, want []float64 }{{g1, tt.w1}, {g2, tt.w2}} {
					opt.Step(w, slices.Clone(step.g))
					if !floats.EqualApprox(w, step.want, tol) {
						t.Errorf("after step %d: w = %v, want %v (‖·‖∞ distance %.3g)",
							i+1, w, step.want, floats.Distance(w, step.want, math.Inf(1)))
					}
				}
			})
		}
	}
}

// TestStepDoesNotModifyGradient: an optimiser reads g and writes only w.
func TestStepDoesNotModifyGradient(t *testing.T) {
	for _, tt := range stepTests {
		for how, opt := range build(t, tt.spec) {
			g := slices.Clone(g1)
			opt.Step(slices.Clone(w0), g)
			if !slices.Equal(g, g1) {
				t.Errorf("%s/%s: Step changed the gradient to %v", tt.name, how, g)
			}
		}
	}
}

// TestAdamZeroGradient: with ε > 0 a coordinate whose gradient has always
// been zero stays where it is (no 0/0).
func TestAdamZeroGradient(t *testing.T) {
	for _, name := range []string{"adam", "adam-paper"} {
		s, _ := Default(name)
		opt := s.New()
		w := []float64{0.3, -0.7}
		for range 3 {
			opt.Step(w, []float64{0, 0})
		}
		if w[0] != 0.3 || w[1] != -0.7 {
			t.Errorf("%s: zero gradients moved w to %v", name, w)
		}
	}
}

// TestAdamIsSignLikeEarly: with the defaults, Adam's first step moves every
// coordinate by η·sgn(g) up to ε/|g| (bias correction makes m̂ = g,
// √v̂ = |g|), the fact at the heart of the paper's analysis. AdamPaper's
// first step is η·(1−β₁)·g/(√(1−β₂)·|g|+ε) = η·sgn(g) up to ε/(0.1|g|).
// With |g| ≥ 3e-3 both deviations are below 4e-5; the tolerance is 1e-4.
func TestAdamIsSignLikeEarly(t *testing.T) {
	g := []float64{3e-3, -2e-2, 5}
	for _, name := range []string{"adam", "adam-paper"} {
		s, _ := Default(name)
		w := make([]float64, len(g))
		s.New().Step(w, g)
		for i := range w {
			want := -s.LR * math.Copysign(1, g[i])
			if !scalar.EqualWithinAbsOrRel(w[i], want, 0, 1e-4) {
				t.Errorf("%s: first step moved coordinate %d by %v, want −η·sgn(g) = %v", name, i, w[i], want)
			}
		}
	}
}

func TestStepPanicsOnLengthMismatch(t *testing.T) {
	for _, tt := range stepTests {
		for how, opt := range build(t, tt.spec) {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s/%s: Step with len(w)=3, len(g)=2 did not panic", tt.name, how)
					}
				}()
				opt.Step(make([]float64, 3), make([]float64, 2))
			}()
		}
	}
	// The moment state is sized on the first call; a later call of another
	// length is a programmer error too.
	for _, name := range []string{"adam", "adam-paper"} {
		s, _ := Default(name)
		opt := s.New()
		opt.Step(make([]float64, 3), make([]float64, 3))
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Step with a new length did not panic", name)
				}
			}()
			opt.Step(make([]float64, 4), make([]float64, 4))
		}()
	}
}
