package train

import (
	"math"

	"github.com/adamgap/adamgap/model"
)

// SignAgreement is the probe of Lemma A.2 of the paper (Adam ≈ sign
// gradient descent) for one update W → W': among the coordinates whose
// gradient g (the one the optimiser was given) exceeds a threshold in
// absolute value, how many moved against it, sign(W − W') = sign(g). A
// coordinate that did not move does not agree.
type SignAgreement struct {
	Measured bool // false where the probe does not apply (not an Adam-family run, or the last step)
	Coords   int  // coordinates with |g| > threshold
	Agree    int  // of those, coordinates with sign(W − W') = sign(g)
}

// Fraction returns Agree/Coords, or NaN when not measured or no coordinate
// passed the threshold.
func (s SignAgreement) Fraction() float64 {
	if !s.Measured || s.Coords == 0 {
		return math.NaN()
	}
	return float64(s.Agree) / float64(s.Coords)
}

// MeasureSign compares the update from before to after with the gradient g
// on the coordinates with |g| > threshold. It panics if the lengths differ.
func MeasureSign[T model.Float](before, after, g []T, threshold float64) SignAgreement {
	if len(before) != len(g) || len(after) != len(g) {
		panic("train: MeasureSign: weights and gradient differ in length")
	}
	s := SignAgreement{Measured: true}
	for i, gi := range g {
		if !(math.Abs(float64(gi)) > threshold) {
			continue
		}
		s.Coords++
		d := before[i] - after[i]
		if (gi > 0 && d > 0) || (gi < 0 && d < 0) {
			s.Agree++
		}
	}
	return s
}
