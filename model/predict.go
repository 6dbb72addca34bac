package model

import (
	"fmt"

	"github.com/adamgap/adamgap/data"
)

// Outputs returns the network's two outputs at w for every example of set:
// out[i][0] = F_{−1}(W, x_i) and out[i][1] = F_{+1}(W, x_i), each the sum
// over the class's m neurons and the example's two patches of σ(⟨w, patch⟩)
// (divided by m with OutputMean), in the order the loss sums them. It evaluates errorChunk examples at a
// time, as Errors does, and panics where Errors does: on an invalid
// network, a malformed set, dimensions that differ or len(w) ≠ c.Size().
func (c CNN) Outputs(w []float64, set *data.Set) [][2]float64 {
	mustFitRows("Outputs", c, set)
	if len(w) != c.Size() {
		panic(fmt.Sprintf("model: Outputs: len(w)=%d, want %d", len(w), c.Size()))
	}
	wd := c.Width()
	n := set.N()
	out := make([][2]float64, n)
	size := 2 * min(n, errorChunk) * wd
	z, s, ds := make([]float64, size), make([]float64, size), make([]float64, size)
	var buf []float64 // dense patches (forwardAny)
	for i0 := 0; i0 < n; i0 += errorChunk {
		i1 := min(i0+errorChunk, n)
		buf = forwardAny(z, w, set, 2*i0, 2*i1, wd, buf)
		c.activate(z[:2*(i1-i0)*wd], s, ds)
		for i := i0; i < i1; i++ {
			si := s[2*(i-i0)*wd : 2*(i-i0+1)*wd]
			for j := range 2 {
				for col := j * c.M; col < (j+1)*c.M; col++ {
					out[i][j] += si[col] + si[wd+col]
				}
				out[i][j] /= c.outputDiv()
			}
		}
	}
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
