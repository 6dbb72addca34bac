package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/adamgap/adamgap/data"
)

// TestForwardCoord32: the float32 coordinate-blocked forward pass (AVX-512)
// writes the pre-activations of the per-patch kernel (forward32) to float32
// rounding, for widths of one 48-column chunk, exactly one, and more, on
// sets dense enough for a plan of L1-sized blocks and sets that get one of
// L2-sized blocks (checked: the test must not fall back); the padding
// columns of Z stay as they were.
func TestForwardCoord32(t *testing.T) {
	defer UseKernel(Kernel())
	if !UseKernel("avx512") {
		t.Skip("no AVX-512 kernels in this build or on this CPU")
	}
	defer func(rows int) { coordBlockL2 = rows }(coordBlockL2)
	for _, sz := range []struct {
		d, n, s, m int
		l2         int // coordBlockL2; 0: an L1-sized plan
	}{
		{1000, 200, 100, 20, 0}, {300, 40, 30, 24, 0}, {300, 40, 30, 25, 0}, {145, 6, 144, 50, 0},
		{20000, 10, 500, 20, 1000}, {1400, 40, 30, 25, 300},
	} {
		coordBlockL2 = 1000
		if sz.l2 > 0 {
			coordBlockL2 = sz.l2
		}
		pm := data.PatchModel{D: sz.d, S: sz.s, SigmaP: 0.1, Alpha: 0.2}
		set, err := pm.Train(sz.n, rand.New(rand.NewPCG(9, 1)))
		if err != nil {
			t.Fatal(err)
		}
		c := CNN{D: sz.d, M: sz.m, Q: 3, Lambda: 1e-3}
		w := round[float32](c.Init(0.1, rand.New(rand.NewPCG(9, 2))))
		nt := NewNet[float32](c, set)
		l, np := nt.lay, 2*sz.n
		want, got := make([]float32, np*l.zs), make([]float32, np*l.zs)
		for i := range got {
			got[i] = float32(math.NaN()) // overwritten, except the padding
		}
		forward32(want, w, set, nt.val, 0, np, l)
		nt.ar.forwardAll(got, w, set, nt.val, l)
		if l.fwd32 == nil || l.fwd32.wide != (sz.l2 > 0) {
			t.Fatalf("%+v: plan %v; the test needs a set dense enough for one of its kind", sz, l.fwd32 != nil)
		}
		for p := range np {
			for col := range l.zs {
				a, b := got[p*l.zs+col], want[p*l.zs+col]
				if col >= l.wd {
					if a == a {
						t.Fatalf("%+v: padding Z[%d][%d] written", sz, p, col)
					}
					continue
				}
				// Each sum has at most a few hundred terms of magnitude ≤ 0.5.
				if !(math.Abs(float64(a)-float64(b)) <= 1e-5) { // NaN: not written
					t.Fatalf("%+v: Z[%d][%d] = %v, per-patch kernel %v", sz, p, col, a, b)
				}
			}
		}
	}
}

// TestScatter32: the float32 mini-batch data term of the AVX-512 path
// (kernel.AxpyRowsF32) is the example-by-example sum of scaled rows, each
// product rounded and then each sum, bit for bit, for widths of one
// 48-column chunk and more, a batch with a repeated example.
func TestScatter32(t *testing.T) {
	defer UseKernel(Kernel())
	if !UseKernel("avx512") {
		t.Skip("no AVX-512 kernels in this build or on this CPU")
	}
	for _, m := range []int{20, 24, 25, 50} {
		pm := data.PatchModel{D: 300, S: 30, SigmaP: 0.1, Alpha: 0.2}
		set, err := pm.Train(12, rand.New(rand.NewPCG(9, 3)))
		if err != nil {
			t.Fatal(err)
		}
		wd := 2 * m
		zs := (wd + 15) / 16 * 16
		batch := []int32{11, 0, 11, 5}
		rng := rand.New(rand.NewPCG(9, 4))
		dz := make([]float32, 2*len(batch)*zs)
		for i := range dz {
			dz[i] = float32(rng.NormFloat64())
		}
		val := round[float32](set.Val)
		got := make([]float32, set.D*wd)
		for i := range got {
			got[i] = float32(math.NaN()) // cleared first
		}
		scatterOf(got, dz, set, val, batch, wd, zs)
		want := make([]float32, set.D*wd)
		for bi, i := range batch {
			for k := range 2 {
				p := 2*int(i) + k
				for e := set.PatchPtr[p]; e < set.PatchPtr[p+1]; e++ {
					j := int(set.Idx[e])
					for c := range wd {
						want[j*wd+c] += float32(val[e] * dz[(2*bi+k)*zs+c])
					}
				}
			}
		}
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("m=%d: g[%d] = %v, want %v", m, i, got[i], want[i])
			}
		}
	}
}
