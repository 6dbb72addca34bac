package kernel_test

import (
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/adamgap/adamgap/internal/kernel"
)

// The AVX2 kernels' checks, shared with the NEON ones, are in
// blocks_test.go (TestBlockKernels); here, what only AVX2 has: its results
// are the AVX-512 kernels' bits. Skipped without AVX2 and FMA or with
// -tags purego (or GODEBUG=cpu.avx2=off).

func needAVX2(t *testing.T) {
	t.Helper()
	if !kernel.AvailableAVX2 {
		t.Skip("no AVX2 kernels in this build or on this CPU")
	}
}

// TestAVX2MatchesAVX512: two SumRows20AVX2 blocks give SumRows40's bits,
// and GradRows20AVX2 at columns 0 and 20 (accumulators swapped for the
// second) GradRows40's gradient and accumulators.
func TestAVX2MatchesAVX512(t *testing.T) {
	needAVX2(t)
	needAVX512(t)
	rng := rand.New(rand.NewPCG(seed, 14))
	const d, stride = 31, 43
	for _, n := range sizes {
		w := newRows(rng, d, stride, 0, 40)
		idx, val, _ := entries(rng, n, d)
		var a, b [40]float64
		kernel.SumRows40(&a[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, stride*8)
		kernel.SumRows20AVX2(&b[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, stride*8)
		kernel.SumRows20AVX2(&b[20], &w.buf.In[20], unsafe.SliceData(idx), unsafe.SliceData(val.In), n, stride*8)
		if a != b {
			t.Errorf("n=%d: SumRows20AVX2 ×2 %v, SumRows40 %v", n, b, a)
		}
		wk := make([]float64, 40)
		for i := range wk {
			wk[i] = rng.NormFloat64()
		}
		var acc1, acc2 [24]float64
		for i := range acc1 {
			acc1[i] = rng.Float64()
		}
		acc2 = acc1
		kernel.GradRows40(&a[0], &wk[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, stride*8, 0.01, &acc1)
		kernel.GradRows20AVX2(&b[0], &wk[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, stride*8, 0.01, &acc2[0], &acc2[4])
		kernel.GradRows20AVX2(&b[20], &wk[20], &w.buf.In[20], unsafe.SliceData(idx), unsafe.SliceData(val.In), n, stride*8, 0.01, &acc2[4], &acc2[0])
		if a != b || acc1 != acc2 {
			t.Errorf("n=%d: GradRows20AVX2 ×2 differs from GradRows40", n)
		}
	}
}
