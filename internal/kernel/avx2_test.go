package kernel_test

import (
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/adamgap/adamgap/internal/kernel"
)

// The AVX2 kernels, tested as the AVX-512 ones are (kernel_test.go), by the
// checks they share with the NEON kernels (blocks_test.go): guard regions,
// NaN wherever a kernel must not read, strides that are not multiples of
// 4, the exact Go model (bit for bit: the same model as the AVX-512
// kernels', so the two paths give the same bits) and the portable loops
// (to rounding). Skipped without AVX2 and FMA or with -tags purego (or
// GODEBUG=cpu.avx2=off).

func needAVX2(t *testing.T) {
	t.Helper()
	if !kernel.AvailableAVX2 {
		t.Skip("no AVX2 kernels in this build or on this CPU")
	}
}

var avx2Kernels = blockKernels{
	sum20: kernel.SumRows20AVX2, sum4: kernel.SumRows4AVX2,
	grad20: kernel.GradRows20AVX2, grad4: kernel.GradRows4AVX2,
	adam: kernel.AdamRowsAVX2, decay: kernel.AdamDecayAVX2, act: kernel.ActAVX2, step: 4,
}

func TestSumRowsAVX2(t *testing.T)   { needAVX2(t); checkSumRows(t, avx2Kernels) }
func TestGradRowsAVX2(t *testing.T)  { needAVX2(t); checkGradRows(t, avx2Kernels) }
func TestAdamRowsAVX2(t *testing.T)  { needAVX2(t); checkAdamRows(t, avx2Kernels) }
func TestActAVX2(t *testing.T)       { needAVX2(t); checkAct(t, avx2Kernels) }
func TestAdamDecayAVX2(t *testing.T) { needAVX2(t); checkAdamDecay(t, avx2Kernels) }

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
