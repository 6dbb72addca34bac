package kernel_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/adamgap/adamgap/internal/kernel"
)

// fusedCase is a mini-batch step for AdamGatherRows: d rows of stride
// float64s whose block of width columns starts at column off, nz rows of dz,
// the listed rows and each one's entries.
type fusedCase struct {
	d, stride, off, width, nz int
	rows                      []int32
	ptr, ent                  []int32
	val                       []float64
}

func (fc fusedCase) String() string {
	return fmt.Sprintf("d=%d,stride=%d,off=%d,width=%d,listed=%d,entries=%d", fc.d, fc.stride, fc.off, fc.width, len(fc.rows), len(fc.ent))
}

// newFusedCase lists each row with probability pList, with 0 to maxEnt
// entries each (repeated patches allowed).
func newFusedCase(rng *rand.Rand, d, stride, off, width, nz int, pList float64, maxEnt int) fusedCase {
	fc := fusedCase{d: d, stride: stride, off: off, width: width, nz: nz, ptr: []int32{0}}
	for k := range d {
		if rng.Float64() >= pList {
			continue
		}
		fc.rows = append(fc.rows, int32(k))
		for range rng.IntN(maxEnt + 1) {
			fc.ent = append(fc.ent, int32(rng.IntN(nz)))
			fc.val = append(fc.val, rng.NormFloat64())
		}
		fc.ptr = append(fc.ptr, int32(len(fc.ent)))
	}
	return fc
}

// fusedModel is AdamGatherRows written in Go, weight by weight: the
// gradient as GatherRows40 sums it (λ·w, then each rounded product added
// in order), then AdamDecayRows' update. It reports whether every gradient
// entry was finite.
func fusedModel(fc fusedCase, w, m, v, dz []float64, c [9]float64) bool {
	b1, ob1, b2, ob2, step, rbc2, eps, lambda, shrink := c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]
	finite := true
	next := 0
	for k := range fc.d {
		var a, b int32
		if next < len(fc.rows) && int(fc.rows[next]) == k {
			a, b = fc.ptr[next], fc.ptr[next+1]
			next++
		}
		for col := fc.off; col < fc.off+fc.width; col++ {
			i := k*fc.stride + col
			g := float64(lambda * w[i])
			for e := a; e < b; e++ {
				g += float64(fc.val[e] * dz[int(fc.ent[e])*fc.stride+col])
			}
			if math.IsNaN(g) || math.IsInf(g, 0) {
				finite = false
			}
			m[i] = float64(b1*m[i]) + float64(ob1*g)
			v[i] = float64(b2*v[i]) + float64(float64(ob2*g)*g)
			w[i] = float64(w[i]*shrink) - float64(step*m[i])/(float64(math.Sqrt(v[i])*rbc2)+eps)
		}
	}
	return finite
}

// runFused runs AdamGatherRows on fresh copies of w, m, v (guarded, NaN
// outside the block) and returns them with its result and expmax.
func runFused(t *testing.T, fc fusedCase, w0, m0, v0 *rows, dz *rows, c [9]float64) (w, m, v *rows, ok bool, expmax [8]uint64) {
	t.Helper()
	w, m, v = w0.clone(), m0.clone(), v0.clone()
	entWhole := make([]int32, len(fc.ent)+2*guardLen) // guards: an out-of-range patch
	for i := range entWhole {
		entWhole[i] = int32(fc.nz)
	}
	ent := entWhole[guardLen : guardLen+len(fc.ent)]
	copy(ent, fc.ent)
	val := newGuarded(len(fc.val), math.NaN())
	copy(val.In, fc.val)
	ok = kernel.AdamGatherRows(w.base(), m.base(), v.base(), dz.base(), fc.d, fc.stride*8,
		unsafe.SliceData(fc.rows), len(fc.rows), &fc.ptr[0], unsafe.SliceData(ent), unsafe.SliceData(val.In),
		fc.nz, &c, &expmax, kernel.BlockMasks(fc.width))
	for _, g := range []*guarded{w.buf, m.buf, v.buf} {
		g.check(t, fc.String())
	}
	return w, m, v, ok, expmax
}

