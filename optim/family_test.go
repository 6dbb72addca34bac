package optim

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// The optimiser family's step tests (sgd_test.go, adamw_test.go, …) take
// two steps from famW0 with gradients famG1 then famG2 and compare with
// numbers worked out by hand in each file. The adaptive methods use η =
// 0.1, β₁ = 0.5, β₂ = 0.75 (or ρ = 0.75), ε = 0.1: large enough that a slip
// in any term changes the second digit.
var (
	famW0 = []float64{1, -2, 0.5}
	famG1 = []float64{0.4, -0.9, 1.9}
	famG2 = []float64{0.4, 0.9, 0}
)

// Moments of β₁ = 0.5, β₂ = 0.75 (shared by AdamW, AMSGrad, Padam):
//
//	m₁ = 0.5·g₁ = (0.2, −0.45, 0.95),  v₁ = 0.25·g₁² = (0.04, 0.2025, 0.9025)
//	m₂ = 0.5·m₁ + 0.5·g₂ = (0.3, 0.225, 0.475)
//	v₂ = 0.75·v₁ + 0.25·g₂² = (0.07, 0.354375, 0.676875)
//
// Bias corrections: 1−β₁ = 0.5, 1−β₂ = 0.25 at t = 1; 1−β₁² = 0.75,
// 1−β₂² = 0.4375 at t = 2.

// famCase is one optimiser configuration and the weights after its two
// steps.
type famCase struct {
	name   string
	spec   Spec      // Name and the parameters the optimiser uses
	direct Optimizer // the same optimiser built from its struct
	w1, w2 []float64
}

