//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

// Available reports whether the CPU runs the AVX-512 kernels.
var Available = cpu.X86.HasAVX512F

// AvailableAVX2 reports whether the CPU runs the AVX2 kernels (AVX2 and FMA).
var AvailableAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

func archPaths() []string {
	var paths []string
	if AvailableAVX2 {
		paths = append(paths, AVX2)
	}
	if Available {
		paths = append(paths, AVX512)
	}
	return paths
}

// SumRows40 sets dst[0:40] = Σ_{e<n} val[e]·w[idx[e]·stride/8 : +40], with
// stride the distance in bytes between rows of w.
//
//go:noescape
func SumRows40(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)

// GradRows40 sets g[0:40] = λ·w[0:40] + Σ_{e<n} vals[e]·dz[rows[e]·stride/8 : +40]
// and adds, lane by lane, w² to acc[0:8], |g| to acc[8:16] and g² to acc[16:24].
//
//go:noescape
func GradRows40(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64)

// GradCols40 is GradRows40 for the rows k = 0 … d−1 of a matrix 40
// columns wide, in one call: row k (grad and w rows stride bytes apart) gets
// λ·w_k + Σ vals[e]·dz[rows[e]·stride/8 : +40] over e in [colptr[k],
// colptr[k+1]), the entries of column k of a set's column form, and the
// norms go to acc as d calls of GradRows40, row after row, would add them
// (the same bits), but kept in registers between rows.
//
//go:noescape
func GradCols40(grad, w, dz *float64, colptr, rows *int32, vals *float64, d int, stride int, lambda float64, acc *[24]float64)

// ScaleHeads40 multiplies, for each example b < count, the two rows of 40
// columns at dz[80b:80b+80] (m = 20 columns per class) by the derivatives
// of its outputs: columns 0–19 of both by df[2b], columns 20–39 by
// df[2b+1], one product per value.
//
//go:noescape
func ScaleHeads40(dz *float64, df *float64, count int)

// AdamRows applies Adam to the first n coordinates (n a multiple of 8) with
// c = (β₁, 1−β₁, β₂, 1−β₂, step, rbc2, ε):
// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − step·m/(√v·rbc2 + ε),
// with the operations in that order and no fused multiply-add, so results are
// bit-identical to the same formula in Go.
//
//go:noescape
func AdamRows(w, grad, m, v *float64, n int, c *[7]float64)

// AdamRowsRoot is AdamRows with √v not by VSQRTPD, whose throughput bounds
// AdamRows, but by VRSQRT14PD's estimate refined to double precision: the
// exact root in most lanes and within an ulp or two elsewhere, so w within
// a few ulp of the update of AdamRows' (m and v are AdamRows'). √0 = 0, a
// NaN stays NaN, v = +Inf gives a finite root near 2^512 (an update far
// below w's ulp where AdamRows' is 0).
//
//go:noescape
func AdamRowsRoot(w, grad, m, v *float64, n int, c *[7]float64)

// SumRows8 is SumRows40 for one chunk of 8 columns, of which only the lanes
// set in mask are read and written.
//
//go:noescape
func SumRows8(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, mask uint8)

// GradRows8 is GradRows40 for one chunk of 8 columns, of which only the
// lanes set in mask are read, written and added to acc.
//
//go:noescape
func GradRows8(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64, mask uint8)

// Act sets s[i] = max(0,z[i])^q and ds[i] = q·max(0,z[i])^(q−1) for i < n (a
// multiple of 8), with the operations of the portable loop (bit-identical;
// z^(q−1) by squaring, O(log q)); NaN stays NaN.
//
//go:noescape
func Act(z, s, ds *float64, n int, q int)

// GatherRows40 computes, for each r < nrows with k = rows[r], a 40-column
// block of row k of the gradient, g[k] = λ·w[k] + Σ_e val[e]·dz[ent[e]]
// over e ∈ [ptr[r], ptr[r+1]) in that order, each term a rounded product
// added with a rounded sum (no fused multiply-add), as Go's loop
// g[i] = λ*w[i]; g[i] += val*dz[i] does on amd64. Rows are stride bytes
// apart in g, w and dz; byte j of masks selects the lanes of the block's
// chunk j (columns 8j…8j+7) that are read and written, so the last block of
// a row narrower than a multiple of 40 is handled by the same kernel.
//
//go:noescape
func GatherRows40(grad *float64, w *float64, dz *float64, rows *int32, nrows int, ptr *int32, ent *int32, val *float64, stride int, lambda float64, masks uint64)

// AdamDecayRows applies Adam to d rows of wd weights (any wd ≥ 1) with
// c = (β₁, 1−β₁, β₂, 1−β₂, step, rbc2, ε, λ, shrink). The gradient of row k
// is g's row where k is one of the nrows strictly ascending indices in rows,
// and λ·w's row (computed, not stored) elsewhere. Per weight, in this order:
// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w·shrink − step·m/(√v·rbc2 + ε),
// no fused multiply-add, so bit-identical to the same formula in Go. Each
// lane of expmax is raised to the largest exponent field
// (bits & 0x7ff0000000000000) of the gradient entries in that lane, which
// equals the mask where an entry was infinite or NaN.
//
//go:noescape
func AdamDecayRows(w, grad, m, v *float64, d int, wd int, rows *int32, nrows int, c *[9]float64, expmax *[8]uint64)

// SumRows40M is SumRows40 for a block of 40 columns of which, in chunk j
// (columns 8j…8j+7), only the lanes set in byte j of masks are read and
// written: one pass over the index list for the last block of a row of any
// width. Each lane's sum is the one SumRows40 or SumRows8 computes.
//
//go:noescape
func SumRows40M(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, masks uint64)

// GradRows40M is GradRows40 for a block of 40 columns of which, in chunk j,
// only the lanes set in byte j of masks are read, written and added to acc
// (the other lanes add +0). Each result and acc lane is the one GradRows40,
// or GradRows8 chunk by chunk, computes.
//
//go:noescape
func GradRows40M(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64, masks uint64)

// GDRows sets w[i] −= lr·g[i] for i < n (any n ≥ 0): a rounded product,
// then a rounded difference, as Go's w[i] -= lr*g[i] on amd64.
//
//go:noescape
func GDRows(w, grad *float64, n int, lr float64)

// SumRows40PF is SumRows40 (the same sums, bit for bit) that also
// prefetches the rows of the entries 32 ahead in the list, for rows
// scattered over more memory than the caches hold. It reads no index past
// idx[n−1].
//
//go:noescape
func SumRows40PF(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)

// SumRows40MPF is SumRows40M (the same sums, bit for bit) with the
// prefetch of SumRows40PF.
//
//go:noescape
func SumRows40MPF(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, masks uint64)

// SumBlocks40 adds, for each group g < ngrp with (p, a, b) = grp[3g:3g+3],
// Σ_{a≤e<b} val[e]·w[idx[e]·stride/8 : +40] to z[p·stride/8 : +40]: the
// row is loaded, each entry added by one fused multiply-add in order, and
// the row stored; a group whose p is negative names row −1−p and starts its
// sum from zero instead of loading the row (a row's first group, so that z
// needs no clearing). Rows of z and w are stride bytes apart. Ordering the
// groups by a block of coordinates, then by patch, makes the rows of w
// that a block reads stay in L1 while every patch is visited.
//
//go:noescape
func SumBlocks40(z *float64, w *float64, idx *int32, val *float64, grp *int32, ngrp int, stride int)
