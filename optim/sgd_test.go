package optim

import "testing"

func TestSGDByHand(t *testing.T) {
	runFamCases(t, []famCase{
		{
			// Heavy ball, η = 0.1, μ = 0.5: b ← μb + g, w ← w − ηb.
			// b₁ = g₁ = (0.4, −0.9, 1.9):                 w₁ = (0.96, −1.91, 0.31)
			// b₂ = 0.5·b₁ + g₂ = (0.6, 0.45, 0.95):       w₂ = (0.90, −1.955, 0.215)
			name:   "heavy ball",
			spec:   Spec{Name: "sgd", LR: 0.1, Momentum: 0.5},
			direct: &SGD{LR: 0.1, Momentum: 0.5},
			w1:     []float64{0.96, -1.91, 0.31},
			w2:     []float64{0.90, -1.955, 0.215},
		},
		{
			// Nesterov, η = 0.1, μ = 0.5: b ← μb + g, w ← w − η(g + μb).
			// b₁ = g₁; d₁ = 1.5·g₁ = (0.6, −1.35, 2.85):   w₁ = (0.94, −1.865, 0.215)
			// b₂ = (0.6, 0.45, 0.95); d₂ = g₂ + 0.5·b₂ = (0.7, 1.125, 0.475)
			//                                              w₂ = (0.87, −1.9775, 0.1675)
			name:   "nesterov",
			spec:   Spec{Name: "sgd", LR: 0.1, Momentum: 0.5, Nesterov: true},
			direct: &SGD{LR: 0.1, Momentum: 0.5, Nesterov: true},
			w1:     []float64{0.94, -1.865, 0.215},
			w2:     []float64{0.87, -1.9775, 0.1675},
		},
		{
			// μ = 0 is GD: w₁ = w₀ − 0.1·g₁, w₂ = w₁ − 0.1·g₂.
			name:   "no momentum",
			spec:   Spec{Name: "sgd", LR: 0.1},
			direct: &SGD{LR: 0.1},
			w1:     []float64{0.96, -1.91, 0.31},
			w2:     []float64{0.92, -2.0, 0.31},
		},
	})
}
