package data

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/adamgap/adamgap/internal/keytable"
)

// PatchModel holds the parameters of the data distribution: Definition 3.1
// of the seed paper (sparse noise) and the members of its family (dense
// Gaussian noise, a signal of any norm, flipped labels).
type PatchModel struct {
	D      int     // dimension of a patch; d ≥ 2
	S      int     // noise sparsity, for Sparse noise; 1 ≤ s ≤ d−1 (unused by Gaussian noise)
	SigmaP float64 // standard deviation σp of the noise values; σp > 0
	Alpha  float64 // feature-noise strength α; α ≥ 0
	// Noise is the kind of noise patch: Sparse (the default, "") or
	// Gaussian.
	Noise Noise
	// SignalNorm is ‖μ‖, μ = ‖μ‖·e₁; zero means 1 (the seed's v = e₁).
	SignalNorm float64
	// LabelNoise is the probability p ∈ [0, ½) that a label is flipped
	// after its example is drawn (see Set.Clean); 0 flips none.
	LabelNoise float64
}

// Validate reports the first parameter out of its allowed range.
func (p PatchModel) Validate() error {
	switch {
	case p.D < 2:
		return fmt.Errorf("%w: d=%d must be at least 2", ErrInvalid, p.D)
	case !slices.Contains(NoiseKinds(), p.Noise) && p.Noise != "":
		return fmt.Errorf("%w: noise=%q must be one of %v", ErrInvalid, p.Noise, NoiseKinds())
	case p.noise() == Sparse && (p.S < 1 || p.S > p.D-1):
		return fmt.Errorf("%w: s=%d must be in [1, d-1=%d]", ErrInvalid, p.S, p.D-1)
	case !(p.SigmaP > 0) || math.IsInf(p.SigmaP, 0):
		return fmt.Errorf("%w: sigma_p=%v must be a finite number > 0", ErrInvalid, p.SigmaP)
	case !(p.Alpha >= 0) || math.IsInf(p.Alpha, 0):
		return fmt.Errorf("%w: alpha=%v must be a finite number >= 0", ErrInvalid, p.Alpha)
	case !(p.SignalNorm >= 0) || math.IsInf(p.SignalNorm, 0):
		return fmt.Errorf("%w: signal_norm=%v must be a finite number > 0", ErrInvalid, p.SignalNorm)
	case !(p.LabelNoise >= 0 && p.LabelNoise < 0.5):
		return fmt.Errorf("%w: label_noise=%v must be in [0, 0.5)", ErrInvalid, p.LabelNoise)
	}
	return nil
}

// Mu returns ‖μ‖ (SignalNorm, or 1 where it is zero).
func (p PatchModel) Mu() float64 {
	if p.SignalNorm == 0 {
		return 1
	}
	return p.SignalNorm
}

// SNR returns the signal-to-noise ratio of the family's papers,
// ‖μ‖ / (σp·√d), whatever the kind of noise.
func (p PatchModel) SNR() float64 { return p.Mu() / (p.SigmaP * math.Sqrt(float64(p.D))) }

func (p PatchModel) noise() Noise { return cmp.Or(p.Noise, Sparse) }

// String names the distribution's parameters, as the output of a run
// whose test set was drawn from it reports them.
func (p PatchModel) String() string {
	s := fmt.Sprintf("noise=%s d=%d", p.noise(), p.D)
	if p.noise() == Sparse {
		s += fmt.Sprintf(" s=%d", p.S)
	}
	return s + fmt.Sprintf(" sigma_p=%g alpha=%g signal_norm=%g label_noise=%g", p.SigmaP, p.Alpha, p.Mu(), p.LabelNoise)
}

// Train draws n training examples with balanced clean labels: the first
// n/2 are drawn with y = +1 and the rest with y = −1. n must be even and
// positive. With LabelNoise > 0 the labels are then flipped with uniforms
// drawn from rng after the examples (TrainFlips takes them from a stream
// of their own).
func (p PatchModel) Train(n int, rng *rand.Rand) (*Set, error) {
	return p.TrainFlips(context.Background(), n, rng, rng)
}

