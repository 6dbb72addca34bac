package train

import (
	"math"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
)

// Probes are the paper's measurements of one iterate, for both classes.
type Probes struct {
	// FeaturePos = max_r ⟨w_{+1,r}, v⟩ and FeatureNeg = max_r ⟨w_{−1,r}, −v⟩
	// (Λⱼ of Lemma 5.3; v = e₁).
	FeaturePos, FeatureNeg float64
	// NoiseMin* = min_{i: yᵢ=j} max_r ⟨w_{j,r}, ξᵢ⟩ (the paper's Figure 2);
	// NoiseMax* = max_{i: yᵢ=j} max_r ⟨w_{j,r}, ξᵢ⟩ (Γⱼ of Lemma 5.6).
	NoiseMinPos, NoiseMinNeg float64
	NoiseMaxPos, NoiseMaxNeg float64
}

// Probe computes the probes from the weights w and the pre-activations z of
// the training set (model.Net.PreActivations after a full-batch
// evaluation at w), in float64 whatever their precision.
func Probe[T model.Float](c model.CNN, w, z []T, set *data.Set) Probes {
	p := Probes{
		FeaturePos: math.Inf(-1), FeatureNeg: math.Inf(-1),
		NoiseMinPos: math.Inf(1), NoiseMinNeg: math.Inf(1),
		NoiseMaxPos: math.Inf(-1), NoiseMaxNeg: math.Inf(-1),
	}
	for r := range c.M {
		p.FeatureNeg = max(p.FeatureNeg, -float64(w[c.At(-1, r, 0)]))
		p.FeaturePos = max(p.FeaturePos, float64(w[c.At(+1, r, 0)]))
	}
	wd := c.Width()
	for i, y := range set.Y {
		zi := z[(2*i+int(set.NoisePatch[i]))*wd:][:wd]
		lo := 0 // columns of class y
		if y > 0 {
			lo = c.M
		}
		best := math.Inf(-1)
		for _, v := range zi[lo : lo+c.M] {
			best = max(best, float64(v))
		}
		if y > 0 {
			p.NoiseMinPos = min(p.NoiseMinPos, best)
			p.NoiseMaxPos = max(p.NoiseMaxPos, best)
		} else {
			p.NoiseMinNeg = min(p.NoiseMinNeg, best)
			p.NoiseMaxNeg = max(p.NoiseMaxNeg, best)
		}
	}
	return p
}