func (r *rows) clone() *rows {
	c := *r
	c.buf = newGuarded(len(r.buf.In), r.buf.fill)
	copy(c.buf.In, r.buf.In)
	return &c
}

// TestAdamGatherRows: the fused mini-batch step agrees bit for bit with its
// Go model (and so with GatherRows40 then AdamDecayRows, checked below),
// writes nothing outside the block, the guards or the masks, reads nothing
// past an entry list (NaN there would show), reports non-finite gradients
// in expmax and stops at a patch out of range.
func TestAdamGatherRows(t *testing.T) {
	needAVX512(t)
	rng := rand.New(rand.NewPCG(seed, 19))
	c := [9]float64{0.9, 0.1, 0.999, 1 - 0.999, 1e-3 / (1 - 0.9*0.9), 1 / math.Sqrt(1-0.999*0.999), 1e-8, 1e-2, 1}
	var cases []fusedCase
	for _, lay := range []struct{ stride, off, width int }{{40, 0, 40}, {43, 0, 40}, {45, 3, 37}, {21, 0, 21}, {13, 2, 8}, {9, 0, 1}, {100, 40, 40}, {100, 80, 20}} {
		for _, p := range []float64{0, 0.3, 0.95, 1} {
			cases = append(cases, newFusedCase(rng, 1+rng.IntN(60), lay.stride, lay.off, lay.width, 1+rng.IntN(30), p, 12))
		}
	}
	for _, fc := range cases {
		newAt := func(rows int) *rows { return newRows(rng, rows, fc.stride, fc.off, fc.width) }
		w0, m0, v0, dz := newAt(fc.d), newAt(fc.d), newAt(fc.d), newAt(fc.nz)
		for i, x := range v0.buf.In {
			v0.buf.In[i] = x * x // v ≥ 0, as Adam keeps it (NaN stays NaN)
		}
		for _, shrink := range []float64{1, 1 - 1e-4} {
			c := c
			c[8] = shrink
			w, m, v, ok, expmax := runFused(t, fc, w0, m0, v0, dz, c)
			if !ok {
				t.Fatalf("%v: reports a patch out of range", fc)
			}
			wm, mm, vm := w0.clone(), m0.clone(), v0.clone()
			finite := fusedModel(fc, wm.buf.In, mm.buf.In, vm.buf.In, dz.buf.In, c)
			for i := range w.buf.In {
				if !same(w.buf.In[i], wm.buf.In[i]) || !same(m.buf.In[i], mm.buf.In[i]) || !same(v.buf.In[i], vm.buf.In[i]) {
					t.Fatalf("%v shrink=%v: element %d: w, m, v = %v, %v, %v, the model's %v, %v, %v", fc, shrink, i,
						w.buf.In[i], m.buf.In[i], v.buf.In[i], wm.buf.In[i], mm.buf.In[i], vm.buf.In[i])
				}
			}
			if got := expmax != [8]uint64{} && hasMask(expmax); got != !finite {
				t.Errorf("%v: expmax says non-finite %v, the model %v", fc, got, !finite)
			}
		}
	}
}

func hasMask(expmax [8]uint64) bool {
	for _, e := range expmax {
		if e == 0x7ff0000000000000 {
			return true
		}
	}
	return false
}