// TrainContext is Train that stops with ctx's error, within a few thousand
// examples, once ctx is done.
func (p PatchModel) TrainContext(ctx context.Context, n int, rng *rand.Rand) (*Set, error) {
	return p.TrainFlips(ctx, n, rng, rng)
}

// TrainFlips is TrainContext with the label flips drawn from flips: one
// uniform per example, in order, when LabelNoise > 0 (none otherwise), so
// that the examples do not depend on p.
func (p PatchModel) TrainFlips(ctx context.Context, n int, rng, flips *rand.Rand) (*Set, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if n < 2 || n%2 != 0 {
		return nil, fmt.Errorf("%w: n=%d must be an even number >= 2 (labels are balanced, n/2 per class)", ErrInvalid, n)
	}
	y := make([]int8, n)
	for i := range y {
		y[i] = 1
		if i >= n/2 {
			y[i] = -1
		}
	}
	return p.drawFlipped(ctx, y, rng, flips, (*Builder).Build)
}

// Test draws n test examples with labels ±1 drawn independently with equal
// probability, as in the data distribution itself (TestLabels with Coin).
// The set has no column form (Builder.BuildRows): a test set is only
// evaluated, never differentiated, and at large d·s the column form would
// double its memory.
func (p PatchModel) Test(n int, rng *rand.Rand) (*Set, error) {
	return p.TestLabelsContext(context.Background(), n, Coin, rng)
}

// TestContext is Test that stops with ctx's error, within a few thousand
// examples, once ctx is done.
func (p PatchModel) TestContext(ctx context.Context, n int, rng *rand.Rand) (*Set, error) {
	return p.TestLabelsContext(ctx, n, Coin, rng)
}

// Labels says how the labels of a test set are chosen.
type Labels string

const (
	// Coin draws each label ±1 with probability ½ (the distribution D).
	Coin Labels = "coin"
	// Balanced gives the first ⌈n/2⌉ examples y = +1 and the rest y = −1.
	Balanced Labels = "balanced"
	// Positive gives every example y = +1 (the paper's Figure 2 shows
	// class +1 only).
	Positive Labels = "positive"
	// Negative gives every example y = −1.
	Negative Labels = "negative"
)

// LabelKinds lists the label schemes.
func LabelKinds() []Labels { return []Labels{Coin, Balanced, Positive, Negative} }

// ParseLabels returns the scheme named s ("" is Coin) or an error naming the
// allowed values.
func ParseLabels(s string) (Labels, error) {
	l, err := keytable.ParseKind("test_labels", s, LabelKinds())
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return l, nil
}

// TestLabels draws n test examples with labels chosen by labels. With Coin
// the labels take one draw of rng each, before the examples; the other
// schemes take none, so their examples are drawn from the stream's start.
func (p PatchModel) TestLabels(n int, labels Labels, rng *rand.Rand) (*Set, error) {
	return p.TestLabelsContext(context.Background(), n, labels, rng)
}

// TestLabelsContext is TestLabels that stops with ctx's error, within a
// few thousand examples, once ctx is done.
func (p PatchModel) TestLabelsContext(ctx context.Context, n int, labels Labels, rng *rand.Rand) (*Set, error) {
	return p.TestFlips(ctx, n, labels, rng, rng)
}

// TestFlips is TestLabelsContext with the label flips (LabelNoise > 0)
// drawn from flips, one uniform per example after the examples: Set.Y
// holds the noisy labels (the population risk's) and Set.Clean the labels
// the examples were drawn with.
func (p PatchModel) TestFlips(ctx context.Context, n int, labels Labels, rng, flips *rand.Rand) (*Set, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("%w: test_size=%d must be at least 1", ErrInvalid, n)
	}
	if _, err := ParseLabels(string(labels)); err != nil {
		return nil, err
	}
	y := make([]int8, n)
	for i := range y {
		switch labels {
		case "", Coin:
			y[i] = 1
			if rng.IntN(2) == 0 {
				y[i] = -1
			}
		case Balanced:
			y[i] = 1
			if i >= (n+1)/2 {
				y[i] = -1
			}
		case Positive:
			y[i] = 1
		case Negative:
			y[i] = -1
		}
	}
	return p.drawFlipped(ctx, y, rng, flips, (*Builder).BuildRows)
}

