package kernel_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/adamgap/adamgap/internal/kernel"
)

// TestPrefetchSameSums: SumRows40PF and SumRows40MPF give, bit for bit,
// the sums of SumRows40 and SumRows40M (a prefetch changes no arithmetic),
// for entry counts below, at and around the prefetch distance (32 entries
// ahead, two at a time), with reads outside the block or past n poisoned
// by NaN and the destination between guards.
func TestPrefetchSameSums(t *testing.T) {
	needAVX512(t)
	rng := rand.New(rand.NewPCG(seed, 9))
	const d = 61
	counts := []int{0, 1, 2, 3, 31, 32, 33, 34, 35, 36, 37, 64, 65, 101, 256}
	for _, layout := range []struct{ stride, off int }{{40, 0}, {47, 5}, {123, 77}} {
		for _, n := range counts {
			name := fmt.Sprintf("stride=%d,off=%d,n=%d", layout.stride, layout.off, n)
			w := newRows(rng, d, layout.stride, layout.off, 40)
			idx, val, _ := entries(rng, n, d)
			got, want := newGuarded(40, sentinel), newGuarded(40, sentinel)
			kernel.SumRows40PF(&got.In[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, layout.stride*8)
			kernel.SumRows40(&want.In[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, layout.stride*8)
			got.check(t, name+" SumRows40PF")
			for c := range 40 {
				if !same(got.In[c], want.In[c]) {
					t.Errorf("%s: SumRows40PF[%d] = %v, SumRows40 %v", name, c, got.In[c], want.In[c])
				}
			}
			for _, left := range []int{3, 17, 20, 39} {
				var masks uint64
				for j := range 5 {
					lanes := min(max(0, left-8*j), 8)
					masks |= uint64(uint8(1)<<lanes-1) << (8 * j)
				}
				gotM, wantM := newGuarded(40, sentinel), newGuarded(40, sentinel)
				kernel.SumRows40MPF(&gotM.In[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, layout.stride*8, masks)
				kernel.SumRows40M(&wantM.In[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, layout.stride*8, masks)
				gotM.check(t, name+" SumRows40MPF")
				if !slices.EqualFunc(gotM.In, wantM.In, same) {
					t.Errorf("%s, %d columns: SumRows40MPF %v\nSumRows40M %v", name, left, gotM.In, wantM.In)
				}
			}
		}
	}
}
