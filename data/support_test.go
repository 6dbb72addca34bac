package data

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// floydMapSort is sampleSupport as it was written before the bitset: a map
// of the drawn values and a sort, the reference for the draws and order.
func floydMapSort(d, s int, rng *rand.Rand) []int32 {
	seen := map[int32]bool{}
	var out []int32
	universe := d - 1
	for j := universe - s; j < universe; j++ {
		t := int32(rng.IntN(j + 1))
		if seen[t] {
			t = int32(j)
		}
		seen[t] = true
		out = append(out, t+1)
	}
	slices.Sort(out)
	return out
}

// TestSampleSupportMatchesMapSort: the bitset sampler draws the same sets,
// in increasing order, as the map-and-sort one from the same stream, on
// both of its read-back paths (bitset scan for dense draws, sort for
// sparse ones), over repeated draws that reuse the bitset.
func TestSampleSupportMatchesMapSort(t *testing.T) {
	for _, c := range []struct{ d, s int }{{2, 1}, {10, 9}, {65, 64}, {1000, 100}, {1000, 1}, {100000, 3}, {4097, 512}} {
		ref, got := rand.New(rand.NewPCG(7, uint64(c.d))), rand.New(rand.NewPCG(7, uint64(c.d)))
		seen := make([]uint64, (c.d+63)/64)
		var dst []int32
		for range 50 {
			want := floydMapSort(c.d, c.s, ref)
			dst = sampleSupport(dst[:0], seen, c.d, c.s, got)
			if !slices.Equal(dst, want) {
				t.Fatalf("d=%d s=%d: got %v, want %v", c.d, c.s, dst, want)
			}
			if i := slices.IndexFunc(seen, func(w uint64) bool { return w != 0 }); i >= 0 {
				t.Fatalf("d=%d s=%d: bitset word %d left set (%#x)", c.d, c.s, i, seen[i])
			}
		}
	}
}
