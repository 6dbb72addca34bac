package convnet

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestNoisinessMeasures(t *testing.T) {
	makeK := func(k int, f func(a, b int) float64) []float64 {
		out := make([]float64, k*k)
		for a := range k {
			for b := range k {
				out[a*k+b] = f(a, b)
			}
		}
		return out
	}
	make2 := func(f func(a, b int) float64) []float64 { return makeK(5, f) }
	for _, tc := range []struct {
		name      string
		filter    []float64
		share, tv float64 // −1: not checked
	}{
		{"constant", make2(func(a, b int) float64 { return 3 }), 0, 0},
		{"constant 0.1", make2(func(a, b int) float64 { return 0.1 }), 0, 0},
		{"checkerboard", make2(func(a, b int) float64 { return float64((a + b) % 2) }), -1, 1},
		// On an even side the checkerboard is the Nyquist frequency alone.
		{"checkerboard 4x4", makeK(4, func(a, b int) float64 { return float64((a + b) % 2) }), 1, 1},
		// A ramp along the rows: mean |Δ| = (k(k−1)·1 + k(k−1)·0)/(2k(k−1)) = 1/2, range k−1.
		{"ramp", make2(func(a, b int) float64 { return float64(a) }), -1, 0.5 / 4},
		// One cosine period across the filter: all energy at |ν| = 1/k = 0.2 ≤ 0.25.
		{"slow cosine", make2(func(a, b int) float64 { return math.Cos(2 * math.Pi * float64(b) / 5) }), 0, -1},
		// Two periods: |ν| = 0.4 > 0.25.
		{"fast cosine", make2(func(a, b int) float64 { return math.Cos(4 * math.Pi * float64(b) / 5) }), 1, -1},
	} {
		k := int(math.Sqrt(float64(len(tc.filter))))
		if tc.share >= 0 {
			if got := HighFreqShare(tc.filter, k, 0.25); math.Abs(got-tc.share) > 1e-12 {
				t.Errorf("%s: HighFreqShare = %v, want %v", tc.name, got, tc.share)
			}
		}
		if tc.tv >= 0 {
			if got := TotalVariation(tc.filter, k); math.Abs(got-tc.tv) > 1e-12 {
				t.Errorf("%s: TotalVariation = %v, want %v", tc.name, got, tc.tv)
			}
		}
	}
}

// TestWhiteNoiseShare checks the formula against the mean share of many
// random filters and against a count by hand for k=5.
func TestWhiteNoiseShare(t *testing.T) {
	// k=5: frequencies 0, ±0.2, ±0.4; the 4 bins (±0.2, 0), (0, ±0.2)
	// lie at or below 0.25, the other 20 of 24 above.
	if got := WhiteNoiseShare(5, 0.25); math.Abs(got-20.0/24) > 1e-15 {
		t.Errorf("WhiteNoiseShare(5, 0.25) = %v, want 20/24", got)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{3, 5, 7} {
		const n = 4000
		mean := 0.0
		f := make([]float64, k*k)
		for range n {
			for i := range f {
				f[i] = rng.NormFloat64()
			}
			mean += HighFreqShare(f, k, 0.25) / n
		}
		if want := WhiteNoiseShare(k, 0.25); math.Abs(mean-want) > 0.02 {
			t.Errorf("k=%d: mean share of white noise %.4f, formula %.4f", k, mean, want)
		}
	}
}
