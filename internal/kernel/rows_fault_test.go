//go:build linux

package kernel_test

import (
	"testing"

	"github.com/adamgap/adamgap/internal/kernel"
)

// TestRowKernelsStayInBounds: the kernels of the mini-batch step, the
// masked 40-column blocks and GDRows, with the last element they may touch
// right before an inaccessible page, do not fault; their masks keep them
// off the columns past a row's width.
func TestRowKernelsStayInBounds(t *testing.T) {
	needAVX512(t)
	mem := edge(t, 0.25)
	end := len(mem)
	zero := make([]float64, 64)
	for _, wd := range []int{3, 13, 21, 37} {
		masks := uint64(0)
		for j := range 5 {
			lanes := min(max(0, wd-8*j), 8)
			masks |= uint64(uint8(1)<<lanes-1) << (8 * j)
		}
		last := end - wd // a row of wd columns that ends at the page
		idx := []int32{0}
		val := []float64{1.5}
		var acc [24]float64
		dst := make([]float64, 40)
		if faults(func() { kernel.SumRows40M(&dst[0], &mem[last], &idx[0], &val[0], 1, 8, masks) }) {
			t.Errorf("wd=%d: SumRows40M faulted", wd)
		}
		if faults(func() {
			kernel.GradRows40M(&mem[last], &mem[last], &mem[last], &idx[0], &val[0], 1, 8, 0.1, &acc, masks)
		}) {
			t.Errorf("wd=%d: GradRows40M faulted", wd)
		}
		// Two rows of wd: the second ends at the page.
		base := end - 2*wd
		rows := []int32{0, 1}
		ptr := []int32{0, 1, 2}
		ent := []int32{1, 0}
		vals := []float64{2, 3}
		if faults(func() {
			kernel.GatherRows40(&mem[base], &mem[base], &mem[base], &rows[0], 2, &ptr[0], &ent[0], &vals[0], wd*8, 0.1, masks)
		}) {
			t.Errorf("wd=%d: GatherRows40 faulted", wd)
		}
		c := [9]float64{0.9, 0.1, 0.999, 0.001, 1e-3, 1, 1e-8, 1e-5, 1}
		var expmax [8]uint64
		for _, listed := range [][]int32{nil, {1}} {
			if faults(func() {
				kernel.AdamDecayRows(&mem[base], &mem[base], &mem[base], &mem[base], 2, wd, ptrOr(listed), len(listed), &c, &expmax)
			}) {
				t.Errorf("wd=%d rows %v: AdamDecayRows faulted", wd, listed)
			}
		}
		if faults(func() { kernel.GDRows(&mem[end-wd], &zero[0], wd, 0.1) }) {
			t.Errorf("n=%d: GDRows faulted", wd)
		}
	}
	// The harness works: one element further faults.
	if !faults(func() { kernel.GDRows(&mem[end-8], &zero[0], 9, 0.1) }) {
		t.Error("GDRows one past the page did not fault; the test checks nothing")
	}
}

func ptrOr(s []int32) *int32 {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}
