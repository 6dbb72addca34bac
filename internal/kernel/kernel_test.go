package kernel_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/adamgap/adamgap/internal/kernel"
)

// The kernels are tested directly, the way gonum's internal/asm tests are:
// every destination sits between guard regions that must come back
// untouched, every input that must not be read (past n, outside a row's
// block, outside a mask) is NaN so that a stray read shows in the result,
// lengths and strides are not multiples of 8, and the oracle is the same
// arithmetic written in Go: an exact model of the kernel's operation order
// (two FMA chains, lanes) that must agree bit for bit, and the portable
// loops of packages model and optim, which must agree to rounding.
//
// The kernels need AVX-512; on other CPUs and with -tags purego these tests
// are skipped (the portable paths are then the only ones, tested in model
// and optim).

const (
	guardLen = 24             // guard elements on each side of a buffer
	sentinel = -7.25e300      // value of a destination's guards
	relTol   = 1e-13          // agreement with the portable loops
	seed     = 0x6b65726e656c // "kernel"
)

func needAVX512(t *testing.T) {
	t.Helper()
	if !kernel.Available {
		t.Skip("no AVX-512 kernels in this build or on this CPU")
	}
}

// guarded is a buffer of n elements with guardLen elements of fill on each
// side; In is the buffer itself.
type guarded struct {
	whole []float64
	fill  float64
	In    []float64
}

func newGuarded(n int, fill float64) *guarded {
	g := &guarded{whole: make([]float64, n+2*guardLen), fill: fill}
	for i := range g.whole {
		g.whole[i] = fill
	}
	g.In = g.whole[guardLen : guardLen+n]
	return g
}

// check reports a guard element that is no longer the fill value (bit for
// bit; a NaN guard must stay NaN).
func (g *guarded) check(t *testing.T, name string) {
	t.Helper()
	for i, v := range g.whole {
		if i >= guardLen && i < len(g.whole)-guardLen {
			continue
		}
		if !same(v, g.fill) {
			side, at := "front", i-guardLen
			if i >= guardLen {
				side, at = "back", i-guardLen-len(g.In)
			}
			t.Errorf("%s: %s guard overwritten at offset %d: %v", name, side, at, v)
			return
		}
	}
}

