//go:build linux

package kernel_test

import (
	"testing"
	"unsafe"

	"github.com/adamgap/adamgap/internal/kernel"
)

// TestPrefetchReadsNoIndexPastTheList puts the index list of SumRows40PF
// and SumRows40MPF right before an inaccessible page: the prefetch looks 32
// and 33 entries ahead only while those entries exist, so no call faults,
// for lists shorter than, around and longer than the prefetch distance. A
// list whose last index lies in the inaccessible page must fault (the
// check that the harness sees stray reads).
func TestPrefetchReadsNoIndexPastTheList(t *testing.T) {
	needAVX512(t)
	mem := edge(t, 0)
	all := unsafe.Slice((*int32)(unsafe.Pointer(&mem[0])), 2*len(mem))
	const d, stride = 50, 40
	w := make([]float64, d*stride)
	for i := range w {
		w[i] = float64(i%7) - 3
	}
	for i := range all {
		all[i] = int32(i % d)
	}
	dst := make([]float64, 40)
	const masks = 0xff_ffff_ffff // 40 columns: all five chunks full
	for _, n := range []int{1, 2, 32, 33, 34, 35, 36, 101, 256} {
		idx := all[len(all)-n:]
		val := make([]float64, n)
		for i := range val {
			val[i] = 0.5
		}
		if faults(func() { kernel.SumRows40PF(&dst[0], &w[0], &idx[0], &val[0], n, stride*8) }) {
			t.Errorf("n=%d: SumRows40PF read past the index list", n)
		}
		if faults(func() { kernel.SumRows40MPF(&dst[0], &w[0], &idx[0], &val[0], n, stride*8, masks) }) {
			t.Errorf("n=%d: SumRows40MPF read past the index list", n)
		}
	}
	// The harness works: a list that reaches one index into the page faults.
	val := make([]float64, 4)
	if !faults(func() { kernel.SumRows40PF(&dst[0], &w[0], &all[len(all)-3], &val[0], 4, stride*8) }) {
		t.Error("a list reaching into the inaccessible page did not fault; the test checks nothing")
	}
}
