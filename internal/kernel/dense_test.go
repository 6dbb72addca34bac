package kernel_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/adamgap/adamgap/internal/kernel"
)

// denseMasks returns the chunk masks of a block of 40 columns of which the
// first width are in the matrix.
func denseMasks(width int) uint64 {
	var masks uint64
	for j := range 5 {
		lanes := min(max(0, width-8*j), 8)
		masks |= uint64(uint8(1)<<lanes-1) << (8 * j)
	}
	return masks
}

// denseRef is what Dense4x40 and Dense1x40 compute, in Go: for each entry
// the terms added in order of i with math.FMA, from 0 or from c.
func denseRef(c []float64, ldc int, a []float64, lda int, b []float64, ldb, rows, k, width int, load bool) {
	for r := range rows {
		for col := range width {
			var s float64
			if load {
				s = c[r*ldc+col]
			}
			for i := range k {
				s = math.FMA(a[r*lda+i], b[i*ldb+col], s)
			}
			c[r*ldc+col] = s
		}
	}
}

// TestDenseKernels: Dense4x40 and Dense1x40 equal denseRef bit for bit for
// every width of a block (1…40 columns), k = 0, 1 and more, with and
// without loading c, on strided matrices inside guard regions whose fill
// (NaN in b and a, a sentinel in c) must stay untouched and must not leak
// into the sums: the columns past the width and the rows past the block
// are never read or written.
func TestDenseKernels(t *testing.T) {
	needAVX512(t)
	rng := rand.New(rand.NewPCG(11, 12))
	for _, rows := range []int{1, 4} {
		for width := 1; width <= 40; width++ {
			for _, k := range []int{0, 1, 3, 17} {
				for _, load := range []bool{false, true} {
					name := fmt.Sprintf("rows=%d/width=%d/k=%d/load=%v", rows, width, k, load)
					const ldc, lda, ldb = 44, 21, 43 // strides wider than the block
					ga := newGuarded(rows*lda, math.NaN())
					gb := newGuarded(max(k, 1)*ldb, math.NaN())
					gc := newGuarded(rows*ldc, 777)
					for r := range rows {
						for i := range k {
							ga.In[r*lda+i] = rng.NormFloat64()
						}
						for col := range width {
							gc.In[r*ldc+col] = rng.NormFloat64()
						}
					}
					for i := range k {
						for col := range width {
							gb.In[i*ldb+col] = rng.NormFloat64()
						}
					}
					want := append([]float64(nil), gc.In...)
					denseRef(want, ldc, ga.In, lda, gb.In, ldb, rows, k, width, load)
					l := 0
					if load {
						l = 1
					}
					f := kernel.Dense4x40
					if rows == 1 {
						f = kernel.Dense1x40
					}
					f(&gc.In[0], ldc*8, &ga.In[0], lda*8, &gb.In[0], ldb*8, k, denseMasks(width), l)
					for e := range want {
						if !same(gc.In[e], want[e]) {
							t.Fatalf("%s: c[%d] = %v, want %v", name, e, gc.In[e], want[e])
						}
					}
					ga.check(t, name+" a")
					gb.check(t, name+" b")
					gc.check(t, name+" c")
				}
			}
		}
	}
}
