//go:build amd64 && !purego

package kernel

// SumBlocks40M is SumBlocks40 for a block of 40 columns of which, in chunk
// j (columns 8j…8j+7), only the lanes set in byte j of masks are read and
// written: the coordinate-blocked forward pass over the last block of a
// row whose width is not a multiple of 40. Each lane's sum is the one
// SumBlocks40 computes.
//
//go:noescape
func SumBlocks40M(z *float64, w *float64, idx *int32, val *float64, grp *int32, ngrp int, stride int, masks uint64)

// SumBlocks120M is SumBlocks40M for a block of 120 columns in one pass over
// the groups: columns 0–79 are all read and written, and in chunk 10+j
// (columns 80+8j…87+8j) only the lanes set in byte j of masks; a row of
// 81 to 120 columns is one block. Each lane's sum is the one SumBlocks40
// or SumBlocks40M computes (one fused multiply-add per entry in order). It
// prefetches the rows of w of the entries 8 ahead, reading no index at or
// past the last group's end, which must not exceed the entries in idx.
//
//go:noescape
func SumBlocks120M(z *float64, w *float64, idx *int32, val *float64, grp *int32, ngrp int, stride int, masks uint64)
