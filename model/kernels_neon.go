package model

import "github.com/adamgap/adamgap/internal/kernel"

// The NEON kernels (arm64; package internal/kernel) have the AVX2 ones'
// contract and arithmetic on 2-lane registers: the same driver (blocks20),
// the same bits as the AVX2 and AVX-512 paths. The mini-batch gradient
// rows are the portable loop's, the sum of squares the AVX-512 path's.

var neonRows = blocks20{sum20: kernel.SumRows20NEON, sum4: kernel.SumRows4NEON, grad20: kernel.GradRows20NEON, grad4: kernel.GradRows4NEON}

var neon = kernels{name: kernel.NEON, forward: neonRows.forward, backward: neonRows.backward,
	activate: activateBlocks(kernel.ActNEON, 2), sqnorm: sqnormAVX512, gatherRows: gatherRowsPortable}