// same reports whether a and b are the same float64, bit for bit, or both
// NaN.
func same(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

// near reports whether a and b agree to relTol relative to scale.
func near(a, b, scale float64) bool {
	return same(a, b) || math.Abs(a-b) <= relTol*scale
}

// rows is a d × stride matrix in a guarded buffer: columns [off, off+width)
// of each row hold random values, everything else (other columns, guards)
// is NaN, so any read outside the block poisons the result.
type rows struct {
	buf                *guarded
	d, stride, off, wd int
}

func newRows(rng *rand.Rand, d, stride, off, width int) *rows {
	r := &rows{buf: newGuarded(d*stride, math.NaN()), d: d, stride: stride, off: off, wd: width}
	for k := range d {
		for c := off; c < off+width; c++ {
			r.buf.In[k*stride+c] = rng.NormFloat64()
		}
	}
	return r
}

// at returns element c (0 ≤ c < width) of row k.
func (r *rows) at(k, c int) float64 { return r.buf.In[k*r.stride+r.off+c] }

// base is the pointer the kernels get: column off of row 0.
func (r *rows) base() *float64 { return &r.buf.In[r.off] }

// entries returns n random row indices in [0, d) and values, each in a
// guarded buffer whose guards are index 0 and NaN: a read past n adds NaN.
func entries(rng *rand.Rand, n, d int) (idx []int32, val *guarded, idxWhole []int32) {
	idxWhole = make([]int32, n+2*guardLen)
	idx = idxWhole[guardLen : guardLen+n]
	for e := range idx {
		idx[e] = int32(rng.IntN(d))
	}
	val = newGuarded(n, math.NaN())
	for e := range val.In {
		val.In[e] = rng.NormFloat64()
	}
	return idx, val, idxWhole
}

// sumModel is the kernels' row sum, operation for operation: even entries
// accumulate by FMA into a (which starts at a0), odd ones into b (from 0),
// and the result is a + b.
func sumModel(a0 float64, idx []int32, val []float64, x func(k int) float64) float64 {
	a, b := a0, 0.0
	for e, k := range idx {
		if e%2 == 0 {
			a = math.FMA(val[e], x(int(k)), a)
		} else {
			b = math.FMA(val[e], x(int(k)), b)
		}
	}
	return a + b
}

// sumPortable is the portable loop of package model (forward and backward):
// one accumulator, a multiply and an add per entry. It returns the sum and
// the sum of the magnitudes, the scale of its rounding error.
func sumPortable(a0 float64, idx []int32, val []float64, x func(k int) float64) (sum, scale float64) {
	sum, scale = a0, math.Abs(a0)
	for e, k := range idx {
		p := val[e] * x(int(k))
		sum += p
		scale += math.Abs(p)
	}
	return sum, scale
}

// sizes are the entry counts: none, odd and even around the two-chain loop,
// one noise patch of the paper (s + 1 = 101) and more.
var sizes = []int{0, 1, 2, 3, 4, 7, 8, 9, 31, 101, 256}

// TestSumRows40 against the model and the portable loop, for row strides
// that are and are not multiples of 8 and blocks that start inside a row.
func TestSumRows40(t *testing.T) {
	needAVX512(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	const d = 23
	for _, layout := range []struct{ stride, off int }{{40, 0}, {41, 0}, {47, 5}, {80, 40}, {123, 77}, {43, 3}} {
		for _, n := range sizes {
			name := fmt.Sprintf("stride=%d,off=%d,n=%d", layout.stride, layout.off, n)
			w := newRows(rng, d, layout.stride, layout.off, 40)
			idx, val, _ := entries(rng, n, d)
			dst := newGuarded(40, sentinel)
			for i := range dst.In {
				dst.In[i] = math.NaN() // overwritten, never read
			}
			kernel.SumRows40(&dst.In[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, layout.stride*8)
			dst.check(t, name+" dst")
			for c := range 40 {
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

// masks are the lane masks tested: every prefix (the tail of a row, as the
// model uses them) and a few others.
var masks = []uint8{0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, 0xff, 0xa5, 0x5a, 0x80, 0x42}

// TestSumRows8: the lanes of the mask are the model's sums; lanes outside
// it are not read (their weights are NaN) and keep their value.
func TestSumRows8(t *testing.T) {
	needAVX512(t)
	rng := rand.New(rand.NewPCG(seed, 2))
	const d = 17
	for _, mask := range masks {
		for _, n := range sizes {
			stride := 8 + int(mask)%7 // 8 … 14 columns a row
			name := fmt.Sprintf("mask=%08b,stride=%d,n=%d", mask, stride, n)
			w := newRows(rng, d, stride, 0, 8)
			for k := range d {
				for l := range 8 {
					if mask&(1<<l) == 0 {
						w.buf.In[k*w.stride+l] = math.NaN()
					}
				}
			}
			idx, val, _ := entries(rng, n, d)
			dst := newGuarded(8, sentinel)
			for l := range dst.In {
				dst.In[l] = float64(100 + l)
			}
			kernel.SumRows8(&dst.In[0], w.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), n, w.stride*8, mask)
			dst.check(t, name+" dst")
			for l := range 8 {
				if mask&(1<<l) == 0 {
					if dst.In[l] != float64(100+l) {
						t.Errorf("%s: lane %d outside the mask written: %v", name, l, dst.In[l])
					}
					continue
				}
				x := func(k int) float64 { return w.at(k, l) }
				if want := sumModel(0, idx, val.In, x); !same(dst.In[l], want) {
					t.Errorf("%s: dst[%d] = %v, model %v", name, l, dst.In[l], want)
				}
				if p, scale := sumPortable(0, idx, val.In, x); !near(dst.In[l], p, scale) {
					t.Errorf("%s: dst[%d] = %v, portable %v", name, l, dst.In[l], p)
				}
			}
		}
	}
}

// gradCase is one call of GradRows40 or GradRows8 with its inputs.
type gradCase struct {
	name   string
	width  int   // 40, or 8 for GradRows8
	mask   uint8 // GradRows8 only
	n      int
	stride int // of dz, in float64s
	lambda float64
}

// TestGradRows: g = λw + Σ vals·dz-rows lane by lane as the model computes
// it, the three accumulators (w², |g|, g²) advanced by the model's
// operations, every guard intact and nothing outside a mask read or
// written.
func TestGradRows(t *testing.T) {
	needAVX512(t)
	rng := rand.New(rand.NewPCG(seed, 3))
	var cases []gradCase
	for _, n := range sizes {
		for _, layout := range []struct{ stride int }{{40}, {41}, {46}, {83}} {
			cases = append(cases, gradCase{fmt.Sprintf("40/stride=%d,n=%d", layout.stride, n), 40, 0xff, n, layout.stride, 1e-3})
		}
		for _, mask := range masks {
			cases = append(cases, gradCase{fmt.Sprintf("8/mask=%08b,n=%d", mask, n), 8, mask, n, 8 + int(mask)%7, 0.25})
		}
	}
	cases = append(cases, gradCase{"40/lambda=0", 40, 0xff, 5, 40, 0}, gradCase{"8/lambda=0", 8, 0x07, 5, 9, 0})
	const rowsDZ = 29
	for _, c := range cases {
		in := func(l int) bool { return c.width == 40 || c.mask&(1<<(l%8)) != 0 }
		dz := newRows(rng, rowsDZ, c.stride, 0, c.width)
		w := newGuarded(c.width, math.NaN())
		for l := range w.In {
			w.In[l] = rng.NormFloat64()
			if !in(l) {
				w.In[l] = math.NaN()
			}
		}
		for k := range rowsDZ {
			for l := range c.width {
				if !in(l) {
					dz.buf.In[k*c.stride+l] = math.NaN()
				}
			}
		}
		idx, val, _ := entries(rng, c.n, rowsDZ)
		g := newGuarded(c.width, sentinel)
		for l := range g.In {
			g.In[l] = float64(200 + l)
		}
		acc := newGuarded(24, sentinel)
		for i := range acc.In {
			acc.In[i] = 1 + rng.Float64()
		}
		acc0 := append([]float64(nil), acc.In...)
		accArr := (*[24]float64)(acc.In)
		if c.width == 40 {
			kernel.GradRows40(&g.In[0], &w.In[0], dz.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), c.n, c.stride*8, c.lambda, accArr)
		} else {
			kernel.GradRows8(&g.In[0], &w.In[0], dz.base(), unsafe.SliceData(idx), unsafe.SliceData(val.In), c.n, c.stride*8, c.lambda, accArr, c.mask)
		}
		g.check(t, c.name+" g")
		acc.check(t, c.name+" acc")

		// The model of the accumulators: lane l of each takes the columns
		// l, l+8, … in order.
		want := append([]float64(nil), acc0...)
		for col := range c.width {
			l := col % 8
			if !in(col) {
				if g.In[col] != float64(200+col) {
					t.Errorf("%s: g[%d] outside the mask written: %v", c.name, col, g.In[col])
				}
				continue
			}
			x := func(k int) float64 { return dz.at(k, col) }
			gm := sumModel(c.lambda*w.In[col], idx, val.In, x)
			if !same(g.In[col], gm) {
				t.Errorf("%s: g[%d] = %v, model %v", c.name, col, g.In[col], gm)
			}
			if p, scale := sumPortable(c.lambda*w.In[col], idx, val.In, x); !near(g.In[col], p, scale) {
				t.Errorf("%s: g[%d] = %v, portable %v", c.name, col, g.In[col], p)
			}
			want[l] = math.FMA(w.In[col], w.In[col], want[l])
			want[8+l] += math.Abs(gm)
			want[16+l] = math.FMA(gm, gm, want[16+l])
		}
		for i := range want {
			if !same(acc.In[i], want[i]) {
				t.Errorf("%s: acc[%d] = %v, model %v", c.name, i, acc.In[i], want[i])
			}
		}
	}
}

// TestAdamRows: the update is bit-identical to optim's portable loop for
// n a multiple of 8, and nothing at or past n is touched.
func TestAdamRows(t *testing.T) { needAVX512(t); checkAdamRows(t, avx512Kernels) }

// TestAct: σ(z) = max(0,z)^q and σ'(z) bit-identical to model's portable
// activation (NaN stays NaN), for q = 1 … 5, special values included, and
// nothing at or past n written.
func TestAct(t *testing.T) { needAVX512(t); checkAct(t, avx512Kernels) }

// avx512Kernels are the AVX-512 kernels that share a contract with the
// AVX2 and NEON ones, on 8 lanes (the checks of blocks_test.go).
var avx512Kernels = blockKernels{adam: kernel.AdamRows, act: kernel.Act, step: 8}

// TestAdamRowsRootContract: AdamRowsRoot is AdamRows but for w, which is
// within 2⁻⁵⁰ of the update (plus an ulp of w) of the exact formula.
func TestAdamRowsRootContract(t *testing.T) {
	needAVX512(t)
	checkAdamRows(t, blockKernels{adam: kernel.AdamRowsRoot, step: 8, rootTol: 0x1p-50})
}

// actPortable is model.act: max(0,z)^q and q·max(0,z)^(q−1), NaN kept,
// with z^(q−1) by squaring.
func actPortable(z float64, q int) (s, ds float64) {
	if z <= 0 {
		return 0, 0
	}
	p, b := 1.0, z
	for e := q - 1; e > 0; {
		if e&1 != 0 {
			p *= b
		}
		if e >>= 1; e > 0 {
			b *= b
		}
	}
	return p * z, float64(q) * p
}

// TestGradCols40: GradCols40 over a whole column form gives, bit for bit,
// the rows and norms of one GradRows40 call per row (TestGradRows checks
// those against the Go model and the portable loop); nothing between the
// 40-column blocks of grad's rows or around the buffers is written, and
// nothing past the last entry or outside a block of w or dz is read
// (NaN there would show).
func TestGradCols40(t *testing.T) {
	needAVX512(t)
	rng := rand.New(rand.NewPCG(seed, 19))
	for _, d := range []int{0, 1, 2, 7, 33} {
		for _, stride := range []int{40, 43} {
			const rowsDZ = 23
			counts := make([]int, d)
			ptr := make([]int32, d+1)
			for k := range counts {
				counts[k] = rng.IntN(12)
				if k < len(sizes) {
					counts[k] = sizes[k] % 40
				}
				ptr[k+1] = ptr[k] + int32(counts[k])
			}
			n := int(ptr[d])
			idx, val, _ := entries(rng, n, rowsDZ)
			dz := newRows(rng, rowsDZ, stride, 0, 40)
			w := newRows(rng, max(d, 1), stride, 0, 40)
			lambda := 1e-3
			acc0 := make([]float64, 24)
			for i := range acc0 {
				acc0[i] = 1 + rng.Float64()
			}
			g := newGuarded(max(d, 1)*stride, sentinel)
			acc := newGuarded(24, sentinel)
			copy(acc.In, acc0)
			ptrWhole := make([]int32, len(ptr)+2*guardLen)
			copy(ptrWhole[guardLen:], ptr)
			kernel.GradCols40(&g.In[0], w.base(), dz.base(), &ptrWhole[guardLen], unsafe.SliceData(idx), unsafe.SliceData(val.In), d, stride*8, lambda, (*[24]float64)(acc.In))
			name := fmt.Sprintf("d=%d,stride=%d", d, stride)
			g.check(t, name+" g")
			acc.check(t, name+" acc")

			want := newGuarded(max(d, 1)*stride, sentinel)
			wantAcc := (*[24]float64)(append([]float64(nil), acc0...))
			for k := range d {
				a := ptr[k]
				kernel.GradRows40(&want.In[k*stride], &w.buf.In[k*stride], dz.base(), unsafe.SliceData(idx[a:]), unsafe.SliceData(val.In[a:]), counts[k], stride*8, lambda, wantAcc)
			}
			for i, v := range want.In {
				if !same(g.In[i], v) {
					t.Errorf("%s: g[%d] (row %d, column %d) = %v, GradRows40 %v", name, i, i/stride, i%stride, g.In[i], v)
				}
			}
			for i, v := range wantAcc {
				if !same(acc.In[i], v) {
					t.Errorf("%s: acc[%d] = %v, GradRows40 %v", name, i, acc.In[i], v)
				}
			}
		}
	}
}

// TestScaleHeads40: each value is its product with its class's derivative,
// bit for bit (one multiplication, as model's Go loop), for counts around
// none and one; nothing around the rows is touched and no derivative past
// 2·count is read (NaN there would show).
func TestScaleHeads40(t *testing.T) {
	needAVX512(t)
	rng := rand.New(rand.NewPCG(seed, 40))
	for _, count := range []int{0, 1, 2, 3, 17} {
		dz := newGuarded(max(count, 1)*80, sentinel)
		for i := range dz.In[:count*80] {
			dz.In[i] = rng.NormFloat64()
		}
		in := append([]float64(nil), dz.In...)
		df := newGuarded(max(count, 1)*2, math.NaN())
		for i := range df.In[:2*count] {
			df.In[i] = rng.NormFloat64()
		}
		kernel.ScaleHeads40(&dz.In[0], &df.In[0], count)
		name := fmt.Sprintf("count=%d", count)
		dz.check(t, name+" dz")
		for i, v := range dz.In {
			want := in[i]
			if b := i / 80; b < count {
				want *= df.In[2*b+(i%40)/20]
			}
			if !same(v, want) {
				t.Errorf("%s: dz[%d] = %v, want %v", name, i, v, want)
			}
		}
	}
}

// ulp is the distance from |x| to the next float64 away from zero.
func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

// TestAdamRowsRoot: AdamRowsRoot's √ (VRSQRT14PD refined, not VSQRTPD) over the
// whole range of v, subnormals included, with ε = 1e-8 and ε = 0: the
// update within 2⁻⁵⁰ of the exact formula's relative to it (see checkAdamRows
// for the same at the optimiser's usual scales), v = 0, subnormal, huge,
// MaxFloat64 and NaN exactly as the exact formula gives them, v = +Inf a
// finite denominator (w unchanged where the exact update is 0).
func TestAdamRowsRoot(t *testing.T) {
	needAVX512(t)
	const n = 1 << 16
	rng := rand.New(rand.NewPCG(seed, 41))
	w, g, m, v := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		g[i] = 0 // v as drawn: v ← b2·v
		w[i] = rng.NormFloat64()
		m[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-6))
		v[i] = math.Ldexp(1+rng.Float64(), rng.IntN(2100)-1075) // 2^-1075 … 2^1024: subnormal to +Inf
	}
	specials := []float64{0, math.SmallestNonzeroFloat64, 3e-320, 0x1p-1022, 1, 4, 0x1p1000, math.MaxFloat64, math.NaN(), math.Inf(1)}
	copy(v, specials)
	for _, eps := range []float64{1e-8, 0} {
		c := [7]float64{0.9, 0.1, 1, 0, 1e-3, 1.25, eps} // v unchanged by the step
		got, gm, gv := append([]float64(nil), w...), append([]float64(nil), m...), append([]float64(nil), v...)
		kernel.AdamRowsRoot(&got[0], &g[0], &gm[0], &gv[0], n, &c)
		exact, off := 0, 0.0
		for i := range n {
			mi := 0.9 * m[i]
			want := w[i] - float64(c[4]*mi)/(float64(math.Sqrt(v[i])*c[5])+eps)
			if same(got[i], want) {
				exact++
				continue
			}
			upd := w[i] - want
			if math.IsInf(v[i], 1) {
				if got[i] != w[i] {
					t.Errorf("ε=%g, v=+Inf: w = %v, want it unchanged (%v)", eps, got[i], w[i])
				}
				continue
			}
			if i < len(specials) || !(math.Abs(got[i]-want) <= 0x1p-50*math.Abs(upd)+ulp(want)) {
				t.Errorf("ε=%g, v=%v: w = %v, exact formula %v (update %v)", eps, v[i], got[i], want, upd)
			}
			if upd != 0 {
				off = max(off, (math.Abs(got[i]-want)-ulp(want))/math.Abs(upd))
			}
		}
		t.Logf("ε=%g: %d of %d weights bit for bit the exact formula's; the others within an ulp of w plus %.2g of the update", eps, exact, n, off)
	}
}
