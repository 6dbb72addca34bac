package model

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestHeads64Scale64 checks the float64 head stage against its definition
// written as plain loops, bit for bit: F_j is one sum per class in column
// order (heads64 sums two examples at a time: odd and even counts, several
// widths), and scale multiplies each value by its class's derivative once,
// on every kernel path (AVX-512 with 40 columns runs ScaleHeads40).
func TestHeads64Scale64(t *testing.T) {
	defer UseKernel(Kernel())
	rng := rand.New(rand.NewPCG(19, 64))
	for _, k := range Kernels() {
		UseKernel(k)
		for _, m := range []int{1, 3, 20, 25} {
			for _, count := range []int{0, 1, 2, 5, 8} {
				name := fmt.Sprintf("%s/m=%d/count=%d", k, m, count)
				l := &layout{m: m, wd: 2 * m, zs: 2 * m}
				s := make([]float64, 2*count*l.wd+3)
				for i := range s {
					s[i] = rng.NormFloat64()
				}
				f := make([]float64, 2*count)
				heads64(f, s, count, l)
				for b := range count {
					for j := range 2 {
						var want float64
						for col := j * m; col < (j+1)*m; col++ {
							want += s[2*b*l.wd+col] + s[(2*b+1)*l.wd+col]
						}
						if f[2*b+j] != want {
							t.Errorf("%s: F[%d][%d] = %v, want %v", name, b, j, f[2*b+j], want)
						}
					}
				}
				dF := make([]float64, 2*count)
				for i := range dF {
					dF[i] = rng.NormFloat64()
				}
				dz := append([]float64(nil), s...)
				scale64(dz, dF, count, l)
				for i, v := range dz {
					want := s[i]
					if p := i / l.wd; p < 2*count {
						want *= dF[2*(p/2)+(i%l.wd)/m]
					}
					if v != want {
						t.Errorf("%s: dz[%d] = %v, want %v", name, i, v, want)
					}
				}
			}
		}
	}
}
