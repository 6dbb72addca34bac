package model

import "github.com/adamgap/adamgap/internal/kernel"

// The AVX2 + FMA kernels (package internal/kernel) hold a block of 20
// columns of a row in five YMM registers, two FMA chains of them
// (blocks20: the columns past the last full block in 4-column chunks,
// then one by one in Go). Each column and each norm lane is summed with
// the operations of the AVX-512 path in the same order, so the two paths
// give the same bits; the activation is bit-identical to the portable
// loop, and the mini-batch gradient rows and the sum of squares are Go
// loops bit-identical to the AVX-512 path's.

var avx2Rows = blocks20{sum20: kernel.SumRows20AVX2, sum4: kernel.SumRows4AVX2, grad20: kernel.GradRows20AVX2, grad4: kernel.GradRows4AVX2}

var avx2 = kernels{name: kernel.AVX2, forward: avx2Rows.forward, backward: avx2Rows.backward,
	activate: activateBlocks(kernel.ActAVX2, 4), sqnorm: sqnormAVX512, gatherRows: gatherRowsPortable}
