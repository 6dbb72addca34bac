package optim

import (
	"math"
	"testing"
)

func TestPadamByHand(t *testing.T) {
	// η = 0.1, β = (0.5, 0.75), ε = 0.1, p = 1/4 (moments in family_test.go).
	// t=1: v̂₁/(1−β₂) = v₁/0.25 = g₁², so (v̂₁/0.25)^{1/4} = √|g₁| = (√0.4, √0.9, √1.9);
	//      m₁/(1−β₁) = g₁; step = 0.1·g₁/(√|g₁| + 0.1)
	// t=2: v̂₂ = max(v₁, v₂) = (0.07, 0.354375, 0.9025); v̂₂/0.4375 = (0.16, 0.81, 2.0628…),
	//      fourth roots (√0.4, √0.9, (0.9025/0.4375)^{1/4});
	//      step = (0.1/0.75)·m₂/(root + 0.1), m₂ = (0.3, 0.225, 0.475)
	w1 := []float64{
		1 - 0.1*0.4/(math.Sqrt(0.4)+0.1),
		-2 + 0.1*0.9/(math.Sqrt(0.9)+0.1),
		0.5 - 0.1*1.9/(math.Sqrt(1.9)+0.1),
	}
	w2 := []float64{
		w1[0] - 0.1/0.75*0.3/(math.Sqrt(0.4)+0.1),
		w1[1] - 0.1/0.75*0.225/(math.Sqrt(0.9)+0.1),
		w1[2] - 0.1/0.75*0.475/(math.Sqrt(math.Sqrt(0.9025/0.4375))+0.1),
	}
	runFamCases(t, []famCase{{
		name:   "padam",
		spec:   Spec{Name: "padam", LR: 0.1, Beta1: 0.5, Beta2: 0.75, Eps: 0.1, P: 0.25},
		direct: &Padam{LR: 0.1, Beta1: 0.5, Beta2: 0.75, Eps: 0.1, P: 0.25},
		w1:     w1,
		w2:     w2,
	}})
}

func TestDefaultPadam(t *testing.T) {
	// p = 1/8 is Chen et al.'s recommended value.
	d := DefaultPadam(1e-3)
	if d.LR != 1e-3 || d.Beta1 != 0.9 || d.Beta2 != 0.999 || d.Eps != 1e-8 || d.P != 0.125 {
		t.Errorf("DefaultPadam(1e-3) = %+v", d)
	}
}
