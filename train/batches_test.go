package train

import (
	"slices"
	"strings"
	"testing"
)

// TestBatchesPartitionEpochs: every epoch deals each example exactly once,
// in ⌈n/size⌉ sorted batches of size (the last one smaller), and the
// order changes from epoch to epoch.
func TestBatchesPartitionEpochs(t *testing.T) {
	for _, tc := range []struct{ n, size int }{{10, 3}, {10, 5}, {10, 10}, {7, 1}, {200, 100}, {200, 2}} {
		b := NewBatches(tc.n, tc.size, 42)
		perEpoch := (tc.n + tc.size - 1) / tc.size
		var orders [][]int32
		for e := range 3 {
			var seen []int32
			for k := range perEpoch {
				batch := b.Next()
				want := tc.size
				if k == perEpoch-1 && tc.n%tc.size != 0 {
					want = tc.n % tc.size
				}
				if len(batch) != want {
					t.Errorf("n=%d size=%d epoch %d batch %d: %d examples, want %d", tc.n, tc.size, e, k, len(batch), want)
				}
				if !slices.IsSorted(batch) {
					t.Errorf("batch %v is not sorted", batch)
				}
				seen = append(seen, batch...)
			}
			if b.Epoch() != e+1 {
				t.Errorf("Epoch() = %d after epoch %d", b.Epoch(), e+1)
			}
			orders = append(orders, slices.Clone(seen))
			slices.Sort(seen)
			for i, v := range seen {
				if int(v) != i {
					t.Fatalf("n=%d size=%d epoch %d: examples dealt %v, want each of 0..%d once", tc.n, tc.size, e, seen, tc.n-1)
				}
			}
		}
		if tc.size < tc.n && tc.n > 2 && slices.Equal(orders[0], orders[1]) && slices.Equal(orders[1], orders[2]) {
			t.Errorf("n=%d size=%d: three epochs dealt the same batches; not reshuffled", tc.n, tc.size)
		}
	}
}

// TestBatchesSeeded: the same seed deals the same batches; another seed
// deals others.
func TestBatchesSeeded(t *testing.T) {
	deal := func(seed uint64) []int32 {
		b := NewBatches(50, 7, seed)
		var all []int32
		for range 30 {
			all = append(all, b.Next()...)
		}
		return all
	}
	if a, b := deal(3), deal(3); !slices.Equal(a, b) {
		t.Error("the same seed dealt different batches")
	}
	if a, b := deal(3), deal(4); slices.Equal(a, b) {
		t.Error("seeds 3 and 4 dealt the same batches")
	}
}

func TestNewBatchesPanics(t *testing.T) {
	for _, tc := range []struct{ n, size int }{{10, 0}, {10, 11}, {10, -1}} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "size=") {
					t.Errorf("NewBatches(%d, %d): panic %v, want one naming size", tc.n, tc.size, r)
				}
			}()
			NewBatches(tc.n, tc.size, 1)
		}()
	}
}
