package model

import (
	"math"
	"slices"
	"unsafe"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// Float is the element type of weights, gradients and activations of a Net:
// float32 (PyTorch's default precision) or float64.
type Float interface{ ~float32 | ~float64 }

// arith is what an evaluation needs of its element type: the hot loops.
// Everything else (buffers, batches, the cross-entropy head, error counts,
// Eval) is Net's one implementation. Each precision sums in an order of
// its own, which is why these are separate: float64 runs the kernel set in
// use (kernels.go, kernels_avx512.go: F summed in order, λw added first in
// the backward pass); float32 sums as PyTorch does on float32 tensors (F in
// float64 partial sums or the float32 lanes of the AVX-512 head kernels,
// the data term first and then fma(λ, w), PyTorch's weight_decay).
//
// Rows of activations are zs apart (layout.zs): 2m for float64; for float32
// 2m rounded up to a multiple of 16, so that the backward pass reads each
// 16-float group of a row of dz from one 64-byte cache line (25% faster
// than rows straddling lines). The padding is zero.
type arith[T Float] struct {
	// stride is the row stride zs of activations for rows of wd values.
	stride func(wd int) int
	// values returns v (the data's values) in T: v itself for float64.
	values func(v []float64) []T
	// forward writes z[(p−p0)·zs : …+wd] = Σ_{(k,v) ∈ patch p} v·w[k·wd : (k+1)·wd]
	// for the patches p ∈ [p0, p1), with the values v taken from val,
	// which holds set.Val[PatchPtr[p0]:PatchPtr[p1]] in T (or all of it
	// when its length is len(set.Val)).
	forward func(z, w []T, set *data.Set, val []T, p0, p1 int, l *layout)
	// forwardAll is forward over every patch of set (a full-batch
	// evaluation); float64 runs the dense kernels on the set's dense
	// patches (dense.go).
	forwardAll func(z, w []T, set *data.Set, val []T, l *layout)
	// activate writes s[i] = σ(z[i]) and ds[i] = σ'(z[i]) for every i <
	// len(z). It is the only place σ enters (see Net).
	activate func(c CNN, z, s, ds []T)
	// heads writes f[2b] = F_{−1} and f[2b+1] = F_{+1} of the count
	// examples whose activations are s (example b: rows 2b and 2b+1).
	heads func(f []float64, s []T, count int, l *layout)
	// scale multiplies the rows of example b's σ'(z) in dz, class by
	// class, by ∂L/∂F_{−1} = dF[2b] and ∂L/∂F_{+1} = dF[2b+1].
	scale func(dz []T, dF []float64, count int, l *layout)
	// backward writes the full-batch gradient g = Σ_{(p,v) ∈ column k} v·dz[p]
	// + λw row by row and returns ‖w‖², ‖g‖₁ and ‖g‖₂².
	backward func(g, w, dz []T, set *data.Set, colVal []T, l *layout, lambda float64) (norm2, l1, l2sq float64)
	// sqnorm is ‖w‖² summed as backward sums it, so that the full-batch
	// loss is the same number with or without a gradient.
	sqnorm func(w []T, l *layout) float64
	// mean is the mean cross-entropy of count examples from their sum:
	// sum·(1/count) for float64, sum/count for float32 (the two agree to
	// one rounding; each keeps the numbers its path has always given).
	mean func(sum float64, count int) float64
	// gather writes the rows of a mini-batch gradient that the batch
	// touches (bt.rows, from bt.transpose): the entries val[e]·dz[ent[e]]
	// and λ·w, in the precision's order (float64: λw first, the kernel set's
	// gatherRows; float32: last, fused, as backward).
	gather func(g, w, dz []T, bt *batchRows[T], l *layout, lambda float64)
	// batchBackward writes the whole gradient of the mini-batch batch
	// (gather's rows, λw on the others) and returns ‖w‖², ‖g‖₁ and ‖g‖₂²:
	// float64 as gather (bt, transposed here) and a pass over the other rows
	// and the norms; float32 as PyTorch computes it (the data term,
	// scattered example by example, then backward's fused decay and norms).
	batchBackward func(g, w, dz []T, set *data.Set, val []T, batch []int32, bt *batchRows[T], l *layout, lambda float64) (norm2, l1, l2sq float64)
}

// layout is the shape of an evaluation's activations: per patch a row of
// wd = 2m values (class −1's m columns, then class +1's), rows zs apart.
type layout struct {
	m, wd, zs, d int
	// masks are the lanes of each class in the 16-column chunks of a row
	// (kernel.ClassMasks; float32 with the AVX-512 kernels only), buf the float32
	// F or ∂L/∂F of the head kernels.
	masks []uint16
	buf   []float32
	// chunked marks the layout of ClassErrors' chunks, whose float64
	// forward pass takes dense patches through the dense kernels
	// (forwardAny, with fbuf); a Net's mini-batch forward pass does not.
	chunked bool
	fbuf    []float64
	// dense is the float64 full batch's dense patches (nil when the set
	// has none), made by the first forwardAll.
	dense     *denseSet
	denseDone bool
	// coord is the coordinate-blocked order of the set's entries for the
	// AVX-512 full-batch forward pass (kernels_coord.go); nil where the
	// set is too sparse for it. Made by the first forwardAll.
	coord     *coordPlan
	coordDone bool
	// fwd32 is coord for the float32 forward pass (AVX-512 only), its
	// values in float32; nil where the set is too sparse. Made by the
	// first forwardAll.
	fwd32     *plan32
	fwd32Done bool
}

// plan32 is a coordPlan with its values in float32.
type plan32 struct {
	*coordPlan
	val32 []float32
}

// newPlan32 is newCoordPlan's plan of the rows [0, rows) of set with its
// values in float32, or nil.
func newPlan32(set *data.Set, rows, wd int) *plan32 {
	pl := newCoordPlan(set, 0, rows, wd)
	if pl == nil {
		return nil
	}
	v := round[float32](pl.val)
	pl.val = nil
	return &plan32{pl, v}
}

func newLayout[T Float](c CNN) *layout {
	ar := arithOf[T]()
	l := &layout{m: c.M, wd: c.Width(), zs: ar.stride(c.Width()), d: c.D}
	if use32[T]() {
		l.masks = kernel.ClassMasks(c.M, l.zs/16)
	}
	return l
}

// arithOf returns the arithmetic of T.
func arithOf[T Float]() *arith[T] {
	if a, ok := any(&arith64).(*arith[T]); ok {
		return a
	}
	return any(&arith32).(*arith[T])
}

// arith64 runs the float64 kernel set in use (active), read at each call so
// that UseKernel takes effect.
var arith64 = arith[float64]{
	stride: func(wd int) int { return wd },
	values: func(v []float64) []float64 { return v },
	forward: func(z, w []float64, set *data.Set, _ []float64, p0, p1 int, l *layout) {
		if l.chunked {
			l.fbuf = forwardAny(z, w, set, p0, p1, l.wd, l.fbuf)
			return
		}
		active.forward(z, w, set, p0, p1, l.wd)
	},
	forwardAll: func(z, w []float64, set *data.Set, _ []float64, l *layout) {
		if !l.denseDone {
			l.dense, l.denseDone = newDenseSet(set, l.wd), true
		}
		if l.dense != nil && denseKernels() {
			l.dense.forward(z, w, l.wd)
			return
		}
		np := len(set.PatchPtr) - 1
		if active.name == kernel.AVX512 && coordForward {
			if !l.coordDone {
				l.coord, l.coordDone = newCoordPlan(set, 0, np, l.wd), true
			}
			if l.coord != nil {
				forwardCoord(l.coord, z, w, set, 0, np, l.wd)
				return
			}
		}
		active.forward(z, w, set, 0, np, l.wd)
	},
	activate: func(c CNN, z, s, ds []float64) { c.activate(z, s, ds) },
	heads:    heads64,
	scale:    scale64,
	backward: func(g, w, dz []float64, set *data.Set, _ []float64, l *layout, lambda float64) (float64, float64, float64) {
		if l.dense != nil && denseKernels() {
			return l.dense.backward(g, w, dz, l.wd, lambda)
		}
		return active.backward(g, w, dz, set, l.wd, lambda)
	},
	sqnorm: func(w []float64, l *layout) float64 { return active.sqnorm(w, l.d, l.wd) },
	mean:   func(sum float64, count int) float64 { return sum * (1 / float64(count)) },
	gather: gather64,
	batchBackward: func(g, w, dz []float64, set *data.Set, val []float64, batch []int32, bt *batchRows[float64], l *layout, lambda float64) (norm2, l1, l2sq float64) {
		bt.transpose(set, val, batch)
		gather64(g, w, dz, bt, l, lambda)
		wd, next := l.wd, 0
		for k := range l.d { // g = λw on the rows the batch does not touch
			if next < len(bt.rows) && int(bt.rows[next]) == k {
				next++
				continue
			}
			gk, wk := g[k*wd:(k+1)*wd], w[k*wd:(k+1)*wd]
			for col, v := range wk {
				gk[col] = lambda * v
			}
		}
		for _, v := range g {
			l1 += math.Abs(v)
			l2sq += v * v
		}
		return sqnormOf(w), l1, l2sq
	},
}

// arith32 is PyTorch's float32 arithmetic; with the AVX-512 kernels in use
// (UseKernel) it runs the 16-lane float32 kernels of internal/kernel (row
// sums, activation, head, decay and norms), which sum in another order than
// the portable loops and agree with them to float32 rounding.
var arith32 = arith[float32]{
	stride:  func(wd int) int { return (wd + 15) / 16 * 16 },
	values:  round[float32],
	forward: forward32,
	forwardAll: func(z, w []float32, set *data.Set, val []float32, l *layout) {
		np := len(set.PatchPtr) - 1
		if use32[float32]() && coordForward {
			if !l.fwd32Done {
				l.fwd32, l.fwd32Done = newPlan32(set, np, l.wd), true
			}
			if l.fwd32 != nil {
				if len(w) < set.D*l.wd {
					panic("model: forward: buffers too short")
				}
				blocks32(z, l.zs, np, w, l.wd, l.wd, l.fwd32)
				return
			}
		}
		forward32(z, w, set, val, 0, np, l)
	},
	activate: activateNet[float32],
	heads: func(f []float64, s []float32, count int, l *layout) {
		if !use32[float32]() {
			for b := range count {
				fb := outputs(s[2*b*l.zs:(2*b+2)*l.zs], l.m, l.wd, l.zs)
				f[2*b], f[2*b+1] = fb[0], fb[1]
			}
			return
		}
		if count == 0 {
			return
		}
		if len(s) < 2*count*l.zs || len(l.masks) < 2*(l.zs/16) {
			panic("model: heads: buffers too short")
		}
		l.buf = slices.Grow(l.buf[:0], 2*count)[:2*count]
		kernel.HeadSumF32(&s[0], l.zs*4, count, l.zs/16, &l.masks[0], &l.buf[0])
		for i, v := range l.buf {
			f[i] = float64(v)
		}
	},
	scale: func(dz []float32, dF []float64, count int, l *layout) {
		if !use32[float32]() {
			scaleOf(dz, dF, count, l)
			return
		}
		if count == 0 {
			return
		}
		l.buf = slices.Grow(l.buf[:0], 2*count)[:2*count]
		for i, v := range dF[:2*count] {
			l.buf[i] = float32(v)
		}
		kernel.HeadScaleF32(&dz[0], l.zs*4, count, l.zs/16, &l.masks[0], &l.buf[0])
	},
	backward: func(g, w, dz []float32, set *data.Set, colVal []float32, l *layout, lambda float64) (float64, float64, float64) {
		csrRowsOf(g, dz, set.ColPtr, set.ColPatch, colVal, 0, l.wd, l.wd, l.zs, len(set.PatchPtr)-1)
		return decayOf(g, w, float32(lambda))
	},
	sqnorm: func(w []float32, _ *layout) float64 { return sqnormOf(w) },
	mean:   func(sum float64, count int) float64 { return sum / float64(count) },
	gather: func(g, w, dz []float32, bt *batchRows[float32], l *layout, lambda float64) {
		gatherData32(g, dz, bt, l)
		lam := float32(lambda)
		for _, k := range bt.rows {
			gk, wk := g[int(k)*l.wd:int(k+1)*l.wd], w[int(k)*l.wd:int(k+1)*l.wd]
			for c, v := range wk {
				gk[c] = fmaOf(lam, v, gk[c])
			}
		}
	},
	batchBackward: func(g, w, dz []float32, set *data.Set, val []float32, batch []int32, _ *batchRows[float32], l *layout, lambda float64) (float64, float64, float64) {
		scatterOf(g, dz, set, val, batch, l.wd, l.zs)
		return decayOf(g, w, float32(lambda))
	},
}

func gather64(g, w, dz []float64, bt *batchRows[float64], l *layout, lambda float64) {
	active.gatherRows(g, w, dz, bt.rows, bt.ptr, bt.ent, bt.val, l.wd, lambda)
}

// scatterOf writes the data term of a mini-batch gradient example by
// example, as PyTorch's backward pass accumulates it: g = 0, then for each
// patch of batch[b], in order, val·∂L/∂Z of the patch added to the row of
// each of its coordinates (each product rounded, then each sum). With the
// AVX-512 kernels in use in float32 a patch's entries are added by
// kernel.AxpyRowsF32, 48 columns at a time: the same operations, the same
// bits as the Go loop (axpyOf) where Go does not fuse them.
func scatterOf[T Float](g, dz []T, set *data.Set, val []T, batch []int32, wd, zs int) {
	clear(g)
	scatterAdd(g, dz, set, val, batch, wd, zs)
}

// scatterAdd is scatterOf without clearing g first: the data term added
// to the rows of the coordinates the batch's patches touch (no other row
// is read or written).
func scatterAdd[T Float](g, dz []T, set *data.Set, val []T, batch []int32, wd, zs int) {
	fast := use32[T]()
	if fast && (len(g) < set.D*wd || len(val) < len(set.Idx)) {
		panic("model: scatter: buffers too short")
	}
	for bi, i := range batch {
		for k := range 2 {
			dp := dz[(2*bi+k)*zs : (2*bi+k)*zs+wd]
			a, b := set.PatchPtr[2*int(i)+k], set.PatchPtr[2*int(i)+k+1]
			if fast {
				if b > a {
					for off := 0; off < wd; off += 48 {
						mask := uint64(1)<<min(48, wd-off) - 1
						kernel.AxpyRowsF32((*float32)(unsafe.Pointer(&g[off])), wd*4, (*float32)(unsafe.Pointer(&dp[off])),
							&set.Idx[a], (*float32)(unsafe.Pointer(&val[a])), int(b-a), mask)
					}
				}
				continue
			}
			for e, j := range set.Idx[a:b] {
				axpyOf(g[int(j)*wd:int(j+1)*wd], dp, val[int(a)+e])
			}
		}
	}
}

// gatherData32 writes the data term of the rows a mini-batch touches:
// g[k·wd : …] = Σ_e val[e]·dz[ent[e]] in batch order, as PyTorch's
// backward pass accumulates it.
func gatherData32(g, dz []float32, bt *batchRows[float32], l *layout) {
	wd, zs := l.wd, l.zs
	for r, k := range bt.rows {
		gk := g[int(k)*wd : int(k+1)*wd]
		clear(gk)
		for e := bt.ptr[r]; e < bt.ptr[r+1]; e++ {
			p := int(bt.ent[e])
			axpyOf(gk, dz[p*zs:p*zs+wd], bt.val[e])
		}
	}
}

func forward32(z, w []float32, set *data.Set, val []float32, p0, p1 int, l *layout) {
	base := int(set.PatchPtr[p0])
	if len(val) == len(set.Val) {
		base = 0
	}
	csrRowsOf(z, w, set.PatchPtr[p0:p1+1], set.Idx, val, base, l.wd, l.zs, l.wd, set.D)
}

// blocks32 writes, for the rows r < n of dst (ds apart),
// dst[r·ds : r·ds+wd] = Σ_{(k,v) ∈ row r} v·rows[k·rs : k·rs+wd] with the
// entries in pl's coordinate-blocked order, 48 columns at a time
// (kernel.SumBlocksF32: a group's even and odd entries in two chains of
// fused multiply-adds). The caller checks that rows holds pl's rows.
func blocks32(dst []float32, ds, n int, rows []float32, rs, wd int, pl *plan32) {
	if len(dst) < (n-1)*ds+wd || len(pl.val32) != len(pl.idx) {
		panic("model: blocks32: buffers too short")
	}
	for _, r := range pl.empty {
		clear(dst[int(r)*ds : int(r)*ds+wd])
	}
	ng := len(pl.grp) / 3
	for off := 0; off < wd; off += 48 {
		mask := uint64(1)<<min(48, wd-off) - 1
		kernel.SumBlocksF32(&dst[off], ds*4, &rows[off], rs*4, unsafe.SliceData(pl.idx), unsafe.SliceData(pl.val32), unsafe.SliceData(pl.grp), ng, mask)
	}
}

// scaleOf is arith.scale in Go: dF rounded to T, one product per value.
func scaleOf[T Float](dz []T, dF []float64, count int, l *layout) {
	m, zs := l.m, l.zs
	for b := range count {
		d0, d1 := dz[2*b*zs:(2*b)*zs+l.wd], dz[(2*b+1)*zs:(2*b+1)*zs+l.wd]
		for j := range 2 {
			dfj := T(dF[2*b+j])
			a, c := d0[j*m:(j+1)*m], d1[j*m:(j+1)*m]
			c = c[:len(a)]
			for col := range a {
				a[col] *= dfj
				c[col] *= dfj
			}
		}
	}
}

// round returns v rounded to T.
func round[T Float](v []float64) []T {
	out := make([]T, len(v))
	for i, x := range v {
		out[i] = T(x)
	}
	return out
}

// outputs returns F_{−1} and F_{+1} from the activations s of an example's
// two patches (rows of wd values zs apart), summed in float64 in four
// interleaved partial sums per class (the additions of one long chain
// would wait on each other's latency).
func outputs[T Float](s []T, m, wd, zs int) [2]float64 {
	s0, s1 := s[:wd], s[zs:zs+wd]
	var f [2]float64
	for j := range 2 {
		var p [4]float64
		lo, hi := j*m, (j+1)*m
		col := lo
		for ; col+4 <= hi; col += 4 {
			p[0] += float64(s0[col]) + float64(s1[col])
			p[1] += float64(s0[col+1]) + float64(s1[col+1])
			p[2] += float64(s0[col+2]) + float64(s1[col+2])
			p[3] += float64(s0[col+3]) + float64(s1[col+3])
		}
		for ; col < hi; col++ {
			p[0] += float64(s0[col]) + float64(s1[col])
		}
		f[j] = (p[0] + p[1]) + (p[2] + p[3])
	}
	return f
}

// csrRowsOf writes, for each output row r < len(ptr)−1,
// dst[r·ds : r·ds+wd] = Σ_{ptr[r] ≤ e < ptr[r+1]} val[e−base]·rows[idx[e]·rs : idx[e]·rs+wd].
// In float32 with the AVX-512 kernels in use it runs kernel.SumRowsCSRF32
// over all the rows, 48 columns at a time; else sumRowsOf row by row. The
// indices must be below nrows and rows at least nrows·rs long (the Set's
// invariants, as for the float64 kernels; checked, not each index).
func csrRowsOf[T Float](dst, rows []T, ptr, idx []int32, val []T, base, wd, ds, rs, nrows int) {
	n := len(ptr) - 1
	if n <= 0 {
		return
	}
	if !use32[T]() {
		for r := range n {
			a, b := int(ptr[r]), int(ptr[r+1])
			sumRowsOf(dst[r*ds:r*ds+wd], rows, idx[a:b], val[a-base:b-base], rs)
		}
		return
	}
	a, b := int(ptr[0]), int(ptr[n])
	if len(dst) < (n-1)*ds+wd || b > len(idx) || b-base > len(val) || a < base || len(rows) < (nrows-1)*rs+wd {
		panic("model: csrRows: buffers too short")
	}
	if b == a { // no entries: nothing to read
		for r := range n {
			clear(dst[r*ds : r*ds+wd])
		}
		return
	}
	for off := 0; off < wd; off += 48 {
		mask := uint64(1)<<min(48, wd-off) - 1
		kernel.SumRowsCSRF32((*float32)(unsafe.Pointer(&dst[off])), ds*4, (*float32)(unsafe.Pointer(&rows[off])), rs*4,
			&ptr[0], n, &idx[0], (*float32)(unsafe.Pointer(&val[a-base])), a, mask)
	}
}

// sumRowsOf writes dst = Σ_e val[e]·rows[idx[e]·rs : idx[e]·rs+len(dst)], in
// entry order (the portable path; csrRowsOf runs the AVX-512 kernel).
func sumRowsOf[T Float](dst, rows []T, idx []int32, val []T, rs int) {
	clear(dst)
	for e, k := range idx {
		axpyOf(dst, rows[int(k)*rs:int(k)*rs+len(dst)], val[e])
	}
}

// use32 reports whether T is float32 and the AVX-512 kernels are in use
// (see UseKernel).
func use32[T Float]() bool {
	var x T
	return unsafe.Sizeof(x) == 4 && active.name == "avx512"
}

// f32 returns the float32 slice that v is (T must be float32).
func f32[T Float](v []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(v))), len(v))
}

