package theory

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/optim"
)

func TestRelationHolds(t *testing.T) {
	tests := []struct {
		rel   Relation
		ratio float64
		want  bool
	}{
		{Theta, 1, true}, {Theta, 10, true}, {Theta, 0.1, true}, {Theta, 11, false}, {Theta, 0.09, false},
		{BigO, 0.001, true}, {BigO, 10, true}, {BigO, 10.5, false},
		{LittleO, 0.1, true}, {LittleO, 0.2, false},
		{Omega, 0.1, true}, {Omega, 1e6, true}, {Omega, 0.05, false},
		{LittleW, 10, true}, {LittleW, 9, false},
		{AtMost, 1, true}, {AtMost, 1.01, false},
		{AtLeast, 1, true}, {AtLeast, 0.99, false},
		{Info, 1, false}, {Theta, math.NaN(), false},
	}
	for _, tt := range tests {
		c := Condition{Rel: tt.rel, LHS: tt.ratio, RHS: 1}
		if got := c.Holds(10); got != tt.want {
			t.Errorf("%v with ratio %v, slack 10: Holds = %v, want %v", tt.rel, tt.ratio, got, tt.want)
		}
	}
}

func find(t *testing.T, cs []Condition, statement string) Condition {
	t.Helper()
	for _, c := range cs {
		if c.Statement == statement {
			return c
		}
	}
	t.Fatalf("no condition %q", statement)
	return Condition{}
}

// TestConditionsPaper checks the ratios for the paper's Section 6 settings
// against values worked out by hand (d=1000, n=200, s=100, σp=0.1, α=0.2,
// σ₀=0.01, λ=1e-5, q=3, η_Adam=5e-5, η_GD=0.02).
func TestConditionsPaper(t *testing.T) {
	p := ParamsOf(config.Paper())
	if p.EtaAdam != 5e-5 || p.EtaGD != 0.02 || p.Beta1 != 0.9 || p.Beta2 != 0.999 {
		t.Fatalf("ParamsOf(Paper) = %+v, want Adam η=5e-5 β=(0.9,0.999), GD η=0.02", p)
	}
	cs := Conditions(p)
	tests := []struct {
		statement string
		ratio     float64
		holds     bool
	}{
		{"s = Θ(d^{1/2}/n²)", 100 / (math.Sqrt(1000) / 40000), false},
		{"σp² = Θ(1/(s·polylog n))", 1, true},
		{"σ₀² = Θ(d^{−1/2})", 1e-4 * math.Sqrt(1000), false},
		{"α = Θ(σp·polylog n)", 2, true},
		{"λ = O(1/(d^{(q−1)/4}·n·polylog n))", 1e-5 * math.Sqrt(1000) * 200, true},
		{"λ = o(σ₀^{q−2}·σp/n)", 1e-5 * 200 / (0.01 * 0.1), false},
		{"α = ω((s·σp)^{1−q}·σ₀^{q−1})", 0.2 / (1e-2 * 1e-4), true},
		{"σ₀ = o(1/(s·σp))", 0.1, true},
		{"α = o(s·σp²/n)", 0.2 / (1.0 / 200), false},
		{"α = O(s·σp²/n)", 0.2 / (1.0 / 200), false},
		{"q ≥ 3", 1, true},
		{"0 < α < 1", 0.2, true},
		{"T·η ≥ 1 (T = poly(n)/η)", 10000 * 5e-5, false},
		{"s ≤ √d/(2n²)", 100 / (math.Sqrt(1000) / 80000), false},
		{"s·σp = ω(1)", 10, true},
		{"α ≥ Θ̃((s·σp)^{1−q} ∨ σ₀^{q−1})", 0.2 / 0.01, true},
		{"T_r ≤ T₀, i.e. σ₀·α^{−1/(q−1)} ≤ 1", 0.01 / math.Sqrt(0.2), true},
		{"η = o(λ·σ₀^q·σp^q)", 5e-5 / (1e-5 * 1e-6 * 1e-3), false},
		{"η = o(λ)", 5, false},
		{"η = O(1/(s·σp))", 5e-4, true},
		{"η = O(d^{−1/2})", 5e-5 * math.Sqrt(1000), true},
		{"β₂ ≥ β₁²", 0.999 / 0.81, true},
		{"η ≤ O(σ₀)", 2, true},
		{"η = o(1)", 0.02, true},
	}
	for _, tt := range tests {
		c := find(t, cs, tt.statement)
		if !scalar.EqualWithinAbsOrRel(c.Ratio(), tt.ratio, 0, 1e-9) {
			t.Errorf("%s: ratio %v, want %v", tt.statement, c.Ratio(), tt.ratio)
		}
		if c.Holds(10) != tt.holds {
			t.Errorf("%s: Holds(10) = %v, want %v (ratio %v, %v)", tt.statement, c.Holds(10), tt.holds, c.Ratio(), c.Rel)
		}
	}
	sc := ScalesOf(p)
	if !scalar.EqualWithinAbsOrRel(sc.T0, 2000, 0, 1e-12) || !scalar.EqualWithinAbsOrRel(sc.Tr, 0.01/(5e-4*math.Sqrt(0.2)), 0, 1e-12) {
		t.Errorf("ScalesOf(paper) = %+v, want T0 = 1/(η s σp) = 2000, Tr = σ₀/(η s σp √α) ≈ 44.7", sc)
	}
}

func TestConditionsOptimizersMissing(t *testing.T) {
	c := config.Paper()
	gd, _ := optim.Default("gd")
	c.Optimizers = []optim.Spec{gd}
	c.Q = 1
	p := ParamsOf(c)
	if p.EtaAdam != 0 || p.EtaGD != 0.02 {
		t.Fatalf("ParamsOf(GD only) = %+v", p)
	}
	for _, cond := range Conditions(p) {
		switch cond.Statement {
		case "η = o(λ)", "β₂ ≥ β₁²", "T_r ≤ T₀, i.e. σ₀·α^{−1/(q−1)} ≤ 1":
			t.Errorf("condition %q listed without Adam or with q = 1", cond.Statement)
		}
	}
	if sc := ScalesOf(p); !math.IsNaN(sc.T0) || !math.IsNaN(sc.Tr) {
		t.Errorf("ScalesOf without Adam = %+v, want NaN time scales", sc)
	}
}

// TestConditionsOfTheModel: q < 3 and α outside (0, 1) are judged as
// failing, and η = 1/poly(d) is shown with its degree.
func TestConditionsOfTheModel(t *testing.T) {
	for _, tt := range []struct {
		q     int
		alpha float64
		qOK   bool
		aOK   bool
	}{{3, 0.2, true, true}, {1, 0.2, false, true}, {2, 0, false, false}, {5, 1, true, false}, {3, 1.5, true, false}} {
		c := config.Paper()
		c.Q, c.Alpha = float64(tt.q), tt.alpha
		cs := Conditions(ParamsOf(c))
		if got := find(t, cs, "q ≥ 3").Holds(10); got != tt.qOK {
			t.Errorf("q=%d: q ≥ 3 holds = %v", tt.q, got)
		}
		if got := find(t, cs, "0 < α < 1").Holds(10); got != tt.aOK {
			t.Errorf("α=%v: 0 < α < 1 holds = %v", tt.alpha, got)
		}
		if c := find(t, cs, "η = 1/poly(d)"); !scalar.EqualWithinAbsOrRel(c.Ratio(), -math.Log(5e-5)/math.Log(1000), 0, 1e-12) {
			t.Errorf("η = 1/poly(d): degree %v", c.Ratio())
		}
	}
}
