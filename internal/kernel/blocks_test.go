package kernel_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/adamgap/adamgap/internal/kernel"
)

// The checks of the kernels with the AVX2 contract (AVX2 on amd64, NEON on
// arm64), run on every such path by TestBlockKernels (and by the mprotect
// test, blocks_fault_test.go): guard regions, NaN wherever a kernel must
// not read, strides that are not multiples of 4, odd entry counts and
// lengths, the exact Go model (bit for bit: the AVX-512 kernels' model, so
// the paths give the same bits) and the portable loops (to rounding). A
// path not in this build or on this CPU is skipped (AVX2 also with
// GODEBUG=cpu.avx2=off); on this project's machines the NEON kernels run
// under emulation (.ci/run):
//
//	GOARCH=arm64 go test -exec qemu-aarch64 ./internal/kernel/...

// blockKernels are a path's kernels with the AVX2 contract: row sums and
// gradient rows of 20- and 4-column blocks, the Adam updates (full and
// mini-batch) and the activation on multiples of step elements.
type blockKernels struct {
	sum20, sum4 func(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)
	grad20      func(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, accA *float64, accB *float64)
	grad4       func(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *float64)
	adam        func(w, grad, m, v *float64, n int, c *[7]float64)
	decay       func(w, grad, m, v *float64, n int, c *[10]float64, bad *[4]uint64)
	act         func(z, s, ds *float64, n int, q int)
	step        int // adam, decay and act take multiples of step elements (their lanes)
	// rootTol is how far adam's update may be from the exact formula's,
	// relative to it (0: bit for bit): the AVX-512 kernel's √ is not
	// VSQRTPD's (kernel.AdamRows).
	rootTol float64
}

// blockPaths are the paths with the AVX2 contract and their kernels.
var blockPaths = []struct {
	name      string
	available bool
	k         blockKernels
}{
	{"AVX2", kernel.AvailableAVX2, blockKernels{
		sum20: kernel.SumRows20AVX2, sum4: kernel.SumRows4AVX2,
		grad20: kernel.GradRows20AVX2, grad4: kernel.GradRows4AVX2,
		adam: kernel.AdamRowsAVX2, decay: kernel.AdamDecayAVX2, act: kernel.ActAVX2, step: 4,
	}},
	{"NEON", kernel.AvailableNEON, blockKernels{
		sum20: kernel.SumRows20NEON, sum4: kernel.SumRows4NEON,
		grad20: kernel.GradRows20NEON, grad4: kernel.GradRows4NEON,
		adam: kernel.AdamRowsNEON, decay: kernel.AdamDecayNEON, act: kernel.ActNEON, step: 2,
	}},
}

// forBlockPaths runs check as a subtest per path of blockPaths, skipping
// the paths this build or CPU does not have.
func forBlockPaths(t *testing.T, check func(*testing.T, blockKernels)) {
	for _, p := range blockPaths {
		t.Run(p.name, func(t *testing.T) {
			if !p.available {
				t.Skipf("no %s kernels in this build or on this CPU", p.name)
			}
			check(t, p.k)
		})
	}
}

// TestBlockKernels: every check below on every path of blockPaths.
func TestBlockKernels(t *testing.T) {
	for _, c := range []struct {
		name  string
		check func(*testing.T, blockKernels)
	}{
		{"SumRows", checkSumRows},
		{"GradRows", checkGradRows},
		{"AdamRows", checkAdamRows},
		{"Act", checkAct},
		{"AdamDecay", checkAdamDecay},
	} {
		t.Run(c.name, func(t *testing.T) { forBlockPaths(t, c.check) })
	}
}

