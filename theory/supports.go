package theory

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/adamgap/adamgap/data"
)

// ErrInvalid is wrapped by every error about a parameter out of its range.
var ErrInvalid = errors.New("theory")

// Supports is the setting of Lemma 5.1: n noise supports Bᵢ, each a uniform
// s-subset of the d−1 coordinates other than the first.
type Supports struct {
	N int // training examples n ≥ 1
	S int // noise sparsity, 1 ≤ s ≤ d−1
	D int // patch dimension d ≥ 2
}

// Validate reports the first parameter out of its allowed range.
func (p Supports) Validate() error {
	switch {
	case p.D < 2:
		return fmt.Errorf("%w: d=%d must be at least 2", ErrInvalid, p.D)
	case p.N < 1:
		return fmt.Errorf("%w: n=%d must be at least 1", ErrInvalid, p.N)
	case p.S < 1 || p.S > p.D-1:
		return fmt.Errorf("%w: s=%d must be in [1, d-1=%d]", ErrInvalid, p.S, p.D-1)
	}
	return nil
}

// Exact returns the probability that B₁, …, Bₙ are pairwise disjoint:
//
//	Π_{i=1}^{n−1} C(d−1−i·s, s) / C(d−1, s),
//
// the i-th factor being the chance that Bᵢ₊₁ avoids the i·s coordinates
// already taken. It is 0 when n·s > d−1.
func (p Supports) Exact() float64 {
	u := p.D - 1
	if p.N*p.S > u {
		return 0
	}
	logC := func(a, b int) float64 {
		la, _ := math.Lgamma(float64(a + 1))
		lb, _ := math.Lgamma(float64(b + 1))
		lab, _ := math.Lgamma(float64(a - b + 1))
		return la - lb - lab
	}
	logP := 0.0
	base := logC(u, p.S)
	for i := 1; i < p.N; i++ {
		logP += logC(u-i*p.S, p.S) - base
	}
	return math.Exp(logP)
}

// UnionBound returns the right-hand side of (A.1), n·s·(1 − (1 − s/(d−1))ⁿ):
// the proof's bound on the probability that some two supports meet. Values
// above 1 say nothing.
func (p Supports) UnionBound() float64 {
	q := float64(p.S) / float64(p.D-1)
	return float64(p.N) * float64(p.S) * -math.Expm1(float64(p.N)*math.Log1p(-q))
}

// LemmaBound returns 4n²s²/d, the proof's final bound on the failure
// probability, which is at most n⁻² when s ≤ √d/(2n²).
func (p Supports) LemmaBound() float64 {
	n, s := float64(p.N), float64(p.S)
	return 4 * n * n * s * s / float64(p.D)
}

// SparsityRatio returns s / (√d/(2n²)); Lemma 5.1's proof assumes it is at
// most 1.
func (p Supports) SparsityRatio() float64 {
	n := float64(p.N)
	return float64(p.S) / (math.Sqrt(float64(p.D)) / (2 * n * n))
}

// MeanSharing returns n·s/(d−1), the expected number of examples whose
// noise support holds a given coordinate k ≥ 2.
func (p Supports) MeanSharing() float64 {
	return float64(p.N) * float64(p.S) / float64(p.D-1)
}

// MonteCarlo estimates the probability that the supports are pairwise
// disjoint from trials independent draws, and returns the estimate and its
// standard error. Each trial stops at the first shared coordinate. The
// parameters must be valid and trials ≥ 1; it panics otherwise.
func (p Supports) MonteCarlo(trials int, rng *rand.Rand) (prob, stderr float64) {
	if err := p.Validate(); err != nil || trials < 1 {
		panic(fmt.Sprintf("theory: MonteCarlo: invalid %+v or trials=%d", p, trials))
	}
	u := p.D - 1
	// taken[k] == trial: coordinate k+1 is in a support of this trial;
	// mine[k] == sample: it is in the support being drawn.
	taken := make([]int, u)
	mine := make([]int, u)
	sample := 0
	disjoint := 0
	for trial := 1; trial <= trials; trial++ {
		ok := true
		for range p.N {
			sample++
			// Floyd's algorithm: a uniform s-subset of {0, …, u−1}.
			for j := u - p.S; j < u && ok; j++ {
				t := rng.IntN(j + 1)
				if mine[t] == sample {
					t = j
				}
				mine[t] = sample
				if taken[t] == trial {
					ok = false
				}
				taken[t] = trial
			}
			if !ok {
				break
			}
		}
		if ok {
			disjoint++
		}
	}
	prob = float64(disjoint) / float64(trials)
	return prob, math.Sqrt(prob * (1 - prob) / float64(trials))
}

// Sharing is the measured overlap of the noise supports of a data set.
type Sharing struct {
	Coordinates int     `json:"coordinates"` // coordinates k ≥ 2 in at least one support
	Mean        float64 `json:"mean"`        // mean number of supports holding such a coordinate
	Max         int     `json:"max"`         // largest number of supports holding one coordinate
	Alone       float64 `json:"alone"`       // fraction of examples whose support meets no other
}

// MeasureSharing counts, for every coordinate other than the first, the
// examples whose noise patch (Set.NoisePatch) is non-zero there.
func MeasureSharing(set *data.Set) Sharing {
	count := make([]int, set.D)
	for i := range set.N() {
		idx, _ := set.Patch(2*i + int(set.NoisePatch[i]))
		for _, k := range idx {
			if k != 0 {
				count[k]++
			}
		}
	}
	var sh Sharing
	total := 0
	for _, c := range count[1:] {
		if c > 0 {
			sh.Coordinates++
			total += c
			sh.Max = max(sh.Max, c)
		}
	}
	if sh.Coordinates > 0 {
		sh.Mean = float64(total) / float64(sh.Coordinates)
	}
	alone := 0
	for i := range set.N() {
		idx, _ := set.Patch(2*i + int(set.NoisePatch[i]))
		ok := true
		for _, k := range idx {
			if k != 0 && count[k] > 1 {
				ok = false
				break
			}
		}
		if ok {
			alone++
		}
	}
	if set.N() > 0 {
		sh.Alone = float64(alone) / float64(set.N())
	}
	return sh
}
