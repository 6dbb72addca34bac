//go:build amd64 && !purego

#include "textflag.h"
#include "rows_amd64.h"

// SumBlocks40M is SumBlocks40 (kernel_amd64.s) with the 40-column block
// masked chunk by chunk, so the coordinate-blocked forward pass covers the
// last block of a row of any width: K1–K5 hold the lanes of chunks 0–4.
// Registers: AX = z, DI = w, DX = entry indices, SI = values, R8 = groups,
// BX = groups left, R10 = row stride in bytes, CX = entry, R12 = group end,
// R11 = the group's row of z, R9 = the entry's row of w, Z5 = its value.

// func SumBlocks40M(z *float64, w *float64, idx *int32, val *float64, grp *int32, ngrp int, stride int, masks uint64)
TEXT ·SumBlocks40M(SB), NOSPLIT, $0-64
	MOVQ masks+56(FP), R12
	MASKS5
	BLOCKS_ARGS
	TESTQ BX, BX
	JLE mdone
mgroup:
	BLOCK_GROUP(mfirst)
	// Masked-off lanes are neither read nor stored: what they hold does
	// not matter.
	VMOVUPD (R11), K1, Z0
	VMOVUPD 64(R11), K2, Z1
	VMOVUPD 128(R11), K3, Z2
	VMOVUPD 192(R11), K4, Z3
	VMOVUPD 256(R11), K5, Z4
mrun:
	CMPQ CX, R12
	JGE mstore
mentry:
	ROW_ENTRY1(Z5)
	ROW40_FMAM(R9, Z5, Z0, Z1, Z2, Z3, Z4)
	INCQ CX
	CMPQ CX, R12
	JLT mentry
mstore:
	STORE40M(R11)
	BLOCK_NEXT(mgroup)
mdone:
	VZEROUPPER
	RET
mfirst:
	// The row's first group (row −1−p): its sum starts from zero.
	BLOCK_FIRST_ROW
	ZERO40
	JMP mrun

// SumBlocks120M is SumBlocks40M for a block of 120 columns of which the
// first 80 (chunks 0–9, Z0–Z9) are always read and written and, in chunk
// 10+j (Z10+j), only the lanes set in byte j of masks (K1+j): one pass over
// the groups for a row of 81 to 120 columns, each entry's value broadcast
// once for all of them (Z30). It also prefetches the 13 cache lines (832
// bytes) from the row of the entry 8 ahead, while that entry is before the
// last group's end (R13 = that end − 8; R14 its row). The rows of w of a
// plan of L2-sized blocks come from L2; the prefetch has them in L1 when
// the multiply-adds need them.

// func SumBlocks120M(z *float64, w *float64, idx *int32, val *float64, grp *int32, ngrp int, stride int, masks uint64)
TEXT ·SumBlocks120M(SB), NOSPLIT, $0-64
	MOVQ masks+56(FP), R12
	MASKS5
	BLOCKS_ARGS
	TESTQ BX, BX
	JLE wdone
	LEAQ (BX)(BX*2), R13
	MOVLQSX -4(R8)(R13*4), R13
	SUBQ $8, R13
wgroup:
	BLOCK_GROUP(wfirst)
	VMOVUPD 0(R11), Z0
	VMOVUPD 64(R11), Z1
	VMOVUPD 128(R11), Z2
	VMOVUPD 192(R11), Z3
	VMOVUPD 256(R11), Z4
	VMOVUPD 320(R11), Z5
	VMOVUPD 384(R11), Z6
	VMOVUPD 448(R11), Z7
	VMOVUPD 512(R11), Z8
	VMOVUPD 576(R11), Z9
	VMOVUPD 640(R11), K1, Z10
	VMOVUPD 704(R11), K2, Z11
	VMOVUPD 768(R11), K3, Z12
	VMOVUPD 832(R11), K4, Z13
	VMOVUPD 896(R11), K5, Z14
wrun:
	CMPQ CX, R12
	JGE wstore
wentry:
	CMPQ CX, R13
	JGE wnopf
	MOVLQSX 32(DX)(CX*4), R14
	IMULQ R10, R14
	ADDQ DI, R14
	PREFETCHT0 0(R14)
	PREFETCHT0 64(R14)
	PREFETCHT0 128(R14)
	PREFETCHT0 192(R14)
	PREFETCHT0 256(R14)
	PREFETCHT0 320(R14)
	PREFETCHT0 384(R14)
	PREFETCHT0 448(R14)
	PREFETCHT0 512(R14)
	PREFETCHT0 576(R14)
	PREFETCHT0 640(R14)
	PREFETCHT0 704(R14)
	PREFETCHT0 768(R14)
wnopf:
	ROW_ENTRY1(Z30)
	VFMADD231PD 0(R9), Z30, Z0
	VFMADD231PD 64(R9), Z30, Z1
	VFMADD231PD 128(R9), Z30, Z2
	VFMADD231PD 192(R9), Z30, Z3
	VFMADD231PD 256(R9), Z30, Z4
	VFMADD231PD 320(R9), Z30, Z5
	VFMADD231PD 384(R9), Z30, Z6
	VFMADD231PD 448(R9), Z30, Z7
	VFMADD231PD 512(R9), Z30, Z8
	VFMADD231PD 576(R9), Z30, Z9
	VFMADD231PD 640(R9), Z30, K1, Z10
	VFMADD231PD 704(R9), Z30, K2, Z11
	VFMADD231PD 768(R9), Z30, K3, Z12
	VFMADD231PD 832(R9), Z30, K4, Z13
	VFMADD231PD 896(R9), Z30, K5, Z14
	INCQ CX
	CMPQ CX, R12
	JLT wentry
wstore:
	VMOVUPD Z0, 0(R11)
	VMOVUPD Z1, 64(R11)
	VMOVUPD Z2, 128(R11)
	VMOVUPD Z3, 192(R11)
	VMOVUPD Z4, 256(R11)
	VMOVUPD Z5, 320(R11)
	VMOVUPD Z6, 384(R11)
	VMOVUPD Z7, 448(R11)
	VMOVUPD Z8, 512(R11)
	VMOVUPD Z9, 576(R11)
	VMOVUPD Z10, K1, 640(R11)
	VMOVUPD Z11, K2, 704(R11)
	VMOVUPD Z12, K3, 768(R11)
	VMOVUPD Z13, K4, 832(R11)
	VMOVUPD Z14, K5, 896(R11)
	BLOCK_NEXT(wgroup)
wdone:
	VZEROUPPER
	RET
wfirst:
	BLOCK_FIRST_ROW
	ZERO40
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11
	VPXORQ Z12, Z12, Z12
	VPXORQ Z13, Z13, Z13
	VPXORQ Z14, Z14, Z14
	JMP wrun
