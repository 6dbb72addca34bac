package model

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// The dense path. With Gaussian noise (the signal–noise family's data) a
// noise patch has all d coordinates non-zero, and a full-batch evaluation
// is two small matrix products: the forward pass Z_D = X_D·W and the
// backward pass G += X_Dᵀ·∂L/∂Z_D, X_D the dense patches as a row-major
// matrix. The sparse kernels would walk an index list per patch and read
// W once per patch; the dense ones (kernel.Dense4x40) keep a 4 × 40 block
// of the product in registers and read each row of W once per 4 patches.
// A patch is dense when at least a quarter of its coordinates are stored
// (denseFrac); the other patches (the signal patches, 1-sparse) stay on
// the sparse kernels. Sets without dense patches (the seed's sparse noise)
// never take this path, so their numbers do not change.

// denseKernels reports whether the kernel set in use takes dense patches
// through the dense products: the AVX-512 set (kernel.Dense4x40) and the
// portable one (gonum's Dgemm, 2.2× faster than the portable sparse loops
// at the family's size). The AVX2 set has no dense kernel yet, and its
// sparse kernels beat gonum's Dgemm (2.5× vs 4.4× the FMA floor;
// BenchmarkDenseStep), so it keeps them; so does the NEON set, the same
// kernels on arm64 (not measured there: gonum has no arm64 assembly, so
// its Dgemm is Go loops).
func denseKernels() bool { return active.name != kernel.AVX2 && active.name != kernel.NEON }

// denseFrac: a patch with at least d/denseFrac stored entries is dense.
const denseFrac = 4

// isDense reports whether patch p of set is dense.
func isDense(set *data.Set, p int) bool {
	nnz := int(set.PatchPtr[p+1] - set.PatchPtr[p])
	return nnz > 0 && denseFrac*nnz >= set.D
}

// hasDense reports whether any patch of [p0, p1) is dense.
func hasDense(set *data.Set, p0, p1 int) bool {
	for p := p0; p < p1; p++ {
		if isDense(set, p) {
			return true
		}
	}
	return false
}

// denseSet is a training set's dense patches, kept by a Net[float64] for its full-batch evaluations.
type denseSet struct {
	rows []int32   // the dense patches, ascending
	x    []float64 // len(rows) × d, row-major: the forward pass's A
	xt   []float64 // d × len(rows): the backward pass's A
	// rest is the set with the dense patches empty: the sparse kernels
	// write zeros for them and the rest's gradient.
	rest    *data.Set
	zd, dzd []float64 // len(rows) × wd
}

// newDenseSet returns the dense patches of set, or nil when there are
// none.
func newDenseSet(set *data.Set, wd int) *denseSet {
	np := len(set.PatchPtr) - 1
	if !hasDense(set, 0, np) {
		return nil
	}
	d := set.D
	ds := &denseSet{}
	b := data.NewBuilder(d, set.N())
	for i := range set.N() {
		for k := range 2 {
			p := 2*i + k
			if isDense(set, p) {
				ds.rows = append(ds.rows, int32(p))
				b.AddPatch(nil, nil)
				continue
			}
			b.AddPatch(set.Patch(p))
		}
		b.AddLabel(set.Y[i], set.NoisePatch[i])
	}
	ds.rest = b.Build()
	nd := len(ds.rows)
	ds.x, ds.xt = make([]float64, nd*d), make([]float64, d*nd)
	for r, p := range ds.rows {
		idx, val := set.Patch(int(p))
		for e, k := range idx {
			ds.x[r*d+int(k)] = val[e]
			ds.xt[int(k)*nd+r] = val[e]
		}
	}
	ds.zd, ds.dzd = make([]float64, nd*wd), make([]float64, nd*wd)
	return ds
}

// forward writes the pre-activations of every patch to z (rows wd apart).
func (ds *denseSet) forward(z, w []float64, wd int) {
	d, nd := ds.rest.D, len(ds.rows)
	active.forward(z, w, ds.rest, 0, len(ds.rest.PatchPtr)-1, wd)
	denseMul(ds.zd, wd, ds.x, d, w, wd, nd, d, wd, false)
	for r, p := range ds.rows {
		copy(z[int(p)*wd:int(p+1)*wd], ds.zd[r*wd:(r+1)*wd])
	}
}

// backward writes g = λw + Σ_patches xᵀ·dz and returns ‖w‖² (as sqnorm
// sums it), ‖g‖₁ and ‖g‖₂².
func (ds *denseSet) backward(g, w, dz []float64, wd int, lambda float64) (norm2, l1, l2sq float64) {
	d, nd := ds.rest.D, len(ds.rows)
	norm2, _, _ = active.backward(g, w, dz, ds.rest, wd, lambda)
	for r, p := range ds.rows {
		copy(ds.dzd[r*wd:(r+1)*wd], dz[int(p)*wd:int(p+1)*wd])
	}
	denseMul(g, wd, ds.xt, nd, ds.dzd, wd, d, nd, wd, true)
	l1, l2sq = norms(g[:d*wd])
	return norm2, l1, l2sq
}