// TestAdamGatherRowsIsTwoKernels: on rows of width ≤ 40 (stride = width, as
// package model lays out W), AdamGatherRows leaves w, m, v bit for bit as
// GatherRows40 into a gradient buffer then AdamDecayRows do — the unfused
// mini-batch step.
func TestAdamGatherRowsIsTwoKernels(t *testing.T) {
	needAVX512(t)
	rng := rand.New(rand.NewPCG(seed, 20))
	c := [9]float64{0.9, 0.1, 0.999, 1 - 0.999, 2e-4, 1.3, 1e-8, 1e-5, 1}
	for _, width := range []int{40, 33, 8, 3} {
		for _, p := range []float64{0, 0.5, 1} {
			fc := newFusedCase(rng, 200, width, 0, width, 50, p, 20)
			newAt := func(rows int) *rows { return newRows(rng, rows, width, 0, width) }
			w0, m0, v0, dz := newAt(fc.d), newAt(fc.d), newAt(fc.d), newAt(fc.nz)
			for i, x := range v0.buf.In {
				v0.buf.In[i] = x * x
			}
			w, m, v, ok, exp1 := runFused(t, fc, w0, m0, v0, dz, c)
			if !ok {
				t.Fatal("patch out of range")
			}
			w2, m2, v2 := w0.clone(), m0.clone(), v0.clone()
			g := make([]float64, fc.d*width)
			if len(fc.rows) > 0 {
				kernel.GatherRows40(&g[0], w2.base(), dz.base(), &fc.rows[0], len(fc.rows), &fc.ptr[0], unsafe.SliceData(fc.ent), unsafe.SliceData(fc.val), width*8, c[7], kernel.BlockMasks(width))
			}
			var exp2 [8]uint64
			kernel.AdamDecayRows(w2.base(), &g[0], m2.base(), v2.base(), fc.d, width, unsafe.SliceData(fc.rows), len(fc.rows), &c, &exp2)
			for i := range w.buf.In {
				if !same(w.buf.In[i], w2.buf.In[i]) || !same(m.buf.In[i], m2.buf.In[i]) || !same(v.buf.In[i], v2.buf.In[i]) {
					t.Fatalf("width %d p=%v: element %d differs from GatherRows40 + AdamDecayRows", width, p, i)
				}
			}
			if exp1 != exp2 {
				t.Errorf("width %d p=%v: expmax %x, the two kernels' %x", width, p, exp1, exp2)
			}
		}
	}
}

// TestAdamGatherRowsNonFinite: an infinite dz entry or weight, or a NaN one,
// shows in expmax; a patch index out of [0, nz) (too large or negative)
// stops the kernel with false.
func TestAdamGatherRowsNonFinite(t *testing.T) {
	needAVX512(t)
	rng := rand.New(rand.NewPCG(seed, 21))
	c := [9]float64{0.9, 0.1, 0.999, 1 - 0.999, 2e-4, 1.3, 1e-8, 1e-5, 1}
	fc := fusedCase{d: 4, stride: 40, width: 40, nz: 3, rows: []int32{1, 3}, ptr: []int32{0, 2, 3}, ent: []int32{0, 2, 1}, val: []float64{1, 2, 3}}
	newAt := func(rows int) *rows { return newRows(rng, rows, 40, 0, 40) }
	for _, poison := range []struct {
		name string
		set  func(w, dz *rows)
	}{
		{"dz +Inf (listed row)", func(w, dz *rows) { dz.buf.In[2*40+17] = math.Inf(1) }},
		{"dz NaN (listed row)", func(w, dz *rows) { dz.buf.In[1*40+39] = math.NaN() }},
		{"w +Inf (λ·w row)", func(w, dz *rows) { w.buf.In[2*40+5] = math.Inf(-1) }},
	} {
		w0, m0, v0, dz := newAt(4), newAt(4), newAt(4), newAt(3)
		for i := range v0.buf.In {
			v0.buf.In[i] = 1
		}
		poison.set(w0, dz)
		if _, _, _, ok, expmax := runFused(t, fc, w0, m0, v0, dz, c); !ok || !hasMask(expmax) {
			t.Errorf("%s: ok=%v, expmax %x has no non-finite lane", poison.name, ok, expmax)
		}
	}
	for _, bad := range []int32{3, -1, math.MaxInt32} {
		bfc := fc
		bfc.ent = []int32{0, bad, 1}
		w0, m0, v0, dz := newAt(4), newAt(4), newAt(4), newAt(3)
		if _, _, _, ok, _ := runFused(t, bfc, w0, m0, v0, dz, c); ok {
			t.Errorf("patch %d of 3: the kernel did not stop", bad)
		}
	}
}
