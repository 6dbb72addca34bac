//go:build linux

package kernel_test

import "testing"

// TestBlockKernelsStayInBounds: the kernels with the AVX2 contract (every
// path of blockPaths), with the last element they may touch right before
// an inaccessible page (the last row of a row sum or gradient block, the
// last elements of the Adam updates and the activation), do not fault; a
// call one element further must (the check that the harness works, which
// for NEON also shows that the emulator, qemu-aarch64, enforces the page
// protection).
func TestBlockKernelsStayInBounds(t *testing.T) {
	forBlockPaths(t, checkBlockBounds)
}

func checkBlockBounds(t *testing.T, k blockKernels) {
	mem := edge(t, 0.5)
	end := len(mem)
	idx := []int32{0, 1, 2}
	val := []float64{1, 2, 3}
	var acc [24]float64
	for _, width := range []int{20, 4} {
		sum, grad := k.sum20, func(g, w, dz *float64) {
			k.grad20(g, w, dz, &idx[0], &val[0], 3, 64*8, 0.1, &acc[0], &acc[4])
		}
		if width == 4 {
			sum, grad = k.sum4, func(g, w, dz *float64) {
				k.grad4(g, w, dz, &idx[0], &val[0], 3, 64*8, 0.1, &acc[0])
			}
		}
		if faults(func() { sum(&mem[end-width], &mem[end-width-2*64], &idx[0], &val[0], 3, 64*8) }) {
			t.Errorf("%d columns: row sums on the last elements faulted", width)
		}
		if faults(func() { grad(&mem[end-width], &mem[end-width], &mem[end-width-2*64]) }) {
			t.Errorf("%d columns: gradient rows on the last elements faulted", width)
		}
		if !faults(func() { sum(&mem[0], &mem[end-width+1-2*64], &idx[0], &val[0], 3, 64*8) }) {
			t.Errorf("%d columns: reading one element past the end did not fault", width)
		}
		if !faults(func() { grad(&mem[0], &mem[end-width+1], &mem[0]) }) {
			t.Errorf("%d columns: w one element past the end did not fault", width)
		}
		if !faults(func() { grad(&mem[end-width+1], &mem[0], &mem[0]) }) {
			t.Errorf("%d columns: g one element past the end did not fault", width)
		}
	}
	c := [7]float64{0.9, 0.1, 0.999, 0.001, 1e-3, 1, 1e-8}
	n := 4 * k.step
	if faults(func() { k.adam(&mem[end-n], &mem[end-n], &mem[end-n], &mem[end-n], n, &c) }) {
		t.Errorf("Adam on the last %d elements faulted", n)
	}
	if !faults(func() { k.adam(&mem[end-n+1], &mem[end-n+1], &mem[end-n+1], &mem[end-n+1], n, &c) }) {
		t.Error("Adam one element past the end did not fault")
	}
	cd := [10]float64{0.9, 0.1, 0.999, 0.001, 1e-3, 1, 1e-8, 1e-3, 1, 0}
	var bad [4]uint64
	if faults(func() { k.decay(&mem[end-n], &mem[end-n], &mem[end-n], &mem[end-n], n, &cd, &bad) }) {
		t.Errorf("the mini-batch Adam on the last %d elements faulted", n)
	}
	if !faults(func() { k.decay(&mem[end-n+1], nil, &mem[end-n+1], &mem[end-n+1], n, &cd, &bad) }) {
		t.Error("the mini-batch Adam one element past the end did not fault")
	}
	if faults(func() { k.act(&mem[end-n], &mem[end-n], &mem[end-n], n, 3) }) {
		t.Errorf("the activation on the last %d elements faulted", n)
	}
	if !faults(func() { k.act(&mem[end-n+1], &mem[end-n+1], &mem[end-n+1], n, 3) }) {
		t.Error("the activation one element past the end did not fault")
	}
}
