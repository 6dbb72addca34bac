package convnet

import (
	"math"
	"testing"
)

// TestHeavyBallSteps checks two momentum steps against numbers worked out by
// hand: w=(1,−2), η=0.1, μ=0.9.
func TestHeavyBallSteps(t *testing.T) {
	o := Optimizer{Name: "sgd-momentum", LR: 0.1, Momentum: 0.9}.New()
	w := []float64{1, -2}
	o.Step(w, []float64{0.5, -1}) // b = (0.5, −1); w = (0.95, −1.9)
	o.Step(w, []float64{1, 0})    // b = (0.45+1, −0.9) = (1.45, −0.9); w = (0.805, −1.81)
	want := []float64{0.805, -1.81}
	for i := range w {
		if math.Abs(w[i]-want[i]) > 1e-12 {
			t.Errorf("w[%d] = %.15g, want %g", i, w[i], want[i])
		}
	}
}

func TestOptimizerValidate(t *testing.T) {
	for _, tc := range []struct {
		o  Optimizer
		ok bool
	}{
		{Optimizer{Name: "adam", LR: 1e-3}, true},
		{Optimizer{Name: "sgd", LR: 0.1}, true},
		{Optimizer{Name: "sgd-momentum", LR: 0.01, Momentum: 0.9}, true},
		{Optimizer{Name: "rmsprop", LR: 0.01}, false},
		{Optimizer{Name: "adam", LR: 0}, false},
		{Optimizer{Name: "sgd", LR: math.NaN()}, false},
		{Optimizer{Name: "sgd-momentum", LR: 0.01, Momentum: 1}, false},
		{Optimizer{Name: "sgd", LR: 0.01, Momentum: 0.9}, false},
	} {
		if err := tc.o.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: error %v, want ok=%v", tc.o, err, tc.ok)
		}
	}
}
