package kernel_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/internal/kernel"
)

// TestMaskedBlockMatchesChunks: for every width of a last block (1…39
// columns) and entry counts with and without an odd tail, SumRows40M and
// GradRows40M give, bit for bit, the sums, gradient and norm accumulators
// of SumRows8 and GradRows8 called chunk by chunk, and leave the columns
// past the width untouched.
func TestMaskedBlockMatchesChunks(t *testing.T) {
	if !kernel.Available {
		t.Skip("no AVX-512")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for left := 1; left < 40; left++ {
		for _, n := range []int{0, 1, 6, 7} {
			t.Run(fmt.Sprintf("left=%d/n=%d", left, n), func(t *testing.T) {
				const rowsN, stride = 12, 48 // a row of 48 columns: the block starts at 8
				w := make([]float64, rowsN*stride)
				for i := range w {
					w[i] = rng.NormFloat64()
				}
				idx := make([]int32, n)
				val := make([]float64, n)
				for e := range idx {
					idx[e] = int32(rng.IntN(rowsN))
					val[e] = rng.NormFloat64()
				}
				var masks uint64
				for j := range 5 {
					lanes := min(max(0, left-8*j), 8)
					masks |= uint64(uint8(1)<<lanes-1) << (8 * j)
				}
				sentinel := 12345.0
				got := slices.Repeat([]float64{sentinel}, 48)
				want := slices.Clone(got)
				kernel.SumRows40M(&got[8], &w[8], ptr(idx), ptr(val), n, stride*8, masks)
				for off := 0; off < left; off += 8 {
					kernel.SumRows8(&want[8+off], &w[8+off], ptr(idx), ptr(val), n, stride*8, uint8(masks>>off))
				}
				if !slices.Equal(got, want) {
					t.Errorf("SumRows40M %v\nSumRows8s  %v", got, want)
				}
				gGot := slices.Repeat([]float64{sentinel}, 48)
				gWant := slices.Clone(gGot)
				var accGot, accWant [24]float64
				for i := range accGot {
					accGot[i] = float64(i)
					accWant[i] = float64(i)
				}
				wrow := w[3*stride : 4*stride]
				kernel.GradRows40M(&gGot[8], &wrow[8], &w[8], ptr(idx), ptr(val), n, stride*8, 0.3, &accGot, masks)
				for off := 0; off < left; off += 8 {
					kernel.GradRows8(&gWant[8+off], &wrow[8+off], &w[8+off], ptr(idx), ptr(val), n, stride*8, 0.3, &accWant, uint8(masks>>off))
				}
				if !slices.Equal(gGot, gWant) || accGot != accWant {
					t.Errorf("GradRows40M differs from GradRows8 chunk by chunk")
				}
			})
		}
	}
}

func ptr[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}