// norms returns ‖v‖₁ and ‖v‖₂², each summed in four interleaved partial
// sums (one chain of additions would wait on its own latency), combined
// pairwise; math.Abs clears the sign bit where abs would branch on it, a
// branch mispredicted on half of the entries (a fifth of the dense step at
// the family's size).
func norms(v []float64) (l1, l2sq float64) {
	var a, b [4]float64
	i := 0
	for ; i+4 <= len(v); i += 4 {
		x := v[i : i+4 : i+4]
		a[0], b[0] = a[0]+math.Abs(x[0]), b[0]+x[0]*x[0]
		a[1], b[1] = a[1]+math.Abs(x[1]), b[1]+x[1]*x[1]
		a[2], b[2] = a[2]+math.Abs(x[2]), b[2]+x[2]*x[2]
		a[3], b[3] = a[3]+math.Abs(x[3]), b[3]+x[3]*x[3]
	}
	for ; i < len(v); i++ {
		a[0], b[0] = a[0]+math.Abs(v[i]), b[0]+v[i]*v[i]
	}
	return (a[0] + a[1]) + (a[2] + a[3]), (b[0] + b[1]) + (b[2] + b[3])
}

// forwardAny is active.forward for patches of any density: the dense ones
// among [p0, p1) through a dense product (their rows gathered into buf,
// which it returns grown), the others through the sparse kernel.
func forwardAny(z, w []float64, set *data.Set, p0, p1, wd int, buf []float64) []float64 {
	if !denseKernels() || !hasDense(set, p0, p1) {
		active.forward(z, w, set, p0, p1, wd)
		return buf
	}
	d := set.D
	var rows []int
	for p := p0; p < p1; p++ {
		if isDense(set, p) {
			rows = append(rows, p)
		} else {
			active.forward(z[(p-p0)*wd:], w, set, p, p+1, wd)
		}
	}
	nd := len(rows)
	if need := nd*d + nd*wd; cap(buf) < need {
		buf = make([]float64, need)
	}
	x, zd := buf[:nd*d], buf[nd*d:nd*d+nd*wd]
	clear(x)
	for r, p := range rows {
		idx, val := set.Patch(p)
		for e, k := range idx {
			x[r*d+int(k)] = val[e]
		}
	}
	denseMul(zd, wd, x, d, w, wd, nd, d, wd, false)
	for r, p := range rows {
		copy(z[(p-p0)*wd:(p-p0+1)*wd], zd[r*wd:(r+1)*wd])
	}
	return buf
}

// denseMul writes c = a·b (or, with load, c += a·b) for a rows × k matrix
// a (rows lda apart), a k × width matrix b (rows ldb apart) and c (rows
// ldc apart), every entry summed over k in order: with the AVX-512
// kernels in use, kernel.Dense4x40 and Dense1x40 on blocks of 4 rows × 40
// columns with one fused multiply-add per term; else denseMulPortable.
func denseMul(c []float64, ldc int, a []float64, lda int, b []float64, ldb, rows, k, width int, load bool) {
	if rows == 0 {
		return
	}
	if len(c) < (rows-1)*ldc+width || len(a) < (rows-1)*lda+k || (k > 0 && len(b) < (k-1)*ldb+width) {
		panic("model: denseMul: buffers too short")
	}
	if active.name != kernel.AVX512 {
		denseMulPortable(c, ldc, a, lda, b, ldb, rows, k, width, load)
		return
	}
	l := 0
	if load {
		l = 1
	}
	if k == 0 { // the kernels would not read b; give them a valid pointer
		b = c
	}
	for off := 0; off < width; off += block {
		masks := blockMasks(width - off)
		r := 0
		for ; r+4 <= rows; r += 4 {
			kernel.Dense4x40(&c[r*ldc+off], ldc*8, &a[r*lda], lda*8, &b[off], ldb*8, k, masks, l)
		}
		for ; r < rows; r++ {
			kernel.Dense1x40(&c[r*ldc+off], ldc*8, &a[r*lda], lda*8, &b[off], ldb*8, k, masks, l)
		}
	}
}

// denseMulPortable is denseMul through gonum's Dgemm (blas/gonum: Go
// with SSE2 kernels, blocks of c computed in parallel, each entry's sum in
// a fixed order, so the result does not depend on GOMAXPROCS). Measured
// on the family's step (BenchmarkDenseStep): 4× faster than an axpy per
// term in Go, 3× slower than the AVX-512 kernels.
func denseMulPortable(c []float64, ldc int, a []float64, lda int, b []float64, ldb, rows, k, width int, load bool) {
	beta := 0.0
	if load {
		beta = 1
	}
	if k == 0 {
		if !load {
			for r := range rows {
				clear(c[r*ldc : r*ldc+width])
			}
		}
		return
	}
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, rows, width, k, 1, a[:(rows-1)*lda+k], lda, b[:(k-1)*ldb+width], ldb, beta, c[:(rows-1)*ldc+width], ldc)
}
