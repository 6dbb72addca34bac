//go:build linux

package kernel_test

import (
	"runtime/debug"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/adamgap/adamgap/internal/kernel"
)

// edge maps two pages and makes the second inaccessible. It returns the
// first page as float64s, each set to fill: an access at or past its end
// faults.
func edge(t *testing.T, fill float64) []float64 {
	t.Helper()
	page := unix.Getpagesize()
	mem, err := unix.Mmap(-1, 0, 2*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatalf("mmap: %v", err)
	}
	t.Cleanup(func() { unix.Munmap(mem) })
	if err := unix.Mprotect(mem[page:], unix.PROT_NONE); err != nil {
		t.Fatalf("mprotect: %v", err)
	}
	out := unsafe.Slice((*float64)(unsafe.Pointer(&mem[0])), page/8)
	for i := range out {
		out[i] = fill
	}
	return out
}

// faults reports whether f touched an inaccessible page.
func faults(f func()) (faulted bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			faulted = true
		}
	}()
	f()
	return false
}

// TestKernelsStayInBounds puts the last element each kernel may touch
// (read or written) right before an inaccessible page: the masked chunks
// of SumRows8 and GradRows8, whose lanes outside the mask lie in that
// page, the last row of SumRows40 and GradRows40, and the last 8-block of
// AdamRows and Act. None may fault; a call that reaches one element
// further must (the check that the harness works).
func TestKernelsStayInBounds(t *testing.T) {
	needAVX512(t)
	mem := edge(t, 0.5)
	end := len(mem)
	idx := []int32{0, 1, 2}
	val := []float64{1, 2, 3}
	var acc [24]float64
	for left := 1; left <= 8; left++ {
		mask := uint8(1)<<left - 1
		if left == 8 {
			mask = 0xff
		}
		// Rows 0, 1, 2, 16 apart: the last row's masked lanes end at the
		// page's end, and so do dst, g and w; the lanes outside the mask
		// lie in the inaccessible page.
		const stride = 16
		last := end - left // first column of the last row's chunk
		base := last - 2*stride
		if f := faults(func() {
			kernel.SumRows8(&mem[end-left], &mem[base], &idx[0], &val[0], 3, stride*8, mask)
		}); f {
			t.Errorf("SumRows8 with %d lanes at the end of memory faulted", left)
		}
		if f := faults(func() {
			kernel.GradRows8(&mem[end-left], &mem[end-left], &mem[base], &idx[0], &val[0], 3, stride*8, 0.1, &acc, mask)
		}); f {
			t.Errorf("GradRows8 with %d lanes at the end of memory faulted", left)
		}
	}
	if faults(func() { kernel.SumRows40(&mem[0], &mem[end-40-2*64], &idx[0], &val[0], 3, 64*8) }) {
		t.Error("SumRows40 reading the last 40 elements faulted")
	}
	if faults(func() {
		kernel.GradRows40(&mem[end-40], &mem[end-40], &mem[end-40-2*64], &idx[0], &val[0], 3, 64*8, 0.1, &acc)
	}) {
		t.Error("GradRows40 on the last 40 elements faulted")
	}
	c := [7]float64{0.9, 0.1, 0.999, 0.001, 1e-3, 1, 1e-8}
	if faults(func() { kernel.AdamRows(&mem[end-16], &mem[end-16], &mem[end-16], &mem[end-16], 16, &c) }) {
		t.Error("AdamRows on the last 16 elements faulted")
	}
	if faults(func() { kernel.Act(&mem[end-16], &mem[end-16], &mem[end-16], 16, 3) }) {
		t.Error("Act on the last 16 elements faulted")
	}

	// One element further faults: the harness catches a stray access.
	if !faults(func() { kernel.SumRows40(&mem[0], &mem[end-39-2*64], &idx[0], &val[0], 3, 64*8) }) {
		t.Error("SumRows40 reading one element past the end did not fault: the test cannot see stray reads")
	}
	if !faults(func() { kernel.SumRows8(&mem[0], &mem[end-2-2*16], &idx[0], &val[0], 3, 16*8, 0x07) }) {
		t.Error("SumRows8 with a lane past the end did not fault: the test cannot see stray reads")
	}
}

