package model

import "math"

// ClassCount is a count of misclassified examples by label: Pos of the
// NPos examples with y = +1 and Neg of the NNeg with y = −1 are wrong. A
// test error near ½ can be "one class learned, the other flipped" (one rate
// ≈ 1, the other ≈ 0) or "noise everywhere" (both ≈ ½); the two rates say
// which.
type ClassCount struct {
	Pos, Neg   int // misclassified examples of class +1 and of class −1
	NPos, NNeg int // examples of class +1 and of class −1
}

// Total returns the number of misclassified examples.
func (c ClassCount) Total() int { return c.Pos + c.Neg }

// Rate returns the error rate over all examples (NaN for none).
func (c ClassCount) Rate() float64 { return ratio(c.Pos+c.Neg, c.NPos+c.NNeg) }

// PosRate returns the error rate on class +1 (NaN when it has no examples).
func (c ClassCount) PosRate() float64 { return ratio(c.Pos, c.NPos) }

// NegRate returns the error rate on class −1 (NaN when it has no examples).
func (c ClassCount) NegRate() float64 { return ratio(c.Neg, c.NNeg) }

// add counts one example of label y (+1 or −1) whose outputs are f =
// (F₋₁, F₊₁) (index 0 is class −1, as in the weights): it is wrong when
// F_y ≤ F_{−y}.
func (c *ClassCount) add(y int8, f [2]float64) {
	if y > 0 {
		c.NPos++
		if f[1] <= f[0] {
			c.Pos++
		}
	} else {
		c.NNeg++
		if f[0] <= f[1] {
			c.Neg++
		}
	}
}

func ratio(k, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return float64(k) / float64(n)
}
