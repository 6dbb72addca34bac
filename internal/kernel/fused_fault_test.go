//go:build linux

package kernel_test

import (
	"testing"

	"github.com/adamgap/adamgap/internal/kernel"
)

// TestAdamGatherRowsStaysInBounds: the fused mini-batch step, with w, m, v
// and dz each two rows of wd columns ending at an inaccessible page (the
// second row listed, one of its entries the last row of dz), does not fault:
// its masks keep it off the columns past a row's width.
func TestAdamGatherRowsStaysInBounds(t *testing.T) {
	needAVX512(t)
	mem := edge(t, 0.25)
	end := len(mem)
	for _, wd := range []int{1, 3, 13, 21, 37, 40} {
		base := end - 2*wd
		rows := []int32{1}
		ptr := []int32{0, 2}
		ent := []int32{1, 0}
		vals := []float64{2, 3}
		c := [9]float64{0.9, 0.1, 0.999, 0.001, 1e-3, 1, 1e-8, 1e-5, 1}
		var expmax [8]uint64
		p := &mem[base]
		if faults(func() {
			kernel.AdamGatherRows(p, p, p, p, 2, wd*8, &rows[0], 1, &ptr[0], &ent[0], &vals[0], 2, &c, &expmax, kernel.BlockMasks(wd))
		}) {
			t.Errorf("wd=%d: AdamGatherRows faulted", wd)
		}
	}
	// The harness works: a mask one lane wider than the row faults.
	wd := 3
	base := end - wd
	c := [9]float64{0.9, 0.1, 0.999, 0.001, 1e-3, 1, 1e-8, 1e-5, 1}
	var expmax [8]uint64
	p := &mem[base]
	if !faults(func() {
		kernel.AdamGatherRows(p, p, p, p, 1, wd*8, nil, 0, nil, nil, nil, 1, &c, &expmax, kernel.BlockMasks(wd+1))
	}) {
		t.Error("AdamGatherRows one lane past the page did not fault; the test checks nothing")
	}
}
