package optim

import (
	"math"
	"testing"
)

func TestRMSPropByHand(t *testing.T) {
	// η = 0.1, ρ = 0.75, ε = 0.1: v₁ = 0.25·g₁² = (0.04, 0.2025, 0.9025), √v₁ = (0.2, 0.45, 0.95);
	// v₂ = 0.75·v₁ + 0.25·g₂² = (0.07, 0.354375, 0.676875).
	// μ = 0: w ← w − η·g/(√v+ε)
	//   w₁ = (1 − 0.04/0.3, −2 + 0.09/0.55, 0.5 − 0.19/1.05)
	//   w₂ = w₁ − 0.1·(0.4/(√0.07+0.1), 0.9/(√0.354375+0.1), 0)
	// μ = 0.5: b ← μb + g/(√v+ε), w ← w − ηb
	//   b₁ = (0.4/0.3, −0.9/0.55, 1.9/1.05): w₁ as for μ = 0
	//   b₂ = 0.5·b₁ + (0.4/(√0.07+0.1), 0.9/(√0.354375+0.1), 0)
	w1 := []float64{1 - 0.04/0.3, -2 + 0.09/0.55, 0.5 - 0.19/1.05}
	d2 := []float64{0.4 / (math.Sqrt(0.07) + 0.1), 0.9 / (math.Sqrt(0.354375) + 0.1), 0}
	b1 := []float64{0.4 / 0.3, -0.9 / 0.55, 1.9 / 1.05}
	runFamCases(t, []famCase{
		{
			name:   "no momentum",
			spec:   Spec{Name: "rmsprop", LR: 0.1, Rho: 0.75, Eps: 0.1},
			direct: &RMSProp{LR: 0.1, Rho: 0.75, Eps: 0.1},
			w1:     w1,
			w2:     []float64{w1[0] - 0.1*d2[0], w1[1] - 0.1*d2[1], w1[2]},
		},
		{
			name:   "momentum",
			spec:   Spec{Name: "rmsprop", LR: 0.1, Rho: 0.75, Eps: 0.1, Momentum: 0.5},
			direct: &RMSProp{LR: 0.1, Rho: 0.75, Eps: 0.1, Momentum: 0.5},
			w1:     w1,
			w2: []float64{
				w1[0] - 0.1*(0.5*b1[0]+d2[0]),
				w1[1] - 0.1*(0.5*b1[1]+d2[1]),
				w1[2] - 0.1*(0.5*b1[2]),
			},
		},
	})
}

func TestDefaultRMSProp(t *testing.T) {
	// PyTorch's torch.optim.RMSprop defaults: alpha 0.99, eps 1e-8, momentum 0.
	d := DefaultRMSProp(1e-3)
	if d.LR != 1e-3 || d.Rho != 0.99 || d.Eps != 1e-8 || d.Momentum != 0 {
		t.Errorf("DefaultRMSProp(1e-3) = %+v", d)
	}
}
