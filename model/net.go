package model

import (
	"fmt"
	"math"
	"slices"
	"unsafe"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// Float is the element type of weights, gradients and activations of a Net:
// float32 (PyTorch's default precision) or float64.
type Float interface{ ~float32 | ~float64 }

// Net evaluates the objective, as Workspace (full batch) and BatchWorkspace
// (mini-batch) do, with weights, gradient, pre-activations, activations and
// their derivatives held in T. The data's values are rounded to T as they
// are used (as PyTorch's X.to(float32)); the per-example outputs F, the
// cross-entropy and its derivative, the loss and the norms are computed in
// float64 and the derivative rounded to T (with the AVX-512 kernels, F is
// summed in float32 lanes, as PyTorch sums it in float32). Net[float32] is the float32
// training path; Net[float64] computes what Workspace computes, summing in
// a different order (the data term first, then λw, as PyTorch's
// weight_decay does), so the two agree to rounding. With the AVX-512
// kernels in use (UseKernel), Net[float32] runs the 16-lane float32 kernels
// of internal/kernel (row sums, activation, decay and norms), which sum in
// another order than the portable loops and agree with them to float32
// rounding.
//
// It owns its buffers, so one Net serves one goroutine; the Set may be
// shared.
type Net[T Float] struct {
	cnn CNN
	set *data.Set
	// val and colVal are set.Val and set.ColVal rounded to T.
	val, colVal []T
	// Z holds the pre-activations of the last evaluation, patch-major as in
	// Workspace.Z (full batch) or BatchWorkspace.Z (mini-batch) but with
	// rows zs ≥ 2m apart (see PreActivations).
	Z  []T
	s  []T // σ(Z)
	dz []T // σ'(Z), then ∂L/∂Z
	// masks are the lanes of each class in the 16-column chunks of a row
	// (classMasks; float32 only), and head holds F of each example of the
	// last evaluation, then ∂L/∂F, in float32 (the AVX-512 head kernels).
	masks []uint16
	head  []float32
	// zs is the row stride of Z, s and dz: 2m for float64; for float32
	// 2m rounded up to a multiple of 16, so that the backward pass reads
	// each 16-float group of a row of dz from one 64-byte cache line (25%
	// faster than rows straddling lines). The padding is zero.
	zs int
}

// NewNet returns a Net for the network on the set; it panics unless both
// are valid and their dimensions agree (mustFit: a programmer error). Its
// buffers grow to the largest evaluation.
func NewNet[T Float](c CNN, set *data.Set) *Net[T] {
	mustFit("NewNet", c, set)
	nt := &Net[T]{cnn: c, set: set, val: round[T](set.Val), colVal: round[T](set.ColVal), zs: stride[T](c)}
	if nt.zs%16 == 0 {
		nt.masks = classMasks(c.M, nt.zs/16)
	}
	return nt
}

// stride is the row stride of a Net's activations (Net.zs).
func stride[T Float](c CNN) int {
	var x T
	if unsafe.Sizeof(x) == 4 {
		return (c.Width() + 15) / 16 * 16
	}
	return c.Width()
}

// PreActivations writes the pre-activations of the last full-batch
// evaluation to dst (grown if needed) with rows 2m apart, the layout of
// Workspace.Z that train.Probe reads, and returns it.
func (nt *Net[T]) PreActivations(dst []T) []T {
	wd, rows := nt.cnn.Width(), 2*nt.set.N()
	dst = slices.Grow(dst[:0], rows*wd)[:rows*wd]
	for p := range rows {
		copy(dst[p*wd:(p+1)*wd], nt.Z[p*nt.zs:p*nt.zs+wd])
	}
	return dst
}

// round returns v rounded to T.
func round[T Float](v []float64) []T {
	out := make([]T, len(v))
	for i, x := range v {
		out[i] = T(x)
	}
	return out
}

func (nt *Net[T]) buffers(patches int) {
	if need := patches * nt.zs; len(nt.Z) < need {
		nt.Z, nt.s, nt.dz = make([]T, need), make([]T, need), make([]T, need)
	}
}

func (nt *Net[T]) check(g, w []T, what string) {
	if size := nt.cnn.Size(); len(w) != size || (g != nil && len(g) != size) {
		panic(fmt.Sprintf("model: Net.%s: len(w)=%d len(g)=%d, want %d", what, len(w), len(g), size))
	}
}

// LossGrad evaluates the full training objective at w and, when g is not
// nil, writes its gradient to g (same layout as w); as Workspace.LossGrad.
// It panics if w or g has the wrong length.
func (nt *Net[T]) LossGrad(g, w []T) Eval {
	nt.check(g, w, "LossGrad")
	c, set := nt.cnn, nt.set
	n, wd := set.N(), c.Width()
	nt.buffers(2 * n)
	forwardOf(nt.Z, w, set, nt.val, 0, 2*n, wd, nt.zs)
	activateNet(c, nt.Z[:2*n*nt.zs], nt.s, nt.dz)
	var ev Eval
	sum := nt.examples(&ev, func(b int) int { return b }, n, g != nil)
	var norm2 float64
	if g == nil {
		norm2 = sqnormOf(w)
	} else {
		csrRowsOf(g, nt.dz, set.ColPtr, set.ColPatch, nt.colVal, 0, wd, wd, nt.zs, 2*n)
		norm2, ev.GradL1, ev.GradL2Sq = decayOf(g, w, T(c.Lambda))
	}
	ev.Loss = sum/float64(n) + c.Lambda/2*norm2
	return ev
}

// BatchLossGrad evaluates the mini-batch objective L_B at w for the
// examples batch (indices into the set, repeats allowed) and, when g is not
// nil, writes its gradient to g; as BatchWorkspace.LossGrad. It panics if w
// or g has the wrong length, the batch is empty or an index is out of range
// (programmer errors).
func (nt *Net[T]) BatchLossGrad(g, w []T, batch []int32) Eval {
	nt.check(g, w, "BatchLossGrad")
	if len(batch) == 0 {
		panic("model: Net.BatchLossGrad: empty batch")
	}
	c, set := nt.cnn, nt.set
	wd := c.Width()
	nt.buffers(2 * len(batch))
	for bi, i := range batch {
		if i < 0 || int(i) >= set.N() {
			panic(fmt.Sprintf("model: Net.BatchLossGrad: batch[%d]=%d out of range [0, %d)", bi, i, set.N()))
		}
		forwardOf(nt.Z[2*bi*nt.zs:], w, set, nt.val, 2*int(i), 2*int(i)+2, wd, nt.zs)
	}
	activateNet(c, nt.Z[:2*len(batch)*nt.zs], nt.s, nt.dz)
	var ev Eval
	sum := nt.examples(&ev, func(b int) int { return int(batch[b]) }, len(batch), g != nil)
	var norm2 float64
	if g == nil {
		norm2 = sqnormOf(w)
	} else {
		clear(g)
		for bi, i := range batch {
			for k := range 2 {
				dp := nt.dz[(2*bi+k)*nt.zs : (2*bi+k)*nt.zs+wd]
				a, b := set.PatchPtr[2*int(i)+k], set.PatchPtr[2*int(i)+k+1]
				for e, j := range set.Idx[a:b] {
					axpyOf(g[int(j)*wd:int(j+1)*wd], dp, nt.val[int(a)+e])
				}
			}
		}
		norm2, ev.GradL1, ev.GradL2Sq = decayOf(g, w, T(c.Lambda))
	}
	ev.Loss = sum/float64(len(batch)) + c.Lambda/2*norm2
	return ev
}

// examples evaluates the count examples whose activations are in order in
// nt.s (example b is example at(b) of the set), adds their errors to ev,
// scales nt.dz to ∂(mean cross-entropy)/∂Z when grad is set, and returns
// the sum of their cross-entropies.
func (nt *Net[T]) examples(ev *Eval, at func(b int) int, count int, grad bool) float64 {
	c := nt.cnn
	wd, zs, m := c.Width(), nt.zs, c.M
	inv := 1 / float64(count)
	div := c.outputDiv()
	asm := use32[T]()
	if asm {
		nt.head = slices.Grow(nt.head[:0], 4*count)[:4*count]
		heads(nt.s, zs, count, nt.masks, nt.head[:2*count])
	}
	var sum float64
	for b := range count {
		s, dz := nt.s[2*b*zs:(2*b+2)*zs], nt.dz[2*b*zs:(2*b+2)*zs]
		var f [2]float64
		if asm {
			f = [2]float64{float64(nt.head[2*b]), float64(nt.head[2*b+1])}
		} else {
			f = outputs(s, m, wd, zs)
		}
		f[0], f[1] = f[0]/div, f[1]/div
		y := nt.set.Y[at(b)]
		yi := 0
		if y > 0 {
			yi = 1
		}
		margin := f[1-yi] - f[yi]
		e := math.Exp(-math.Abs(margin))
		loss, sig := math.Log1p(e), e/(1+e)
		if margin > 0 {
			loss += margin
		}
		if margin >= 0 {
			sig = 1 / (1 + e)
			ev.Errors++
		}
		sum += loss
		if grad {
			p := sig * inv / div
			var dF [2]T
			dF[yi], dF[1-yi] = T(-p), T(p)
			if asm {
				nt.head[2*count+2*b], nt.head[2*count+2*b+1] = float32(dF[0]), float32(dF[1])
				continue
			}
			for j := range 2 {
				for col := j * m; col < (j+1)*m; col++ {
					dz[col] *= dF[j]
					dz[zs+col] *= dF[j]
				}
			}
		}
	}
	if asm && grad {
		kernel.HeadScaleF32(&f32(nt.dz)[0], zs*4, count, zs/16, &nt.masks[0], &nt.head[2*count])
	}
	return sum
}

// classMasks returns, for rows of 2m columns in chunks of 16 lanes, the
// lanes of class −1 (columns [0, m)) of each chunk, then those of class +1
// (columns [m, 2m)): the masks of kernel.HeadSumF32 and HeadScaleF32.
func classMasks(m, chunks int) []uint16 {
	masks := make([]uint16, 2*chunks)
	for col := range 2 * m {
		k := 0
		if col >= m {
			k = chunks
		}
		masks[k+col/16] |= 1 << (col % 16)
	}
	return masks
}

// heads writes F_{−1} and F_{+1} of count examples from their activations
// s (rows zs apart, zs a multiple of 16) to out, in float32, with
// kernel.HeadSumF32 (T must be float32).
func heads[T Float](s []T, zs, count int, masks []uint16, out []float32) {
	if count == 0 {
		return
	}
	if len(s) < 2*count*zs || len(out) < 2*count || len(masks) < 2*(zs/16) {
		panic("model: heads: buffers too short")
	}
	kernel.HeadSumF32(&f32(s)[0], zs*4, count, zs/16, &masks[0], &out[0])
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

// ErrorsOf counts the examples of set that the network at w misclassifies
// (F_y ≤ F_{−y}), as CNN.Errors, errorChunk examples at a time; it needs
// only the set's row form. It is ClassErrorsOf(c, w, set).Total().
func ErrorsOf[T Float](c CNN, w []T, set *data.Set) int {
	return ClassErrorsOf(c, w, set).Total()
}

// ClassErrorsOf is ErrorsOf by label, as CNN.ClassErrors.
func ClassErrorsOf[T Float](c CNN, w []T, set *data.Set) ClassCount {
	mustFitRows("ErrorsOf", c, set)
	if len(w) != c.Size() {
		panic(fmt.Sprintf("model: ErrorsOf: len(w)=%d, want %d", len(w), c.Size()))
	}
	wd, zs := c.Width(), stride[T](c)
	n := set.N()
	size := 2 * min(n, errorChunk) * zs
	z, s, ds := make([]T, size), make([]T, size), make([]T, size)
	var val []T // the chunk's values rounded to T
	asm := use32[T]()
	var masks []uint16
	var head []float32
	if asm { // F as LossGrad computes it, so the two count the same errors
		masks, head = classMasks(c.M, zs/16), make([]float32, 2*min(n, errorChunk))
	}
	var cc ClassCount
	for i0 := 0; i0 < n; i0 += errorChunk {
		i1 := min(i0+errorChunk, n)
		a, b := set.PatchPtr[2*i0], set.PatchPtr[2*i1]
		val = val[:0]
		for _, v := range set.Val[a:b] {
			val = append(val, T(v))
		}
		forwardOf(z, w, set, val, 2*i0, 2*i1, wd, zs)
		activateNet(c, z[:2*(i1-i0)*zs], s, ds)
		if asm {
			heads(s, zs, i1-i0, masks, head)
		}
		for i := i0; i < i1; i++ {
			var f [2]float64
			if asm {
				f = [2]float64{float64(head[2*(i-i0)]), float64(head[2*(i-i0)+1])}
			} else {
				f = outputs(s[2*(i-i0)*zs:2*(i-i0+1)*zs], c.M, wd, zs)
			}
			f[0], f[1] = f[0]/c.outputDiv(), f[1]/c.outputDiv()
			cc.add(set.Y[i], f)
		}
	}
	return cc
}

// forwardOf writes z[(p−p0)·zs : (p−p0)·zs+wd] = Σ_{(k,v) ∈ patch p} v·w[k·wd : (k+1)·wd]
// for the patches p ∈ [p0, p1), with the values v taken from val, which
// holds set.Val[PatchPtr[p0]:PatchPtr[p1]] rounded to T (or all of it when
// its length is len(set.Val)).
func forwardOf[T Float](z, w []T, set *data.Set, val []T, p0, p1, wd, zs int) {
	base := int(set.PatchPtr[p0])
	if len(val) == len(set.Val) {
		base = 0
	}
	csrRowsOf(z, w, set.PatchPtr[p0:p1+1], set.Idx, val, base, wd, zs, wd, set.D)
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