// TestDenseKernelsStayInBounds: a dense block whose last row of b and of c
// ends width columns before an inaccessible page, the masked lanes past it
// lying in that page, does not fault for any width; the same call one
// column wider does (the check that the harness works).
func TestDenseKernelsStayInBounds(t *testing.T) {
	needAVX512(t)
	mem := edge(t, 0.25)
	end := len(mem)
	a := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	for width := 1; width <= 40; width++ {
		const k, ld = 2, 48
		// b's rows: end−width−ld and end−width; c's last row: end−width.
		b := end - width - ld
		for _, f := range []struct {
			name string
			rows int
			call func(c *float64, ldc int, a *float64, lda int, b *float64, ldb int, k int, masks uint64, load int)
		}{{"Dense4x40", 4, kernel.Dense4x40}, {"Dense1x40", 1, kernel.Dense1x40}} {
			c := end - width - (f.rows-1)*ld
			if faults(func() { f.call(&mem[c], ld*8, &a[0], 2*8, &mem[b], ld*8, k, denseMasks(width), 1) }) {
				t.Errorf("%s with %d columns at the end of memory faulted", f.name, width)
			}
		}
	}
	if !faults(func() { kernel.Dense1x40(&mem[end-8], 8, &a[0], 8, &mem[end-8], 8, 1, denseMasks(9), 1) }) {
		t.Error("Dense1x40 reading one lane into the inaccessible page did not fault: the check is not working")
	}
}

// TestSumBlocksStaysInBounds: SumBlocks40, SumBlocks40M and SumBlocks120M
// whose last rows of z and of w end at an inaccessible page (for the masked
// ones with the masked-off lanes of the block inside it) do not fault, and
// SumBlocks120M, whose index list ends at that page, prefetches no row past
// the last group's end; one element further faults.
func TestSumBlocksStaysInBounds(t *testing.T) {
	needAVX512(t)
	mem := edge(t, 0.5)
	end := len(mem)
	idx := []int32{0, 2, 1}
	val := []float64{1, 2, 3}
	grp := []int32{-3, 0, 2, 0, 2, 3, 2, 3, 3} // row 2 from zero, row 0, row 2
	for _, k := range []struct {
		name      string
		act, cols int // columns read and written, row stride
		call      func(z, w *float64, masks uint64)
	}{
		{"SumBlocks40", 40, 64, func(z, w *float64, _ uint64) {
			kernel.SumBlocks40(z, w, &idx[0], &val[0], &grp[0], 3, 64*8)
		}},
		{"SumBlocks40M", 20, 64, func(z, w *float64, masks uint64) {
			kernel.SumBlocks40M(z, w, &idx[0], &val[0], &grp[0], 3, 64*8, masks)
		}},
		{"SumBlocks120M", 100, 128, func(z, w *float64, masks uint64) {
			kernel.SumBlocks120M(z, w, &idx[0], &val[0], &grp[0], 3, 128*8, masks)
		}},
	} {
		masks := prefixMasks(k.act % 40)
		if k.act%40 == 0 {
			masks = prefixMasks(40)
		}
		base := end - k.act - 2*k.cols // row 2's last column is the page's last element
		if faults(func() { k.call(&mem[base], &mem[base], masks) }) {
			t.Errorf("%s on rows ending at the end of memory faulted", k.name)
		}
		if !faults(func() { k.call(&mem[base+1], &mem[0], masks) }) {
			t.Errorf("%s writing one element past the end did not fault: the test cannot see stray accesses", k.name)
		}
	}
	// The index list at the page's end: 12 entries in groups of 5 and 7.
	ints := unsafe.Slice((*int32)(unsafe.Pointer(&edge(t, 0)[0])), 1024)
	list := ints[len(ints)-12:]
	for e := range list {
		list[e] = int32(e % 3)
	}
	vals := make([]float64, 13)
	z, w := make([]float64, 3*128), make([]float64, 3*128)
	g := []int32{-1, 0, 5, -2, 5, 12}
	if faults(func() {
		kernel.SumBlocks120M(&z[0], &w[0], &list[0], &vals[0], &g[0], 2, 128*8, prefixMasks(20))
	}) {
		t.Error("SumBlocks120M with its index list ending at the end of memory faulted")
	}
	g[5] = 13 // one entry more: its index is in the inaccessible page
	if !faults(func() {
		kernel.SumBlocks120M(&z[0], &w[0], &list[0], &vals[0], &g[0], 2, 128*8, prefixMasks(20))
	}) {
		t.Error("SumBlocks120M reading one index past the end did not fault")
	}
}
