//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkSumRowsCSRF32 is the forward pass of the paper's size (400
// patches, 20,400 entries, rows of 1,000 coordinates) in float32, for
// several column counts of one 48-column call.
func BenchmarkSumRowsCSRF32(b *testing.B) {
	if !Available {
		b.Skip("no AVX-512")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	const d, rows, stride = 1000, 400, 48
	ptr := []int32{0}
	var idx []int32
	for r := range rows {
		k := 1
		if r%2 == 1 {
			k = 101
		}
		for range k {
			idx = append(idx, int32(rng.IntN(d)))
		}
		ptr = append(ptr, int32(len(idx)))
	}
	val := randF32(rng, len(idx))
	src := randF32(rng, d*stride)
	dst := make([]float32, rows*stride)
	for _, cols := range []int{16, 32, 40, 48} {
		b.Run(fmt.Sprint("cols=", cols), func(b *testing.B) {
			mask := uint64(1)<<cols - 1
			for b.Loop() {
				SumRowsCSRF32(&dst[0], stride*4, &src[0], stride*4, &ptr[0], rows, &idx[0], &val[0], 0, mask)
			}
		})
	}
}
