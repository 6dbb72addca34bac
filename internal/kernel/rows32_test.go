//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// adamRowsRef is AdamRowsF32 in Go: AdamF32's update (TestAdamF32's loop)
// with g read from grad on the listed rows and g = fma(λ, w, +0) on the
// others; it reports whether every g was finite.
func adamRowsRef(w, grad, m, v []float32, width int, rows []int32, c *[8]float32) bool {
	finite := true
	listed := make(map[int]bool)
	for _, k := range rows {
		listed[int(k)] = true
	}
	for i := range w {
		var gi float32
		if listed[i/width] {
			gi = grad[i]
		} else {
			gi = FMA32(c[7], w[i], 0)
		}
		if math.Float32bits(gi)&0x7f800000 == 0x7f800000 {
			finite = false
		}
		m[i] = FMA32(gi, c[1], c[0]*m[i])
		v[i] = FMA32(c[3]*gi, gi, c[2]*v[i])
		den := float32(math.Sqrt(float64(v[i])))/c[5] + c[6]
		w[i] -= (c[4] * m[i]) / den
	}
	return finite
}

// TestAdamRowsF32: widths with and without a masked tail, 0 to 7 rows,
// row sets from none to all (runs of every length), bit for bit against
// adamRowsRef; 24 NaN elements before and after w, grad, m and v are
// neither written nor read into a result (nor are grad's unlisted rows,
// NaN); expmax flags an infinite or NaN gradient entry (in a listed row's
// g or an unlisted row's w) and only then, and keeps a lane's larger value.
func TestAdamRowsF32(t *testing.T) {
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
	for _, width := range []int{1, 6, 13, 16, 40} {
		for d := range 8 {
			for trial := range 12 {
				var rows []int32
				frac := float64(trial%4) / 3
				for k := range d {
					if rng.Float64() < frac {
						rows = append(rows, int32(k))
					}
				}
				n := d * width
				bad := float32(0)
				if trial >= 8 && n > 0 {
					bad = []float32{float32(math.Inf(1)), nan}[trial%2]
				}
				t.Run(fmt.Sprintf("width=%d/d=%d/rows=%v/bad=%v", width, d, rows, bad), func(t *testing.T) {
					w, m, v, g := randF32(rng, n), randF32(rng, n), randF32(rng, n), randF32(rng, n)
					for i := range v {
						v[i] *= v[i]
					}
					listed := make([]bool, d)
					for _, k := range rows {
						listed[k] = true
					}
					for i := range g {
						if !listed[i/width] {
							g[i] = nan // not read
						}
					}
					if bad != 0 {
						i := rng.IntN(n)
						if listed[i/width] {
							g[i] = bad
						} else {
							w[i] = bad
						}
					}
					ww, wm, wv := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
					finite := adamRowsRef(ww, g, wm, wv, width, rows, &c)
					gw, gm, gv, gg := guarded(w), guarded(m), guarded(v), guarded(g)
					var expmax [16]uint32
					expmax[5] = 0x3f800000
					rp := &[]int32{0}[0]
					if len(rows) > 0 {
						rp = &rows[0]
					}
					AdamRowsF32(&gw[guard], &gg[guard], &gm[guard], &gv[guard], n, width, rp, len(rows), &c, &expmax)
					for _, buf := range [][]float32{gw, gm, gv, gg} {
						for i := range guard {
							if !math.IsNaN(float64(buf[i])) || !math.IsNaN(float64(buf[guard+n+i])) {
								t.Fatal("a guard element was written")
							}
						}
					}
					for i := range n {
						if math.Float32bits(gw[guard+i]) != math.Float32bits(ww[i]) || math.Float32bits(gm[guard+i]) != math.Float32bits(wm[i]) ||
							math.Float32bits(gv[guard+i]) != math.Float32bits(wv[i]) {
							t.Fatalf("coordinate %d: (w, m, v) = (%v, %v, %v), want (%v, %v, %v)", i, gw[guard+i], gm[guard+i], gv[guard+i], ww[i], wm[i], wv[i])
						}
					}
					flagged := false
					for _, e := range expmax {
						flagged = flagged || e == 0x7f800000
					}
					if flagged == finite || expmax[5] < 0x3f800000 {
						t.Fatalf("expmax %x, gradient finite %v", expmax, finite)
					}
				})
			}
		}
	}
}
