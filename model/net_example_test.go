package model_test

import (
	"fmt"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
)

// The objective in float32 and float64 at the same weights: the two agree
// to float32 rounding. By hand: example 1 has F₋₁ = 0.5³ = 0.125 and
// F₊₁ = 0.2³, example 2 F₋₁ = 0.31³ and F₊₁ = 0.125, so both are errors and
// the loss is the mean of softplus(0.117) and softplus(0.0952) plus
// (0.01/2)·‖W‖² = 0.004.
func ExampleNewNet() {
	x := [][][]float64{
		{{1, 0, 0}, {-0.2, 0.5, 0}}, // y = +1: feature patch y·e₀, noise patch
		{{-1, 0, 0}, {0.2, 0, -0.7}},
	}
	set := data.FromDense(x, []int8{1, -1})
	c := model.CNN{D: 3, M: 1, Q: 3, Lambda: 0.01}
	w64 := []float64{0.5, -0.5, 0.1, 0.2, -0.3, 0.4} // rows k = 0, 1, 2; columns (class −1, class +1)
	w32 := make([]float32, len(w64))
	for i, v := range w64 {
		w32[i] = float32(v)
	}
	g32 := make([]float32, len(w32))
	e32 := model.NewNet[float32](c, set).LossGrad(g32, w32)
	e64 := model.NewNet[float64](c, set).LossGrad(make([]float64, len(w64)), w64)
	fmt.Printf("float32: loss %.6f, errors %d, ‖g‖₁ %.5f\n", e32.Loss, e32.Errors, e32.GradL1)
	fmt.Printf("float64: loss %.6f, errors %d, ‖g‖₁ %.5f\n", e64.Loss, e64.Errors, e64.GradL1)
	// Output:
	// float32: loss 0.751621, errors 2, ‖g‖₁ 0.45215
	// float64: loss 0.751621, errors 2, ‖g‖₁ 0.45215
}
