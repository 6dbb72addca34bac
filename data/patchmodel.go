package data

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// PatchModel holds the parameters of the data distribution of Definition 3.1.
type PatchModel struct {
	D      int     // dimension of a patch; d ≥ 2
	S      int     // noise sparsity; 1 ≤ s ≤ d−1
	SigmaP float64 // standard deviation σp of the noise values; σp > 0
	Alpha  float64 // feature-noise strength α; α ≥ 0
}

// Validate reports the first parameter out of its allowed range.
func (p PatchModel) Validate() error {
	switch {
	case p.D < 2:
		return fmt.Errorf("%w: d=%d must be at least 2", ErrInvalid, p.D)
	case p.S < 1 || p.S > p.D-1:
		return fmt.Errorf("%w: s=%d must be in [1, d-1=%d]", ErrInvalid, p.S, p.D-1)
	case !(p.SigmaP > 0) || math.IsInf(p.SigmaP, 0):
		return fmt.Errorf("%w: sigma_p=%v must be a finite number > 0", ErrInvalid, p.SigmaP)
	case !(p.Alpha >= 0) || math.IsInf(p.Alpha, 0):
		return fmt.Errorf("%w: alpha=%v must be a finite number >= 0", ErrInvalid, p.Alpha)
	}
	return nil
}

// Train draws n training examples with balanced labels: the first n/2 have
// y = +1 and the rest y = −1. n must be even and positive.
func (p PatchModel) Train(n int, rng *rand.Rand) (*Set, error) {
	return p.TrainContext(context.Background(), n, rng)
}

// TrainContext is Train that stops with ctx's error, within a few thousand
// examples, once ctx is done.
func (p PatchModel) TrainContext(ctx context.Context, n int, rng *rand.Rand) (*Set, error) {
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
	b, err := p.draw(ctx, y, rng)
	if err != nil {
		return nil, err
	}
	return b.Build(), nil
}

// Test draws n test examples with labels ±1 drawn independently with equal
// probability, as in the data distribution itself. The set has no column
// form (Builder.BuildRows): a test set is only evaluated, never
// differentiated, and at large d·s the column form would double its memory.
func (p PatchModel) Test(n int, rng *rand.Rand) (*Set, error) {
	return p.TestContext(context.Background(), n, rng)
}

// TestContext is Test that stops with ctx's error, within a few thousand
// examples, once ctx is done.
func (p PatchModel) TestContext(ctx context.Context, n int, rng *rand.Rand) (*Set, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("%w: test_size=%d must be at least 1", ErrInvalid, n)
	}
	y := make([]int8, n)
	for i := range y {
		y[i] = 1
		if rng.IntN(2) == 0 {
			y[i] = -1
		}
	}
	b, err := p.draw(ctx, y, rng)
	if err != nil {
		return nil, err
	}
	return b.BuildRows(), nil
}

// draw makes one example per label: feature patch y·e₀, noise patch with s
// Gaussian values on a uniform s-subset of {1,…,d−1} and −α·y at index 0.
func (p PatchModel) draw(ctx context.Context, y []int8, rng *rand.Rand) (*Builder, error) {
	b := NewBuilder(p.D, len(y))
	b.grow(len(y) * (p.S + 2))
	support := make([]int32, 0, p.S)
	seen := make(map[int32]struct{}, p.S)
	idx := make([]int32, 0, p.S+1)
	val := make([]float64, 0, p.S+1)
	done := ctx.Done()
	for i, yi := range y {
		if i%4096 == 0 {
			select {
			case <-done:
				return nil, fmt.Errorf("data: drawing examples stopped after %d of %d: %w", i, len(y), ctx.Err())
			default:
			}
		}
		b.AddPatch([]int32{0}, []float64{float64(yi)})
		support = sampleSupport(support[:0], seen, p.D, p.S, rng)
		idx, val = idx[:0], val[:0]
		if p.Alpha != 0 {
			idx = append(idx, 0)
			val = append(val, -p.Alpha*float64(yi))
		}
		for _, k := range support {
			idx = append(idx, k)
			val = append(val, p.SigmaP*rng.NormFloat64())
		}
		b.AddPatch(idx, val)
		b.AddLabel(yi, 1)
	}
	return b, nil
}

// sampleSupport appends s distinct indices drawn uniformly from {1,…,d−1}
// to dst, in increasing order, using Floyd's algorithm (O(s) expected work,
// independent of d).
func sampleSupport(dst []int32, seen map[int32]struct{}, d, s int, rng *rand.Rand) []int32 {
	clear(seen)
	universe := d - 1 // values 1..d-1, drawn as 0..universe-1 then shifted
	for j := universe - s; j < universe; j++ {
		t := int32(rng.IntN(j + 1))
		if _, ok := seen[t]; ok {
			t = int32(j)
		}
		seen[t] = struct{}{}
		dst = append(dst, t+1)
	}
	slices.Sort(dst)
	return dst
}
