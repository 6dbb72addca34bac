package optim

import (
	"math"
	"testing"
)

func TestAdaGradByHand(t *testing.T) {
	// η = 0.1, ε = 0.1: s ← s + g², w ← w − η·g/(√s+ε).
	// s₁ = g₁² = (0.16, 0.81, 3.61), √s₁ = |g₁|:
	//   w₁ = (1 − 0.04/0.5, −2 + 0.09/1.0, 0.5 − 0.19/2.0) = (0.92, −1.91, 0.405)
	// s₂ = (0.32, 1.62, 3.61):
	//   w₂ = (0.92 − 0.04/(√0.32+0.1), −1.91 − 0.09/(√1.62+0.1), 0.405)
	runFamCases(t, []famCase{{
		name:   "adagrad",
		spec:   Spec{Name: "adagrad", LR: 0.1, Eps: 0.1},
		direct: &AdaGrad{LR: 0.1, Eps: 0.1},
		w1:     []float64{0.92, -1.91, 0.405},
		w2:     []float64{0.92 - 0.04/(math.Sqrt(0.32)+0.1), -1.91 - 0.09/(math.Sqrt(1.62)+0.1), 0.405},
	}})
}

func TestDefaultAdaGrad(t *testing.T) {
	// PyTorch's torch.optim.Adagrad eps.
	if d := DefaultAdaGrad(1e-2); d.LR != 1e-2 || d.Eps != 1e-10 {
		t.Errorf("DefaultAdaGrad(1e-2) = %+v", d)
	}
}
