package train

import (
	"math"
	"slices"
	"testing"
)

// TestSamplers: every kind deals sorted batches of the asked size with
// indices in range, follows its seed, and draws every example about
// equally often; subsets never repeat an example inside a batch, draws
// with replacement do.
func TestSamplers(t *testing.T) {
	const n, size, steps = 10, 4, 5000
	for _, kind := range Samplings() {
		s := NewSampler(kind, n, size, 9)
		count := make([]int, n)
		repeats := 0
		for range steps {
			b := s.Next()
			if len(b) != size && kind != Epochs {
				t.Fatalf("%s: batch of %d, want %d", kind, len(b), size)
			}
			if !slices.IsSorted(b) {
				t.Fatalf("%s: batch %v not sorted", kind, b)
			}
			for k, i := range b {
				if i < 0 || int(i) >= n {
					t.Fatalf("%s: index %d out of [0, %d)", kind, i, n)
				}
				count[i]++
				if k > 0 && b[k-1] == i {
					repeats++
				}
			}
		}
		if want := kind == Replacement; (repeats > 0) != want {
			t.Errorf("%s: %d repeated examples inside batches; repeats expected: %v", kind, repeats, want)
		}
		total := 0
		for _, c := range count {
			total += c
		}
		mean := float64(total) / n
		for i, c := range count {
			if math.Abs(float64(c)-mean) > 6*math.Sqrt(mean) {
				t.Errorf("%s: example %d drawn %d times, mean %g", kind, i, c, mean)
			}
		}
		deal := func(seed uint64) []int32 {
			s := NewSampler(kind, n, size, seed)
			var all []int32
			for range 20 {
				all = append(all, s.Next()...)
			}
			return all
		}
		if !slices.Equal(deal(1), deal(1)) || slices.Equal(deal(1), deal(2)) {
			t.Errorf("%s: batches do not follow the seed", kind)
		}
	}
}

func TestParseSampling(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Sampling
		ok   bool
	}{{"", Epochs, true}, {"epoch", Epochs, true}, {"subset", Subsets, true}, {"replacement", Replacement, true}, {"bootstrap", "", false}} {
		got, err := ParseSampling(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseSampling(%q) = %q, %v", tc.in, got, err)
		}
	}
}
