//go:build linux

package kernel_test

import (
	"testing"
	"unsafe"

	"github.com/adamgap/adamgap/internal/kernel"
)

// TestSumBlocksF32StaysInBounds: SumBlocksF32 with 40 of its 48 columns
// whose last row of z and of w ends at an inaccessible page (the 8 masked
// lanes lie in it) does not fault; one element further does.
func TestSumBlocksF32StaysInBounds(t *testing.T) {
	needAVX512(t)
	m64 := edge(t, 0.5)
	mem := unsafe.Slice((*float32)(unsafe.Pointer(&m64[0])), 2*len(m64))
	end := len(mem)
	idx := []int32{0, 2, 1}
	val := []float32{1, 2, 3}
	grp := []int32{-3, 0, 2, 0, 2, 3, 2, 3, 3} // row 2 from zero, row 0, row 2
	const mask = 1<<40 - 1
	// Rows 64 apart; row 2 of z and of w ends at the page's end.
	base := end - 40 - 2*64
	if faults(func() { kernel.SumBlocksF32(&mem[base], 64*4, &mem[base], 64*4, &idx[0], &val[0], &grp[0], 3, mask) }) {
		t.Error("SumBlocksF32 on rows ending at the end of memory faulted")
	}
	if !faults(func() { kernel.SumBlocksF32(&mem[base+1], 64*4, &mem[0], 64*4, &idx[0], &val[0], &grp[0], 3, mask) }) {
		t.Error("SumBlocksF32 writing one element past the end did not fault: the test cannot see stray accesses")
	}
	if !faults(func() { kernel.SumBlocksF32(&mem[0], 64*4, &mem[base+1], 64*4, &idx[0], &val[0], &grp[0], 3, mask) }) {
		t.Error("SumBlocksF32 reading one element past the end did not fault: the test cannot see stray accesses")
	}
}

// TestAxpyRowsF32StaysInBounds: AxpyRowsF32 with 40 of its 48 columns on a
// last row of dst, and an x, that end at an inaccessible page does not
// fault; one element further does.
func TestAxpyRowsF32StaysInBounds(t *testing.T) {
	needAVX512(t)
	m64 := edge(t, 0.5)
	mem := unsafe.Slice((*float32)(unsafe.Pointer(&m64[0])), 2*len(m64))
	end := len(mem)
	idx := []int32{2, 0, 2}
	val := []float32{1, 2, 3}
	const mask = 1<<40 - 1
	base := end - 40 - 2*64 // rows 64 apart; row 2 ends at the page's end
	if faults(func() { kernel.AxpyRowsF32(&mem[base], 64*4, &mem[end-40], &idx[0], &val[0], 3, mask) }) {
		t.Error("AxpyRowsF32 on rows ending at the end of memory faulted")
	}
	if !faults(func() { kernel.AxpyRowsF32(&mem[base+1], 64*4, &mem[0], &idx[0], &val[0], 3, mask) }) {
		t.Error("AxpyRowsF32 writing one element past the end did not fault: the test cannot see stray accesses")
	}
	if !faults(func() { kernel.AxpyRowsF32(&mem[0], 64*4, &mem[end-39], &idx[0], &val[0], 3, mask) }) {
		t.Error("AxpyRowsF32 reading x one element past the end did not fault: the test cannot see stray accesses")
	}
}
