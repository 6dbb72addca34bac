package optim

import (
	"math"
	"testing"
)

func TestAdamWByHand(t *testing.T) {
	// η = 0.1, β = (0.5, 0.75), ε = 0.1, wd = 0.5: each step first shrinks
	// w by 1 − η·wd = 0.95, then takes Adam's step (moments in
	// family_test.go).
	// t=1: w ← 0.95·w₀ = (0.95, −1.9, 0.475); m₁/0.5 = g₁, √(v₁/0.25) = |g₁|,
	//      step = 0.1·g₁/(|g₁|+0.1) = (0.04/0.5, −0.09/1.0, 0.19/2.0) = (0.08, −0.09, 0.095)
	//      w₁ = (0.87, −1.81, 0.38)
	// t=2: w ← 0.95·w₁ = (0.8265, −1.7195, 0.361); v₂/0.4375 = (0.16, 0.81, 1.5471…)
	//      step = (0.1/0.75)·m₂/(√(v₂/0.4375)+0.1)
	//           = (0.1/0.75)·(0.3/0.5, 0.225/1.0, 0.475/(√1.5471…+0.1)) = (0.08, 0.03, …)
	runFamCases(t, []famCase{{
		name:   "adamw",
		spec:   Spec{Name: "adamw", LR: 0.1, Beta1: 0.5, Beta2: 0.75, Eps: 0.1, WeightDecay: 0.5},
		direct: &AdamW{Adam: Adam{LR: 0.1, Beta1: 0.5, Beta2: 0.75, Eps: 0.1}, WeightDecay: 0.5},
		w1:     []float64{0.87, -1.81, 0.38},
		w2:     []float64{0.7465, -1.7495, 0.361 - 0.1/0.75*0.475/(math.Sqrt(0.676875/0.4375)+0.1)},
	}})
}

func TestDefaultAdamW(t *testing.T) {
	// PyTorch's torch.optim.AdamW defaults.
	d := DefaultAdamW(1e-3)
	if d.LR != 1e-3 || d.Beta1 != 0.9 || d.Beta2 != 0.999 || d.Eps != 1e-8 || d.WeightDecay != 0.01 {
		t.Errorf("DefaultAdamW(1e-3) = %+v", d)
	}
	s, _ := Default("adamw")
	if s.WeightDecay != 0.01 {
		t.Errorf("Default(adamw).WeightDecay = %v, want PyTorch's 0.01", s.WeightDecay)
	}
}