// checkSumRows: the 20- and 4-column row sums against the model and the
// portable loop, for strides that are and are not multiples of 4 and
// blocks that start inside a row.
func checkSumRows(t *testing.T, k blockKernels) {
	rng := rand.New(rand.NewPCG(seed, 21))
	const d = 23
	for _, width := range []int{20, 4} {
		for _, layout := range []struct{ stride, off int }{{20, 0}, {21, 0}, {27, 5}, {40, 20}, {123, 77}, {5, 1}, {4, 0}} {
			if layout.off+width > layout.stride {
				continue
			}
			for _, n := range sizes {
				name := fmt.Sprintf("%d/stride=%d,off=%d,n=%d", width, layout.stride, layout.off, n)
				w := newRows(rng, d, layout.stride, layout.off, width)
				idx, val, _ := entries(rng, n, d)
				dst := newGuarded(width, sentinel)
				for i := range dst.In {
					dst.In[i] = math.NaN() // overwritten, never read
				}
				f := k.sum20
				if width == 4 {
					f = k.sum4
				}
				f(&dst.In[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, layout.stride*8)
				dst.check(t, name+" dst")
				for c := range width {
					x := func(k int) float64 { return w.at(k, c) }
					if want := sumModel(0, idx, val.In, x); !same(dst.In[c], want) {
						t.Errorf("%s: dst[%d] = %v, model %v", name, c, dst.In[c], want)
					}
					if p, scale := sumPortable(0, idx, val.In, x); !near(dst.In[c], p, scale) {
						t.Errorf("%s: dst[%d] = %v, portable %v", name, c, dst.In[c], p)
					}
				}
			}
		}
	}
}

// checkGradRows: g = λw + Σ vals·dz-rows as the model computes it, and the
// accumulator lanes advanced as GradRows40's are, for a block starting at
// a column ≡ 0 and ≡ 4 mod 8 (accA, accB swapped); guards intact.
func checkGradRows(t *testing.T, k blockKernels) {
	rng := rand.New(rand.NewPCG(seed, 22))
	const rowsDZ = 29
	for _, width := range []int{20, 4} {
		for _, stride := range []int{20, 21, 26, 83, 4, 7} {
			if stride < width {
				continue
			}
			for _, n := range sizes {
				for parity := range 2 {
					name := fmt.Sprintf("%d/stride=%d,n=%d,parity=%d", width, stride, n, parity)
					lambda := 1e-3
					if n == 5 {
						lambda = 0
					}
					dz := newRows(rng, rowsDZ, stride, 0, width)
					w := newGuarded(width, math.NaN())
					for l := range w.In {
						w.In[l] = rng.NormFloat64()
					}
					idx, val, _ := entries(rng, n, rowsDZ)
					g := newGuarded(width, sentinel)
					for l := range g.In {
						g.In[l] = math.NaN()
					}
					acc := newGuarded(24, sentinel)
					for i := range acc.In {
						acc.In[i] = 1 + rng.Float64()
					}
					want := append([]float64(nil), acc.In...)
					a, b := 4*parity, 4*(1-parity)
					if width == 20 {
						k.grad20(&g.In[0], &w.In[0], dz.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, stride*8, lambda, &acc.In[a], &acc.In[b])
					} else {
						k.grad4(&g.In[0], &w.In[0], dz.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, stride*8, lambda, &acc.In[a])
					}
					g.check(t, name+" g")
					acc.check(t, name+" acc")
					for col := range width {
						x := func(k int) float64 { return dz.at(k, col) }
						gm := sumModel(lambda*w.In[col], idx, val.In, x)
						if !same(g.In[col], gm) {
							t.Errorf("%s: g[%d] = %v, model %v", name, col, g.In[col], gm)
						}
						if p, scale := sumPortable(lambda*w.In[col], idx, val.In, x); !near(g.In[col], p, scale) {
							t.Errorf("%s: g[%d] = %v, portable %v", name, col, g.In[col], p)
						}
						l := a + col%4
						if (col/4)%2 == 1 {
							l = b + col%4
						}
						want[l] = math.FMA(w.In[col], w.In[col], want[l])
						want[8+l] += math.Abs(gm)
						want[16+l] = math.FMA(gm, gm, want[16+l])
					}
					for i := range want {
						if !same(acc.In[i], want[i]) {
							t.Errorf("%s: acc[%d] = %v, model %v", name, i, acc.In[i], want[i])
						}
					}
				}
			}
		}
	}
}

// adamBuffers returns four guarded buffers of n normal values, for w, g,
// m and v (v made non-negative), drawn from rng in that order.
func adamBuffers(rng *rand.Rand, n int) []*guarded {
	bufs := make([]*guarded, 4)
	for i := range bufs {
		bufs[i] = newGuarded(n, sentinel)
		for j := range bufs[i].In {
			bufs[i].In[j] = rng.NormFloat64()
		}
	}
	for j, x := range bufs[3].In {
		bufs[3].In[j] = math.Abs(x)
	}
	return bufs
}

// checkAdamBuffers checks the guards of the buffers of adamBuffers and,
// bit for bit, that w, m and v hold the values wanted and g those it held;
// with tol > 0, w[j] may be off wantW[j] by tol times the update w0[j] −
// wantW[j], plus an ulp of w.
func checkAdamBuffers(t *testing.T, name string, bufs []*guarded, w0, wantW, wantM, wantV, g0 []float64, tol float64) {
	t.Helper()
	for i, b := range bufs {
		b.check(t, fmt.Sprintf("%s buffer %d", name, i))
	}
	w, g, m, v := bufs[0].In, bufs[1].In, bufs[2].In, bufs[3].In
	for j := range w {
		if !same(w[j], wantW[j]) && !(tol > 0 && math.Abs(w[j]-wantW[j]) <= tol*math.Abs(w0[j]-wantW[j])+ulp(wantW[j])) || !same(m[j], wantM[j]) || !same(v[j], wantV[j]) || !same(g[j], g0[j]) {
			t.Errorf("%s: [%d] w, m, v, g = %v %v %v %v; want %v %v %v %v", name, j, w[j], m[j], v[j], g[j], wantW[j], wantM[j], wantV[j], g0[j])
			break
		}
	}
}

// checkAdamRows: bit-identical to optim's portable loop written without
// fused multiply-adds (float64 conversions round each product) for n a
// multiple of the kernel's step (w within k.rootTol of it); nothing at or
// past n touched.
func checkAdamRows(t *testing.T, k blockKernels) {
	rng := rand.New(rand.NewPCG(seed, 23))
	for _, base := range []int{0, 1, 2, 3, 5, 10, 11, 50, 250} {
		n := base * k.step
		for _, c := range [][7]float64{
			{0.9, 1 - 0.9, 0.999, 1 - 0.999, 5e-5, 1 / math.Sqrt(1-math.Pow(0.999, 3)), 1e-8},
			{0.5, 0.5, 0.99, 1 - 0.99, 0.1, 1, 0},
		} {
			name := fmt.Sprintf("n=%d,c=%v", n, c)
			const extra = 3
			bufs := adamBuffers(rng, n+extra)
			w, g, m, v := bufs[0].In, bufs[1].In, bufs[2].In, bufs[3].In
			if n > 0 {
				g[0], v[0] = 0, 0 // m/(0·rbc2 + ε), and ÷0 when ε = 0
			}
			wantW, wantM, wantV := append([]float64(nil), w...), append([]float64(nil), m...), append([]float64(nil), v...)
			g0, w0 := append([]float64(nil), g...), append([]float64(nil), w...)
			for j := range n {
				wantM[j] = float64(c[0]*wantM[j]) + float64(c[1]*g[j])
				wantV[j] = float64(c[2]*wantV[j]) + float64(float64(c[3]*g[j])*g[j])
				wantW[j] -= float64(c[4]*wantM[j]) / (float64(math.Sqrt(wantV[j])*c[5]) + c[6])
			}
			k.adam(unsafe.SliceData(w), unsafe.SliceData(g), unsafe.SliceData(m), unsafe.SliceData(v), n, &c)
			checkAdamBuffers(t, name, bufs, w0, wantW, wantM, wantV, g0, k.rootTol)
		}
	}
}

// checkAct: σ and σ' bit-identical to model's portable activation (NaN
// stays NaN, −0 and negatives give +0), q = 1 … 5, nothing at or past n
// written.
func checkAct(t *testing.T, k blockKernels) {
	rng := rand.New(rand.NewPCG(seed, 24))
	special := []float64{0, math.Copysign(0, -1), -1, 1, math.NaN(), math.Inf(1), math.Inf(-1), 1e-300, -1e-300, 1e300, 5e-324, 0.5}
	for _, base := range []int{0, 1, 2, 3, 6, 33, 66} {
		n := base * k.step
		for q := 1; q <= 5; q++ {
			name := fmt.Sprintf("n=%d,q=%d", n, q)
			const extra = 3
			z := newGuarded(n+extra, math.NaN())
			for i := range z.In {
				if i < len(special) {
					z.In[i] = special[i]
				} else {
					z.In[i] = 3 * rng.NormFloat64()
				}
			}
			s, ds := newGuarded(n+extra, sentinel), newGuarded(n+extra, sentinel)
			for i := range n + extra {
				s.In[i], ds.In[i] = -1, -2
			}
			k.act(unsafe.SliceData(z.In), unsafe.SliceData(s.In), unsafe.SliceData(ds.In), n, q)
			s.check(t, name+" s")
			ds.check(t, name+" ds")
			for i := range n + extra {
				ws, wds := -1.0, -2.0
				if i < n {
					ws, wds = actPortable(z.In[i], q)
				}
				if !same(s.In[i], ws) || !same(ds.In[i], wds) {
					t.Errorf("%s: z[%d]=%v: σ, σ' = %v, %v; want %v, %v", name, i, z.In[i], s.In[i], ds.In[i], ws, wds)
				}
			}
		}
	}
}

// checkAdamDecay: the mini-batch update from grad, and from λ·w (grad
// nil), with shrink ≠ 1 (AdamW) and = 1, is bit-identical to optim's
// portable adamRowsPortable written without fused multiply-adds; bad marks
// exactly the lane (index mod step) that saw ±Inf or NaN; nothing at or
// past n is touched.
func checkAdamDecay(t *testing.T, k blockKernels) {
	rng := rand.New(rand.NewPCG(seed, 25))
	for _, base := range []int{0, 1, 2, 3, 10, 11, 100} {
		n := base * k.step
		for _, fromG := range []bool{true, false} {
			for _, shrink := range []float64{1, 1 - 1e-3*0.01} {
				for _, poison := range []float64{0, math.Inf(1), math.Inf(-1), math.NaN()} {
					if poison != 0 && n == 0 {
						continue
					}
					name := fmt.Sprintf("n=%d,fromG=%v,shrink=%v,poison=%v", n, fromG, shrink, poison)
					c := [10]float64{0.9, 0.1, 0.999, 0.001, 5e-5, 1.3, 1e-8, 1e-3, shrink, math.Float64frombits(0x7ff0000000000000)}
					const extra = 3
					bufs := adamBuffers(rng, n+extra)
					w, g, m, v := bufs[0].In, bufs[1].In, bufs[2].In, bufs[3].In
					at := -1
					if poison != 0 {
						at = rng.IntN(n)
						if fromG {
							g[at] = poison
						} else {
							w[at] = poison
						}
					}
					wantW, wantM, wantV := append([]float64(nil), w...), append([]float64(nil), m...), append([]float64(nil), v...)
					for j := range n {
						gj := g[j]
						if !fromG {
							gj = c[7] * wantW[j]
						}
						if shrink != 1 {
							wantW[j] *= shrink
						}
						wantM[j] = float64(c[0]*wantM[j]) + float64(c[1]*gj)
						wantV[j] = float64(c[2]*wantV[j]) + float64(float64(c[3]*gj)*gj)
						wantW[j] -= float64(c[4]*wantM[j]) / (float64(math.Sqrt(wantV[j])*c[5]) + c[6])
					}
					g0 := append([]float64(nil), g...)
					var bad [4]uint64
					gp := unsafe.SliceData(g)
					if !fromG {
						gp = nil
					}
					k.decay(unsafe.SliceData(w), gp, unsafe.SliceData(m), unsafe.SliceData(v), n, &c, &bad)
					checkAdamBuffers(t, name, bufs, nil, wantW, wantM, wantV, g0, 0)
					for l, b := range bad {
						if want := at >= 0 && at%k.step == l; (b != 0) != want || (b != 0 && b != ^uint64(0)) {
							t.Errorf("%s: bad[%d] = %#x, want set: %v", name, l, b, want)
						}
					}
				}
			}
		}
	}
}