// drawFlipped draws the examples of labels y (draw), builds the set with
// build and flips its labels (Set.Flip with flips).
func (p PatchModel) drawFlipped(ctx context.Context, y []int8, rng, flips *rand.Rand, build func(*Builder) *Set) (*Set, error) {
	b, err := p.draw(ctx, y, rng)
	if err != nil {
		return nil, err
	}
	s := build(b)
	s.Flip(p.LabelNoise, flips)
	return s, nil
}

// draw makes one example per label: feature patch y·‖μ‖·e₀, then the noise
// patch (sparseNoise or gaussianNoise) with −α·y at index 0.
func (p PatchModel) draw(ctx context.Context, y []int8, rng *rand.Rand) (*Builder, error) {
	gaussian := p.noise() == Gaussian
	k := p.S + 1
	if gaussian {
		k = p.D
	}
	b := NewBuilder(p.D, len(y))
	b.grow(len(y) * (k + 1))
	support := make([]int32, 0, p.S)
	seen := make([]uint64, (p.D+63)/64)
	idx := make([]int32, 0, k)
	val := make([]float64, 0, k)
	mu := p.Mu()
	done := ctx.Done()
	for i, yi := range y {
		if i%4096 == 0 {
			select {
			case <-done:
				return nil, fmt.Errorf("data: drawing examples stopped after %d of %d: %w", i, len(y), ctx.Err())
			default:
			}
		}
		b.AddPatch([]int32{0}, []float64{float64(yi) * mu})
		idx, val = idx[:0], val[:0]
		if p.Alpha != 0 {
			idx = append(idx, 0)
			val = append(val, -p.Alpha*float64(yi))
		}
		if gaussian {
			idx, val = p.gaussianNoise(idx, val, rng)
		} else {
			support = sampleSupport(support[:0], seen, p.D, p.S, rng)
			for _, k := range support {
				idx = append(idx, k)
				val = append(val, p.SigmaP*rng.NormFloat64())
			}
		}
		b.AddPatch(idx, val)
		b.AddLabel(yi, 1)
	}
	return b, nil
}

// gaussianNoise appends ξ = σp·(g − ⟨g, e₁⟩e₁), g ~ N(0, I_d), to the
// patch: coordinates 1, …, d−1 (coordinate 0 of g is drawn and dropped, so
// ξ is orthogonal to μ exactly). The draws are d normals in coordinate
// order.
func (p PatchModel) gaussianNoise(idx []int32, val []float64, rng *rand.Rand) ([]int32, []float64) {
	_ = rng.NormFloat64() // ⟨g, e₁⟩, projected out
	for k := 1; k < p.D; k++ {
		idx = append(idx, int32(k))
		val = append(val, p.SigmaP*rng.NormFloat64())
	}
	return idx, val
}

// sampleSupport appends s distinct indices drawn uniformly from {1,…,d−1}
// to dst, in increasing order, using Floyd's algorithm (O(s) expected work,
// independent of d). seen is a bitset of at least d−1 bits, all clear; it
// is left clear. The drawn set is read back in order from the bitset when
// that is cheaper than sorting (d/64 words against about s·log s steps), so
// the result does not depend on which.
func sampleSupport(dst []int32, seen []uint64, d, s int, rng *rand.Rand) []int32 {
	universe := d - 1 // values 1..d-1, drawn as 0..universe-1 then shifted
	start := len(dst)
	for j := universe - s; j < universe; j++ {
		t := rng.IntN(j + 1)
		if seen[t>>6]&(1<<(t&63)) != 0 {
			t = j
		}
		seen[t>>6] |= 1 << (t & 63)
		dst = append(dst, int32(t+1))
	}
	if words := (universe + 63) >> 6; words <= 8*s {
		dst = dst[:start]
		for w := range seen[:words] {
			for b := seen[w]; b != 0; b &= b - 1 {
				dst = append(dst, int32(w<<6+bits.TrailingZeros64(b)+1))
			}
			seen[w] = 0
		}
		return dst
	}
	for _, t := range dst[start:] {
		seen[(t-1)>>6] = 0
	}
	slices.Sort(dst[start:])
	return dst
}
