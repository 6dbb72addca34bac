//go:build amd64 && !purego

package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

func need(t *testing.T) {
	t.Helper()
	if !Available {
		t.Skip("no AVX-512 on this CPU")
	}
}

func randF32(rng *rand.Rand, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(rng.NormFloat64())
	}
	return out
}

// TestDecayF32: g = fma(λ, w, g) bit for bit and the three sums to
// rounding, for one and several 16-element blocks; the 24 elements of g
// past n (NaN) stay untouched.
func TestDecayF32(t *testing.T) {
	need(t)
	rng := rand.New(rand.NewPCG(2, 1))
	for _, n := range []int{16, 64, 160} {
		const guard = 24
		w, g := randF32(rng, n+guard), randF32(rng, n+guard)
		for i := n; i < n+guard; i++ {
			g[i] = float32(math.NaN())
		}
		want := append([]float32(nil), g...)
		var w2, l1, l2 float64
		for i := range n {
			want[i] = FMA32(0.3, w[i], g[i])
			w2 += float64(w[i]) * float64(w[i])
			l1 += math.Abs(float64(want[i]))
			l2 += float64(want[i]) * float64(want[i])
		}
		var acc [24]float64
		acc[0] = 1 // accumulates onto what acc holds
		DecayF32(&g[0], &w[0], n, 0.3, &acc)
		for i := range g {
			if math.Float32bits(g[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n=%d: g[%d] = %v, want %v", n, i, g[i], want[i])
			}
		}
		sum := func(a []float64) (s float64) {
			for _, v := range a {
				s += v
			}
			return s
		}
		for k, want := range []float64{w2 + 1, l1, l2} {
			if got := sum(acc[8*k : 8*k+8]); math.Abs(got-want) > 1e-12*want {
				t.Errorf("n=%d: acc %d: %v, want %v", n, k, got, want)
			}
		}
	}
}

func TestActF32(t *testing.T) {
	need(t)
	rng := rand.New(rand.NewPCG(3, 1))
	const n = 48
	z := randF32(rng, n)
	z[3], z[4], z[5] = 0, float32(math.NaN()), float32(math.Copysign(0, -1))
	for q := 1; q <= 4; q++ {
		s, ds := make([]float32, n), make([]float32, n)
		ActF32(&z[0], &s[0], &ds[0], n, q)
		for i, v := range z {
			var ws, wds float32
			if !(v <= 0) {
				p := float32(1)
				for range q - 1 {
					p *= v
				}
				ws, wds = p*v, float32(q)*p
			}
			same := func(a, b float32) bool { return a == b || (a != a && b != b) }
			if !same(s[i], ws) || !same(ds[i], wds) {
				t.Fatalf("q=%d z=%v: s %v ds %v, want %v %v", q, v, s[i], ds[i], ws, wds)
			}
		}
	}
}

func TestAdamF32(t *testing.T) {
	need(t)
	rng := rand.New(rand.NewPCG(4, 1))
	const n = 64
	w, m, v := randF32(rng, n), randF32(rng, n), randF32(rng, n)
	for i := range v {
		v[i] *= v[i]
	}
	g := randF32(rng, n)
	c := [8]float32{0.9, 0.1, 0.999, 0.001, 0.05, 0.3, 1e-8}
	ww, wm, wv := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
	for i, gi := range g {
		wm[i] = FMA32(gi, c[1], c[0]*wm[i])
		wv[i] = FMA32(c[3]*gi, gi, c[2]*wv[i])
		den := float32(math.Sqrt(float64(wv[i])))/c[5] + c[6]
		ww[i] -= (c[4] * wm[i]) / den
	}
	AdamF32(&w[0], &g[0], &m[0], &v[0], n, &c)
	for i := range w {
		if w[i] != ww[i] || m[i] != wm[i] || v[i] != wv[i] {
			t.Fatalf("coordinate %d: (w, m, v) = (%v, %v, %v), want (%v, %v, %v)", i, w[i], m[i], v[i], ww[i], wm[i], wv[i])
		}
	}
}

func TestAxpyF32(t *testing.T) {
	need(t)
	rng := rand.New(rand.NewPCG(5, 1))
	w, x := randF32(rng, 32), randF32(rng, 32)
	want := make([]float32, 32)
	for i := range w {
		want[i] = FMA32(-0.02, x[i], w[i])
	}
	AxpyF32(&w[0], &x[0], 32, -0.02)
	for i := range w {
		if w[i] != want[i] {
			t.Fatalf("w[%d] = %v, want %v", i, w[i], want[i])
		}
	}
}

// TestSumRowsCSRF32: the row sums equal the same sums in Go (even and odd
// entries apart, fused multiply-adds), with a value offset, strides that
// differ between src and dst, empty rows and column counts up to 48;
// columns outside the mask are untouched.
func TestSumRowsCSRF32(t *testing.T) {
	need(t)
	rng := rand.New(rand.NewPCG(6, 1))
	const srcStride, dstStride, rows = 50, 61, 7
	src := randF32(rng, 9*srcStride)
	ptr := []int32{3}
	for r := range rows {
		ptr = append(ptr, ptr[r]+int32(r%4))
	}
	n := int(ptr[rows])
	idx := make([]int32, n)
	for e := range idx {
		idx[e] = int32(rng.IntN(9))
	}
	val := randF32(rng, n)
	for _, cols := range []int{1, 7, 16, 17, 33, 40, 47, 48} {
		mask := uint64(1)<<cols - 1
		got, want := make([]float32, rows*dstStride), make([]float32, rows*dstStride)
		// val holds entries 3…n−1 only: valOff = 3.
		SumRowsCSRF32(&got[0], dstStride*4, &src[0], srcStride*4, &ptr[0], rows, &idx[0], &val[3], 3, mask)
		for r := range rows {
			a, b := ptr[r], ptr[r+1]
			if a == b {
				for c := range cols {
					want[r*dstStride+c] = 0
				}
				continue
			}
			for c := range cols {
				var even, odd float32
				for e := a; e < b; e++ {
					x := &even
					if (e-a)%2 == 1 {
						x = &odd
					}
					*x = FMA32(val[e], src[int(idx[e])*srcStride+c], *x)
				}
				want[r*dstStride+c] = even + odd
			}
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("cols=%d: element %d (row %d) = %v, want %v", cols, i, i/dstStride, got[i], want[i])
			}
		}
	}
}

