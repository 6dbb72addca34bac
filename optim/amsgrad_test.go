package optim

import (
	"math"
	"testing"
)

func TestAMSGradByHand(t *testing.T) {
	// η = 0.1, β = (0.5, 0.75), ε = 0.1 (moments in family_test.go).
	// t=1: as Adam: v̂₁ = v₁, w₁ = (0.92, −1.91, 0.405).
	// t=2: v̂₂ = max(v₁, v₂) = (0.07, 0.354375, 0.9025): the third coordinate
	//      keeps v₁ (Adam would use 0.676875), so its step is smaller:
	//      step = (0.1/0.75)·m₂/(√(v̂₂/0.4375)+0.1)
	//           = (0.08, 0.03, (0.1/0.75)·0.475/(√(0.9025/0.4375)+0.1))
	runFamCases(t, []famCase{{
		name:   "amsgrad",
		spec:   Spec{Name: "amsgrad", LR: 0.1, Beta1: 0.5, Beta2: 0.75, Eps: 0.1},
		direct: &AMSGrad{LR: 0.1, Beta1: 0.5, Beta2: 0.75, Eps: 0.1},
		w1:     []float64{0.92, -1.91, 0.405},
		w2:     []float64{0.84, -1.94, 0.405 - 0.1/0.75*0.475/(math.Sqrt(0.9025/0.4375)+0.1)},
	}})
}

func TestDefaultAMSGrad(t *testing.T) {
	d := DefaultAMSGrad(1e-3)
	if d.LR != 1e-3 || d.Beta1 != 0.9 || d.Beta2 != 0.999 || d.Eps != 1e-8 {
		t.Errorf("DefaultAMSGrad(1e-3) = %+v", d)
	}
}
