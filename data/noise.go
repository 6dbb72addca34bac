package data

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/adamgap/adamgap/internal/keytable"
)

// Noise is the kind of noise patch of a PatchModel.
type Noise string

const (
	// Sparse is Definition 3.1 of the seed paper: s Gaussian values
	// N(0, σp²) on a uniform s-subset of the coordinates other than the
	// first.
	Sparse Noise = "sparse"
	// Gaussian is the family's dense noise N(0, σp²(I − μμᵀ/‖μ‖²)): every
	// coordinate but the first is N(0, σp²), the first is exactly 0
	// (before the feature noise −α·y).
	Gaussian Noise = "gaussian"
)

// NoiseKinds lists the kinds of noise.
func NoiseKinds() []Noise { return []Noise{Sparse, Gaussian} }

// ParseNoise returns the kind named s ("" is Sparse) or an error naming
// the allowed values.
func ParseNoise(s string) (Noise, error) {
	n, err := keytable.ParseKind("noise", s, NoiseKinds())
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return n, nil
}

// Flip flips each label of the set independently with probability p: one
// uniform u of rng per example, in order, the label flipped where u < p.
// The labels the examples were drawn with move to Clean (the signal patch
// and the feature noise keep them). p = 0 draws nothing and changes
// nothing; a set flipped before keeps its first Clean. It returns the
// number of labels flipped.
func (s *Set) Flip(p float64, rng *rand.Rand) int {
	if p == 0 {
		return 0
	}
	if s.Clean == nil {
		s.Clean = slices.Clone(s.Y)
	}
	flipped := 0
	for i := range s.Y {
		if rng.Float64() < p {
			s.Y[i] = -s.Y[i]
			flipped++
		}
	}
	return flipped
}

// Flipped returns the number of examples whose label Y differs from the
// clean label they were drawn with (0 when Clean is nil).
func (s *Set) Flipped() int {
	k := 0
	for i, c := range s.Clean {
		if c != s.Y[i] {
			k++
		}
	}
	return k
}

// CleanLabels returns the labels the examples were drawn with: Clean, or
// Y when no label was flipped.
func (s *Set) CleanLabels() []int8 {
	if s.Clean != nil {
		return s.Clean
	}
	return s.Y
}

// WithCleanLabels returns a shallow copy of the set whose labels Y are the
// clean ones (the arrays are shared): to measure an error against the
// labels the examples were drawn with.
func (s *Set) WithCleanLabels() *Set {
	c := *s
	c.Y, c.Clean = s.CleanLabels(), nil
	return &c
}