// TestHeadF32: the class sums equal Go's float64 sums to float32 rounding
// and the scaling is exact, for widths with and without padding.
func TestHeadF32(t *testing.T) {
	need(t)
	rng := rand.New(rand.NewPCG(7, 1))
	for _, m := range []int{1, 8, 20, 25, 50} {
		chunks := (2*m + 15) / 16
		zs := 16 * chunks
		const n = 5
		s := make([]float32, 2*n*zs)
		for p := range 2 * n {
			for col := range 2 * m { // the padding stays zero
				s[p*zs+col] = float32(rng.Float64())
			}
		}
		masks := ClassMasks(m, chunks)
		out := make([]float32, 2*n)
		HeadSumF32(&s[0], zs*4, n, chunks, &masks[0], &out[0])
		for b := range n {
			for j := range 2 {
				var want float64
				for _, p := range []int{2 * b, 2*b + 1} {
					for col := j * m; col < (j+1)*m; col++ {
						want += float64(s[p*zs+col])
					}
				}
				if got := float64(out[2*b+j]); math.Abs(got-want) > 1e-6*want {
					t.Errorf("m=%d example %d class %d: %v, want %v", m, b, j, got, want)
				}
			}
		}
		dz := append([]float32(nil), s...)
		dF := randF32(rng, 2*n)
		HeadScaleF32(&dz[0], zs*4, n, chunks, &masks[0], &dF[0])
		for p := range 2 * n {
			for col := range zs {
				f := dF[2*(p/2)]
				if col >= m && col < 2*m {
					f = dF[2*(p/2)+1]
				}
				if want := s[p*zs+col] * f; dz[p*zs+col] != want {
					t.Fatalf("m=%d row %d column %d: %v, want %v", m, p, col, dz[p*zs+col], want)
				}
			}
		}
	}
}
