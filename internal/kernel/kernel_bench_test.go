package kernel_test

import (
	"math/rand/v2"
	"testing"

	"github.com/adamgap/adamgap/internal/kernel"
)

// BenchmarkSumRows40 sums 100 random rows of a 1000×40 matrix (one noise
// patch of the paper's setting); ns/op ÷ 100 is the cost per sparse entry.
func BenchmarkSumRows40(b *testing.B) {
	if !kernel.Available {
		b.Skip("no AVX-512")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const d, wd, n = 1000, 40, 100
	w := make([]float64, d*wd)
	for i := range w {
		w[i] = rng.NormFloat64()
	}
	idx := make([]int32, n)
	val := make([]float64, n)
	for i := range idx {
		idx[i] = int32(rng.IntN(d))
		val[i] = rng.NormFloat64()
	}
	dst := make([]float64, wd)
	for b.Loop() {
		kernel.SumRows40(&dst[0], &w[0], &idx[0], &val[0], n, wd*8)
	}
}
