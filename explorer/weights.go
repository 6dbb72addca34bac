package explorer

import (
	"math"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
)

// Neuron is one filter w_{j,r} of the network pictured by two numbers: its
// weight on the feature, ⟨w_{j,r}, j·v⟩ (v = e₁), and its largest inner
// product with the noise of an example of its class,
// max_{i: yᵢ = j} ⟨w_{j,r}, ξᵢ⟩. Learning the feature moves a neuron right,
// memorising noise moves it up.
type Neuron struct {
	Class   int     `json:"j"`
	Index   int     `json:"r"`
	Feature float64 `json:"feature"`
	Noise   float64 `json:"noise"`
}

// Scatter pictures every neuron of the weights w (internal layout) on the
// training set.
func Scatter(c model.CNN, w []float64, set *data.Set) []Neuron {
	wd := c.Width()
	noise := make([]float64, wd)
	for k := range noise {
		noise[k] = math.Inf(-1)
	}
	z := make([]float64, wd)
	for i, y := range set.Y {
		clear(z)
		idx, val := set.Patch(2*i + int(set.NoisePatch[i]))
		for e, k := range idx {
			row := w[int(k)*wd : (int(k)+1)*wd]
			for col := range z {
				z[col] += val[e] * row[col]
			}
		}
		lo := 0
		if y > 0 {
			lo = c.M
		}
		for col := lo; col < lo+c.M; col++ {
			noise[col] = max(noise[col], z[col])
		}
	}
	out := make([]Neuron, 0, wd)
	for _, j := range []int{+1, -1} {
		for r := range c.M {
			k := c.At(j, r, 0)
			out = append(out, Neuron{Class: j, Index: r, Feature: float64(j) * w[k], Noise: noise[k]})
		}
	}
	return out
}
