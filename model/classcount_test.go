package model

import (
	"math"
	"testing"

	"github.com/adamgap/adamgap/data"
)

// TestClassErrors: a network that answers +1 to everything gets class +1
// right and class −1 wrong; one that only knows the feature gets both
// right; zero weights (ties) get both wrong.
func TestClassErrors(t *testing.T) {
	cnn := CNN{D: 4, M: 1, Q: 1}
	x := [][][]float64{
		{{1, 0, 0, 0}, {-0.2, 0.5, 0, 0}},
		{{-1, 0, 0, 0}, {0.2, 0, 0.7, 0}},
		{{1, 0, 0, 0}, {-0.2, 0, 0, -0.3}},
		{{-1, 0, 0, 0}, {0.2, 0.1, 0, 0.4}},
		{{-1, 0, 0, 0}, {0.2, 0, 0, 0.1}},
	}
	y := []int8{1, -1, 1, -1, -1}
	set := data.FromDense(x, y)
	tests := []struct {
		name     string
		wPos     [4]float64 // w_{+1,1}
		wNeg     [4]float64 // w_{−1,1}
		want     ClassCount
		pos, neg float64
	}{
		// F₊ = Σ relu(⟨1, x_p⟩) > 0 = F₋ for every example.
		{"always +1", [4]float64{1, 1, 1, 1}, [4]float64{}, ClassCount{Pos: 0, Neg: 3, NPos: 2, NNeg: 3}, 0, 1},
		// F₊ = relu(x₁[0]) + relu(x₂[0]): 1 for class +1, 0.2 for class −1;
		// F₋ = relu(−x[0]): 0.2 for class +1, 1 for class −1.
		{"feature", [4]float64{1, 0, 0, 0}, [4]float64{-1, 0, 0, 0}, ClassCount{Pos: 0, Neg: 0, NPos: 2, NNeg: 3}, 0, 0},
		// the feature noise only: the classes swap.
		{"flipped", [4]float64{-1, 0, 0, 0}, [4]float64{1, 0, 0, 0}, ClassCount{Pos: 2, Neg: 3, NPos: 2, NNeg: 3}, 1, 1},
		{"ties", [4]float64{}, [4]float64{}, ClassCount{Pos: 2, Neg: 3, NPos: 2, NNeg: 3}, 1, 1},
	}
	for _, tt := range tests {
		w := make([]float64, cnn.Size())
		for k := range 4 {
			w[cnn.At(1, 0, k)], w[cnn.At(-1, 0, k)] = tt.wPos[k], tt.wNeg[k]
		}
		got := cnn.ClassErrors(w, set)
		if got != tt.want {
			t.Errorf("%s: ClassErrors = %+v, want %+v", tt.name, got, tt.want)
		}
		if got.PosRate() != tt.pos || got.NegRate() != tt.neg {
			t.Errorf("%s: rates %g, %g, want %g, %g", tt.name, got.PosRate(), got.NegRate(), tt.pos, tt.neg)
		}
		if e := cnn.Errors(w, set); e != got.Total() {
			t.Errorf("%s: Errors = %d, ClassErrors total %d", tt.name, e, got.Total())
		}
		if ev := NewNet[float64](cnn, set).LossGrad(nil, w); ev.Errors != got.Total() {
			t.Errorf("%s: LossGrad counts %d errors, ClassErrors %d", tt.name, ev.Errors, got.Total())
		}
	}
	if r := (ClassCount{Pos: 1, NPos: 4}); !math.IsNaN(r.NegRate()) || r.PosRate() != 0.25 || r.Rate() != 0.25 {
		t.Errorf("rates of %+v: %g %g %g, want 0.25 NaN 0.25", r, r.Rate(), r.PosRate(), r.NegRate())
	}
}
