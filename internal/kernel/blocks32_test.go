//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSumBlocksF32: each group adds its entries to its row of z (which
// starts from a non-zero value, so the load is seen), or, marked −1−row,
// sets the row to them, the even and odd entries of the group in two FMA
// chains as the Go model below sums them; rows that no group names, the
// columns outside the mask and guard regions of 24 elements around z, idx,
// val and grp keep their (NaN) values bit for bit. Groups may name a row
// twice and may be empty; column counts up to 48, strides of z and w that
// differ and are not multiples of 16, blocks that start inside a row.
func TestSumBlocksF32(t *testing.T) {
	need(t)
	const guard, d, np = 24, 29, 7
	rng := rand.New(rand.NewPCG(8, 1))
	nan := float32(math.NaN())
	for _, lay := range []struct{ zs, ws, off int }{{48, 40, 0}, {48, 48, 0}, {51, 43, 0}, {61, 50, 2}, {100, 97, 49}} {
		for _, cols := range []int{1, 7, 16, 17, 33, 40, 47, 48} {
			if lay.off+cols > min(lay.zs, lay.ws) {
				continue
			}
			for _, n := range []int{0, 1, 2, 9, 31, 101} {
				name := fmt.Sprintf("zs=%d,ws=%d,off=%d,cols=%d,n=%d", lay.zs, lay.ws, lay.off, cols, n)
				mask := uint64(1)<<cols - 1
				// w: NaN outside the columns read; z: values in them, NaN
				// elsewhere; guards NaN.
				w := make([]float32, 2*guard+d*lay.ws)
				for i := range w {
					w[i] = nan
				}
				for k := range d {
					for c := range cols {
						w[guard+k*lay.ws+lay.off+c] = float32(rng.NormFloat64())
					}
				}
				z := make([]float32, 2*guard+np*lay.zs)
				for i := range z {
					z[i] = nan
				}
				for p := range np {
					for c := range cols {
						z[guard+p*lay.zs+lay.off+c] = float32(rng.NormFloat64())
					}
				}
				idx := make([]int32, 2*guard+n)
				val := make([]float32, 2*guard+n)
				for i := range idx {
					idx[i], val[i] = math.MaxInt32, nan
				}
				for e := range n {
					idx[guard+e], val[guard+e] = int32(rng.IntN(d)), float32(rng.NormFloat64())
				}
				// Groups: [0, n) cut at random points, each piece to a
				// random row (never np−1, which must stay untouched), and
				// two empty groups, the second from zero.
				var grp []int32
				for a := 0; a < n; {
					b := min(n, a+1+rng.IntN(12))
					r := int32(rng.IntN(np - 1))
					if rng.IntN(3) == 0 {
						r = -1 - r
					}
					grp = append(grp, r, int32(a), int32(b))
					a = b
				}
				grp = append(grp, int32(rng.IntN(np-1)), int32(n), int32(n), -1-int32(rng.IntN(np-1)), int32(n), int32(n))
				grpG := make([]int32, 2*guard+len(grp))
				for i := range grpG {
					grpG[i] = math.MaxInt32
				}
				copy(grpG[guard:], grp)
				want := append([]float32(nil), z...)
				ng := len(grp) / 3
				for g := range ng {
					p, a, b := int(grp[3*g]), int(grp[3*g+1]), int(grp[3*g+2])
					fresh := p < 0
					if fresh {
						p = -1 - p
					}
					for c := range cols {
						at := guard + p*lay.zs + lay.off + c
						even, odd := want[at], float32(0)
						if fresh {
							even = 0
						}
						for e := a; e < b; e++ {
							x := &even
							if (e-a)%2 == 1 {
								x = &odd
							}
							*x = FMA32(val[guard+e], w[guard+int(idx[guard+e])*lay.ws+lay.off+c], *x)
						}
						want[at] = even + odd
					}
				}
				SumBlocksF32(&z[guard+lay.off], lay.zs*4, &w[guard+lay.off], lay.ws*4, &idx[guard], &val[guard], &grpG[guard], ng, mask)
				for i := range z {
					if math.Float32bits(z[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s: z element %d (row %d) = %v, want %v", name, i-guard, (i-guard)/lay.zs, z[i], want[i])
					}
				}
			}
		}
	}
}

// TestAxpyRowsF32: each entry adds val·x to its row of dst, in entry order
// (indices repeat), the product rounded and then the sum, as the Go model
// below computes them, bit for bit; the columns outside the mask, rows no
// entry names and guard regions of 24 elements around dst, x, idx and val
// keep their (NaN) values; strides that are not multiples of 16, blocks
// that start inside a row, column counts up to 48, no entries.
func TestAxpyRowsF32(t *testing.T) {
	need(t)
	const guard, d = 24, 13
	rng := rand.New(rand.NewPCG(8, 2))
	nan := float32(math.NaN())
	for _, lay := range []struct{ ds, off int }{{40, 0}, {48, 0}, {43, 0}, {50, 2}, {97, 49}} {
		for _, cols := range []int{1, 7, 16, 17, 33, 40, 47, 48} {
			if lay.off+cols > lay.ds {
				continue
			}
			for _, n := range []int{0, 1, 2, 9, 31} {
				name := fmt.Sprintf("ds=%d,off=%d,cols=%d,n=%d", lay.ds, lay.off, cols, n)
				mask := uint64(1)<<cols - 1
				dst := make([]float32, 2*guard+d*lay.ds)
				for i := range dst {
					dst[i] = nan
				}
				for k := range d - 1 { // row d−1: never named
					for c := range cols {
						dst[guard+k*lay.ds+lay.off+c] = float32(rng.NormFloat64())
					}
				}
				x := make([]float32, 2*guard+48)
				for i := range x {
					x[i] = nan
				}
				for c := range cols {
					x[guard+c] = float32(rng.NormFloat64())
				}
				idx := make([]int32, 2*guard+n)
				val := make([]float32, 2*guard+n)
				for i := range idx {
					idx[i], val[i] = math.MaxInt32, nan
				}
				for e := range n {
					idx[guard+e], val[guard+e] = int32(rng.IntN(d-1)), float32(rng.NormFloat64())
				}
				want := append([]float32(nil), dst...)
				for e := range n {
					for c := range cols {
						at := guard + int(idx[guard+e])*lay.ds + lay.off + c
						want[at] += float32(val[guard+e] * x[guard+c])
					}
				}
				AxpyRowsF32(&dst[guard+lay.off], lay.ds*4, &x[guard], &idx[guard], &val[guard], n, mask)
				for i := range dst {
					if math.Float32bits(dst[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s: dst element %d (row %d) = %v, want %v", name, i-guard, (i-guard)/lay.ds, dst[i], want[i])
					}
				}
			}
		}
	}
}
