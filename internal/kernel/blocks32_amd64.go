//go:build amd64 && !purego

package kernel

// SumBlocksF32 is SumBlocks40 in float32 for up to 48 columns: for each
// group g < ngrp with (p, a, b) = grp[3g:3g+3],
// z[p·zStride/4 + c] += Σ_{a≤e<b} val[e]·w[idx[e]·wStride/4 + c] for the
// columns c < 48 whose bit is set in mask (unset columns are neither read
// nor written), strides in bytes; a group whose p is negative names row
// −1−p and sets it to the sum (from zero) instead. A group's entries
// a, a+2, … are added to the row and a+1, a+3, … to zero, by fused
// multiply-adds in order, and the two sums then added. Ordering the groups
// by a block of coordinates, then by row, keeps the rows of w that a block
// reads in L1 (model's coordinate-blocked forward pass).
//
//go:noescape
func SumBlocksF32(z *float32, zStride int, w *float32, wStride int, idx *int32, val *float32, grp *int32, ngrp int, mask uint64)

// AxpyRowsF32 adds val[e]·x to the rows idx[e] of dst for e < n, in order:
// dst[idx[e]·dstStride/4 + c] += val[e]·x[c] for the columns c < 48 whose bit is
// set in mask (unset columns are neither read nor written), dstStride in
// bytes, the product rounded to float32 and then the sum (no fused
// multiply-add: Go's g[i] += v*x[i] on amd64, and PyTorch's scaled rows
// added to the gradient). An index may repeat.
//
//go:noescape
func AxpyRowsF32(dst *float32, dstStride int, x *float32, idx *int32, val *float32, n int, mask uint64)
