//go:build amd64 && !purego

package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// adamRunRef is AdamRunF32 in Go: AdamF32's update (TestAdamF32's loop)
// with g = fma(λ, w, +0) when grad is nil, and the exponent bits of g
// folded into expmax lane i mod 16.
func adamRunRef(w, grad, m, v []float32, c *[8]float32, expmax *[16]uint32) {
	for i := range w {
		var gi float32
		if grad == nil {
			gi = FMA32(c[7], w[i], 0)
		} else {
			gi = grad[i]
		}
		expmax[i%16] = max(expmax[i%16], math.Float32bits(gi)&0x7f800000)
		m[i] = FMA32(gi, c[1], c[0]*m[i])
		v[i] = FMA32(c[3]*gi, gi, c[2]*v[i])
		den := float32(math.Sqrt(float64(v[i])))/c[5] + c[6]
		w[i] -= (c[4] * m[i]) / den
	}
}

// TestAdamRunF32: every n from 0 to 50 (whole blocks and masked tails),
// with a gradient and with λ·w, bit for bit against adamRunRef; 24 NaN
// elements before and after w, grad, m and v are neither written nor
// (being NaN) read into a result; expmax flags an infinite and a NaN
// gradient entry and only them, and −0 weights give +0 gradients.
func TestAdamRunF32(t *testing.T) {
	need(t)
	const guard = 24
	rng := rand.New(rand.NewPCG(19, 32))
	nan := float32(math.NaN())
	guarded := func(x []float32) []float32 {
		out := make([]float32, 2*guard+len(x))
		for i := range out {
			out[i] = nan
		}
		copy(out[guard:], x)
		return out
	}
	c := [8]float32{0.9, 0.1, 0.999, 0.001, 0.05, 0.3, 1e-8, 1e-3}
	for n := 0; n <= 50; n++ {
		for _, decay := range []bool{false, true} {
			for _, bad := range []float32{0, float32(math.Inf(-1)), nan} {
				w, m, v, g := randF32(rng, n), randF32(rng, n), randF32(rng, n), randF32(rng, n)
				for i := range v {
					v[i] *= v[i]
				}
				if n > 3 {
					w[3] = float32(math.Copysign(0, -1))
				}
				if bad != 0 && n > 0 {
					if decay {
						w[n-1] = bad
					} else {
						g[n-1] = bad
					}
				}
				ww, wm, wv := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
				var want, got [16]uint32
				want[5], got[5] = 0x3f800000, 0x3f800000 // kept: the maximum of the lane
				var gref []float32
				if !decay {
					gref = g
				}
				adamRunRef(ww, gref, wm, wv, &c, &want)
				gw, gm, gv, gg := guarded(w), guarded(m), guarded(v), guarded(g)
				var gp *float32
				if !decay {
					gp = &gg[guard]
				}
				AdamRunF32(&gw[guard], gp, &gm[guard], &gv[guard], n, &c, &got)
				for _, buf := range [][]float32{gw, gm, gv, gg} {
					for i := range guard {
						if !math.IsNaN(float64(buf[i])) || !math.IsNaN(float64(buf[guard+n+i])) {
							t.Fatalf("n=%d decay=%v: a guard element was written", n, decay)
						}
					}
				}
				for i := range n {
					if math.Float32bits(gw[guard+i]) != math.Float32bits(ww[i]) || math.Float32bits(gm[guard+i]) != math.Float32bits(wm[i]) ||
						math.Float32bits(gv[guard+i]) != math.Float32bits(wv[i]) {
						t.Fatalf("n=%d decay=%v bad=%v: coordinate %d: (w, m, v) = (%v, %v, %v), want (%v, %v, %v)",
							n, decay, bad, i, gw[guard+i], gm[guard+i], gv[guard+i], ww[i], wm[i], wv[i])
					}
				}
				if got != want {
					t.Fatalf("n=%d decay=%v bad=%v: expmax %x, want %x", n, decay, bad, got, want)
				}
				flagged := false
				for _, e := range got {
					flagged = flagged || e == 0x7f800000
				}
				if flagged != (bad != 0 && n > 0) {
					t.Fatalf("n=%d decay=%v bad=%v: non-finite flagged %v", n, decay, bad, flagged)
				}
			}
		}
	}
}
