package optim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/internal/kernel"
)

// TestFastRoot: Adam with FastRoot follows the exact Step on every kernel
// path, bit for bit where the path has no faster √ (portable, AVX2, NEON)
// and on AVX-512 within a few ulp of the update over ten steps, for
// lengths around the kernel's 8 lanes (the last n mod 8 weights go through
// the kernel too, in a padded block).
func TestFastRoot(t *testing.T) {
	defer UseKernel(kern.name)
	for _, k := range kernel.Paths() {
		UseKernel(k)
		for _, n := range []int{1, 7, 8, 13, 40, 1001} {
			t.Run(fmt.Sprintf("%s/n=%d", k, n), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(n), 19))
				w := make([]float64, n)
				for i := range w {
					w[i] = rng.NormFloat64()
				}
				exact, fast := DefaultAdam(1e-2), DefaultAdam(1e-2)
				fast.FastRoot = true
				we, wf := slices.Clone(w), slices.Clone(w)
				g := make([]float64, n)
				for range 10 {
					for i := range g {
						g[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(8)-4))
					}
					before := slices.Clone(we)
					exact.Step(we, g)
					fast.Step(wf, g)
					for i := range we {
						if k != kernel.AVX512 && we[i] != wf[i] {
							t.Fatalf("[%d] = %v, exact Step %v: want bit for bit on %s", i, wf[i], we[i], k)
						}
						upd := math.Abs(before[i] - we[i])
						if d := math.Abs(wf[i] - we[i]); d > 0x1p-48*upd+2*ulpOf(we[i]) {
							t.Fatalf("[%d] = %v, exact Step %v (update %v)", i, wf[i], we[i], upd)
						}
						we[i] = wf[i] // the next step from the same point
					}
					if !slices.Equal(exact.m, fast.m) || !slices.Equal(exact.v, fast.v) {
						t.Fatal("moments differ from the exact Step's")
					}
				}
			})
		}
	}
}

func ulpOf(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}
