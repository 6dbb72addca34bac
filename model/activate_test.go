package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestActivateKernels: every kernel set's activation equals act() bit for
// bit, on values of both signs, zeros and NaN, for q = 1…4 and lengths that
// are and are not multiples of 8.
func TestActivateKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range available {
		for q := 1; q <= 4; q++ {
			for _, n := range []int{1, 8, 13, 40, 83} {
				z := make([]float64, n)
				for i := range z {
					z[i] = rng.NormFloat64() * 3
				}
				z[0] = 0
				if n > 2 {
					z[1] = math.Copysign(0, -1)
					z[2] = math.NaN()
				}
				s, ds := make([]float64, n), make([]float64, n)
				k.activate(z, s, ds, q)
				for i, v := range z {
					ws, wds := act(v, q)
					if !same(s[i], ws) || !same(ds[i], wds) {
						t.Errorf("%s q=%d n=%d: z=%v gives (%v, %v), act gives (%v, %v)", k.name, q, n, v, s[i], ds[i], ws, wds)
					}
				}
			}
		}
	}
}

func same(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}
