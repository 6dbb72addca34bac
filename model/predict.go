package model

import (
	"context"

	"github.com/adamgap/adamgap/data"
)

// Outputs returns the network's two outputs at w for every example of set:
// out[i][0] = F_{−1}(W, x_i) and out[i][1] = F_{+1}(W, x_i), each the sum
// over the class's m neurons and the example's two patches of σ(⟨w, patch⟩)
// (divided by m with OutputMean), in the order the loss sums them. It evaluates errorChunk examples at a
// time, as Errors does, and panics where Errors does: on an invalid
// network, a malformed set, dimensions that differ or len(w) ≠ c.Size().
func (c CNN) Outputs(w []float64, set *data.Set) [][2]float64 {
	out := make([][2]float64, set.N())
	_ = chunks(context.Background(), "Outputs", c, w, set, func(i int, f []float64) { out[i] = [2]float64(f) })
	return out
}

// Predict returns the predicted label sign(F_{+1} − F_{−1}) of every example
// of set at w: +1, −1, or 0 on a tie.
func (c CNN) Predict(w []float64, set *data.Set) []int8 {
	f := c.Outputs(w, set)
	out := make([]int8, len(f))
	for i, fi := range f {
		switch {
		case fi[1] > fi[0]:
			out[i] = 1
		case fi[0] > fi[1]:
			out[i] = -1
		}
	}
	return out
}