// famRegistry builds spec through the registry (Default, Get, Set, Validate,
// New), so a parameter the registry drops shows up as a wrong step.
func famRegistry(t *testing.T, spec Spec) Optimizer {
	t.Helper()
	s, err := Default(spec.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Params() {
		v, err := spec.Get(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Set(p, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("spec %+v: %v", s, err)
	}
	return s.New()
}

// runFamCases checks both steps of every case, through the registry and
// the struct, and that Step leaves the gradient alone.
func runFamCases(t *testing.T, cases []famCase) {
	t.Helper()
	const tol = 1e-14 // the hand values are exact up to a few roundings
	for _, c := range cases {
		for how, opt := range map[string]Optimizer{"registry": famRegistry(t, c.spec), "struct": c.direct} {
			t.Run(c.name+"/"+how, func(t *testing.T) {
				w := slices.Clone(famW0)
				for i, st := range []struct{ g, want []float64 }{{famG1, c.w1}, {famG2, c.w2}} {
					g := slices.Clone(st.g)
					opt.Step(w, g)
					if !slices.Equal(g, st.g) {
						t.Errorf("step %d modified the gradient: %v", i+1, g)
					}
					if !floats.EqualApprox(w, st.want, tol) {
						t.Errorf("after step %d: w = %v, want %v (‖·‖∞ distance %.3g)",
							i+1, w, st.want, floats.Distance(w, st.want, math.Inf(1)))
					}
				}
			})
		}
	}
}

// famTrajectory returns the weights after each of steps updates with
// pseudo-random gradients whose magnitude varies (so that running maxima
// and momentum matter).
func famTrajectory(opt Optimizer, steps int) [][]float64 {
	w := []float64{0.3, -0.2, 0.1, 0, 1}
	var out [][]float64
	for s := range steps {
		g := make([]float64, len(w))
		for i := range g {
			g[i] = math.Sin(float64(7*s+3*i+1)) * math.Exp(-0.3*float64((s+i)%4))
		}
		g[3] = 0 // a coordinate that never sees a gradient
		opt.Step(w, g)
		out = append(out, slices.Clone(w))
	}
	return out
}

// TestFamilyReductions: the special cases that the doc comments promise
// hold step for step, bit for bit.
func TestFamilyReductions(t *testing.T) {
	const steps = 20
	tests := []struct {
		name string
		a, b Optimizer
	}{
		{"sgd momentum 0 is gd", &SGD{LR: 0.05}, &GD{LR: 0.05}},
		{"adamw weight_decay 0 is adam", &AdamW{Adam: *DefaultAdam(0.01)}, DefaultAdam(0.01)},
		{"padam p=1/2 is amsgrad", &Padam{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, P: 0.5}, DefaultAMSGrad(0.01)},
		{"rmsprop momentum 0 is rmsprop without buffer", &RMSProp{LR: 0.01, Rho: 0.9, Eps: 1e-8}, &famPlainRMSProp{lr: 0.01, rho: 0.9, eps: 1e-8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := famTrajectory(tt.a, steps), famTrajectory(tt.b, steps)
			for s := range a {
				if !slices.Equal(a[s], b[s]) {
					t.Fatalf("step %d: %v vs %v", s+1, a[s], b[s])
				}
			}
		})
	}
}

// famPlainRMSProp is RMSProp without momentum written out directly.
type famPlainRMSProp struct {
	lr, rho, eps float64
	v            []float64
}

func (o *famPlainRMSProp) Step(w, g []float64) {
	if o.v == nil {
		o.v = make([]float64, len(w))
	}
	for i := range w {
		o.v[i] = o.rho*o.v[i] + (1-o.rho)*g[i]*g[i]
		w[i] -= o.lr * (g[i] / (math.Sqrt(o.v[i]) + o.eps)) // PyTorch: addcdiv(g, avg, value=-lr)
	}
}

// TestFamilyVariantsDiffer: the switches matter (a test of the reductions
// alone would pass if a variant ignored its parameter).
func TestFamilyVariantsDiffer(t *testing.T) {
	tests := []struct {
		name string
		a, b Optimizer
	}{
		{"nesterov", &SGD{LR: 0.05, Momentum: 0.9, Nesterov: true}, &SGD{LR: 0.05, Momentum: 0.9}},
		{"momentum", &SGD{LR: 0.05, Momentum: 0.9}, &GD{LR: 0.05}},
		{"adamw decay", DefaultAdamW(0.01), DefaultAdam(0.01)},
		{"amsgrad max", DefaultAMSGrad(0.01), DefaultAdam(0.01)},
		{"padam p", DefaultPadam(0.01), DefaultAMSGrad(0.01)},
		{"rmsprop momentum", &RMSProp{LR: 0.01, Rho: 0.9, Eps: 1e-8, Momentum: 0.5}, &RMSProp{LR: 0.01, Rho: 0.9, Eps: 1e-8}},
	}
	for _, tt := range tests {
		a, b := famTrajectory(tt.a, 10), famTrajectory(tt.b, 10)
		if slices.Equal(a[9], b[9]) {
			t.Errorf("%s: the variants took the same 10 steps", tt.name)
		}
	}
}

// TestFamilyZeroGradientCoordinate: a coordinate whose gradient is always
// zero stays where it is (no NaN from 0/0) in every optimiser but AdamW,
// which shrinks it by (1 − η·wd) per step.
func TestFamilyZeroGradientCoordinate(t *testing.T) {
	for _, name := range Names() {
		s, _ := Default(name)
		w := famTrajectory(s.New(), 5)[4]
		want := 0.0 // famTrajectory starts coordinate 3 at 0
		if w[3] != want || math.IsNaN(w[4]) {
			t.Errorf("%s: zero-gradient coordinate moved to %v (other: %v)", name, w[3], w[4])
		}
	}
}

// TestEveryOptimizerSetsLR: every registry optimiser is an LRSetter, and
// its first update from a fresh state is proportional to the rate (AdamW's
// decay too), so halving the rate halves the step.
func TestEveryOptimizerSetsLR(t *testing.T) {
	for _, name := range Names() {
		s, _ := Default(name)
		full, half := s.New(), s.New()
		setter, ok := half.(LRSetter)
		if !ok {
			t.Errorf("%s does not implement LRSetter", name)
			continue
		}
		setter.SetLR(s.LR / 2)
		wf, wh := slices.Clone(famW0), slices.Clone(famW0)
		full.Step(wf, famG1)
		half.Step(wh, famG1)
		for i := range wf {
			// The moves are differences of weights of order 1: exact to a
			// few units of rounding of w, 1e-15.
			df, dh := wf[i]-famW0[i], wh[i]-famW0[i]
			if df == 0 || math.Abs(dh-df/2) > 1e-15 {
				t.Errorf("%s: coordinate %d moved %v at lr and %v at lr/2", name, i, df, dh)
			}
		}
	}
}