// activateOf writes s[i] = σ(z[i]) = max(0,z[i])^q and ds[i] = σ'(z[i]).
func activateOf[T Float](z, s, ds []T, q int) {
	s, ds = s[:len(z)], ds[:len(z)]
	if use32[T]() {
		body := len(z) / 16 * 16
		if body > 0 {
			kernel.ActF32(&f32(z)[0], &f32(s)[0], &f32(ds)[0], body, q)
		}
		z, s, ds = z[body:], s[body:], ds[body:]
	}
	for i, v := range z {
		if v <= 0 {
			s[i], ds[i] = 0, 0
			continue
		}
		p := T(1) // v^{q-1}
		for range q - 1 {
			p *= v
		}
		s[i], ds[i] = p*v, T(q)*p
	}
}

// decayOf adds λ·w to the data term in g and returns ‖w‖², ‖g‖₁ and ‖g‖₂²,
// summed in float64.
func decayOf[T Float](g, w []T, lambda T) (norm2, l1, l2sq float64) {
	g = g[:len(w)]
	if use32[T]() {
		body := len(w) / 16 * 16
		if body > 0 {
			var acc [24]float64
			kernel.DecayF32(&f32(g)[0], &f32(w)[0], body, float32(lambda), &acc)
			for j := range 8 {
				norm2 += acc[j]
				l1 += acc[8+j]
				l2sq += acc[16+j]
			}
		}
		g, w = g[body:], w[body:]
	}
	for i, v := range w {
		// One rounding, as PyTorch's grad.add(w, alpha=λ) (a fused
		// multiply-add in its vectorised kernel).
		gi := fmaOf(lambda, v, g[i])
		g[i] = gi
		norm2 += float64(v) * float64(v)
		l1 += math.Abs(float64(gi))
		l2sq += float64(gi) * float64(gi)
	}
	return norm2, l1, l2sq
}

// fmaOf returns a·b + c rounded once to T.
func fmaOf[T Float](a, b, c T) T {
	if unsafe.Sizeof(a) == 4 {
		return T(kernel.FMA32(float32(a), float32(b), float32(c)))
	}
	return T(math.FMA(float64(a), float64(b), float64(c)))
}

func sqnormOf[T Float](w []T) float64 {
	var norm2 float64
	for _, v := range w {
		norm2 += float64(v) * float64(v)
	}
	return norm2
}

// axpyOf adds a·x to dst; len(x) must be at least len(dst).
func axpyOf[T Float](dst, x []T, a T) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] += a * v
	}
}
