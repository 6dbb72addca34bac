package kernel_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/adamgap/adamgap/internal/kernel"
)

// TestSumBlocks40: each group adds its entries, one FMA chain per column in
// entry order, to its row of z (which starts from a non-zero value, so the
// load is seen), or, marked −1−row, sets the row to them (from zero); rows
// of z that no group names and columns outside the block (NaN) are neither
// written nor read; groups may name a row twice (the later group continues
// from the earlier one's sum) and may be empty. Row strides that are not
// multiples of 8, blocks that start inside a row, guard regions around z,
// entries and groups. TestSumBlocksMasked runs the same checks on the
// masked kernels, SumBlocks40M and SumBlocks120M, whose masked-off columns
// of z keep their value (and of w are NaN: never read into a result).
func TestSumBlocks40(t *testing.T) {
	needAVX512(t)
	checkSumBlocks(t, "SumBlocks40", 40, 40, func(z, w *float64, idx *int32, val *float64, grp *int32, ng, stride int) {
		kernel.SumBlocks40(z, w, idx, val, grp, ng, stride)
	})
}

func TestSumBlocksMasked(t *testing.T) {
	needAVX512(t)
	for _, act := range []int{1, 4, 8, 20, 33, 40} {
		checkSumBlocks(t, fmt.Sprintf("SumBlocks40M/%d", act), 40, act, func(z, w *float64, idx *int32, val *float64, grp *int32, ng, stride int) {
			kernel.SumBlocks40M(z, w, idx, val, grp, ng, stride, prefixMasks(act))
		})
	}
	for _, act := range []int{80, 81, 84, 100, 111, 120} {
		checkSumBlocks(t, fmt.Sprintf("SumBlocks120M/%d", act), 120, act, func(z, w *float64, idx *int32, val *float64, grp *int32, ng, stride int) {
			kernel.SumBlocks120M(z, w, idx, val, grp, ng, stride, prefixMasks(act-80))
		})
	}
}

// prefixMasks returns the chunk masks (byte j for columns 8j…8j+7) of a
// block of 40 columns whose first left columns are read and written.
func prefixMasks(left int) uint64 {
	var masks uint64
	for j := range 5 {
		if l := left - 8*j; l >= 8 {
			masks |= 0xff << (8 * j)
		} else if l > 0 {
			masks |= uint64(1<<l-1) << (8 * j)
		}
	}
	return masks
}

// checkSumBlocks checks a kernel with SumBlocks40's contract over a block
// of width columns of which the first act are read and written.
func checkSumBlocks(t *testing.T, kname string, width, act int, call func(z, w *float64, idx *int32, val *float64, grp *int32, ng, stride int)) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, uint64(40+width+act)))
	const d, np = 29, 7
	for _, layout := range []struct{ stride, off int }{{40, 0}, {41, 0}, {47, 5}, {80, 40}, {123, 77}, {120, 0}, {127, 3}, {250, 130}} {
		if layout.off+width > layout.stride {
			continue
		}
		for _, n := range []int{0, 1, 2, 9, 31, 101} {
			name := fmt.Sprintf("%s stride=%d,off=%d,n=%d", kname, layout.stride, layout.off, n)
			w := newRows(rng, d, layout.stride, layout.off, act)
			z := newRows(rng, np, layout.stride, layout.off, width)
			z0 := append([]float64(nil), z.buf.whole...)
			idx, val, _ := entries(rng, n, d)
			// Groups: cut [0, n) at random points, each piece to a random
			// row of z (row np−1 never: it must stay untouched), plus an
			// empty group.
			var grp []int32
			for a := 0; a < n; {
				b := min(n, a+1+rng.IntN(12))
				r := int32(rng.IntN(np - 1))
				if rng.IntN(3) == 0 {
					r = -1 - r // from zero
				}
				grp = append(grp, r, int32(a), int32(b))
				a = b
			}
			grp = append(grp, int32(rng.IntN(np-1)), int32(n), int32(n))
			grp = append(grp, -1-int32(rng.IntN(np-1)), int32(n), int32(n)) // an empty group from zero: the row becomes +0
			grpG := make([]int32, len(grp)+2*guardLen)
			for i := range grpG {
				grpG[i] = math.MaxInt32 // a group read past the end names a row far outside z
			}
			copy(grpG[guardLen:], grp)
			ng := len(grp) / 3
			call(z.base(), w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), &grpG[guardLen], ng, layout.stride*8)
			z.buf.check(t, name+" z")
			// The model.
			want := make([]float64, len(z0))
			copy(want, z0)
			for g := range ng {
				p, a, b := int(grp[3*g]), int(grp[3*g+1]), int(grp[3*g+2])
				fresh := p < 0
				if fresh {
					p = -1 - p
				}
				for c := range act {
					at := guardLen + p*layout.stride + layout.off + c
					if fresh {
						want[at] = 0
					}
					for e := a; e < b; e++ {
						want[at] = math.FMA(val.In[e], w.at(int(idx[e]), c), want[at])
					}
				}
			}
			for i := range want {
				if !same(z.buf.whole[i], want[i]) {
					t.Errorf("%s: z element %d = %v, model %v", name, i-guardLen, z.buf.whole[i], want[i])
					break
				}
			}
			// The portable loop, to rounding.
			for c := range act {
				for p := range np {
					at := guardLen + p*layout.stride + layout.off + c
					sum, scale := z0[at], math.Abs(z0[at])
					for g := range ng {
						r := int(grp[3*g])
						if r == -1-p {
							sum, scale = 0, 0
						} else if r != p {
							continue
						}
						s, sc := sumPortable(0, idx[grp[3*g+1]:grp[3*g+2]], val.In[grp[3*g+1]:grp[3*g+2]], func(k int) float64 { return w.at(k, c) })
						sum, scale = sum+s, scale+sc
					}
					if !near(z.buf.whole[at], sum, scale) {
						t.Errorf("%s: z[%d][%d] = %v, portable %v", name, p, c, z.buf.whole[at], sum)
					}
				}
			}
		}
	}
}
