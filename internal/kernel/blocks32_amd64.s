//go:build amd64 && !purego

#include "textflag.h"
#include "rows_amd64.h"

// func SumBlocksF32(z *float32, zStride int, w *float32, wStride int, idx *int32, val *float32, grp *int32, ngrp int, mask uint64)
//
// For each group g < ngrp with (p, a, b) = grp[3g:3g+3]: the row p of z
// (zStride bytes apart; −1−p names row p and starts from zero) plus
// Σ_{a≤e<b} val[e]·w[idx[e]·wStride/4 + c] for the columns c < 48 set in
// mask (three ZMM registers of 16 columns under K1–K3; unset columns are
// neither read nor written). Entries a, a+2, … are added to the row (Z0–Z2)
// and a+1, a+3, … to zero (Z16–Z18) by fused multiply-adds, then the two
// added and stored.
// Registers: AX = z, DI = w, R10 = wStride, DX = idx, SI = val, R11 = the
// group, BX = groups left, R12 = the group's row of z, CX = entry, R13 =
// the group's end, R8 and R9 = rows of w.
TEXT ·SumBlocksF32(SB), NOSPLIT, $0-72
	MOVQ z+0(FP), AX
	MOVQ w+16(FP), DI
	MOVQ wStride+24(FP), R10
	MOVQ idx+32(FP), DX
	MOVQ val+40(FP), SI
	MOVQ grp+48(FP), R11
	MOVQ ngrp+56(FP), BX
	MOVQ mask+64(FP), R9
	MASKS3
	TESTQ BX, BX
	JLE fbdone
fbgroup:
	MOVLQSX (R11), R12
	MOVLQSX 4(R11), CX
	MOVLQSX 8(R11), R13
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	TESTQ R12, R12
	JS fbfirst
	IMULQ zStride+8(FP), R12
	ADDQ AX, R12
	LOAD48MZ(R12)
fbpair:
	LEAQ 1(CX), R9
	CMPQ R9, R13
	JGE fbsingle
	MOVLQSX (DX)(CX*4), R9
	MOVLQSX 4(DX)(CX*4), R8
	IMULQ R10, R9
	IMULQ R10, R8
	ADDQ DI, R9
	ADDQ DI, R8
	VBROADCASTSS (SI)(CX*4), Z5
	VBROADCASTSS 4(SI)(CX*4), Z6
	ROW48_FMAM(R9, Z5, Z0, Z1, Z2)
	ROW48_FMAM(R8, Z6, Z16, Z17, Z18)
	ADDQ $2, CX
	JMP fbpair
fbsingle:
	CMPQ CX, R13
	JGE fbstore
	ROW_ADDR1
	VBROADCASTSS (SI)(CX*4), Z5
	ROW48_FMAM(R9, Z5, Z0, Z1, Z2)
fbstore:
	ROW48_FOLD_STORE(R12)
	ADDQ $12, R11
	DECQ BX
	JNZ fbgroup
fbdone:
	VZEROUPPER
	RET
fbfirst:
	// The row's first group: its sum starts from zero.
	NOTQ R12
	IMULQ zStride+8(FP), R12
	ADDQ AX, R12
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	JMP fbpair

// func AxpyRowsF32(dst *float32, dstStride int, x *float32, idx *int32, val *float32, n int, mask uint64)
//
// For e < n, in order: dst[idx[e]·dstStride/4 + c] += val[e]·x[c] for the
// columns c < 48 set in mask (K1–K3; the 48 columns of x in Z0–Z2), the product
// rounded (VMULPS) and then the sum (VADDPS).
// Registers: AX = dst, R10 = dstStride, DX = idx, SI = val, BX = n, CX =
// entry, R9 = the entry row of dst.
TEXT ·AxpyRowsF32(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), AX
	MOVQ dstStride+8(FP), R10
	MOVQ x+16(FP), DI
	MOVQ idx+24(FP), DX
	MOVQ val+32(FP), SI
	MOVQ n+40(FP), BX
	MOVQ mask+48(FP), R9
	MASKS3
	TESTQ BX, BX
	JLE axdone
	LOAD48MZ(DI)
	XORQ CX, CX
axloop:
	MOVLQSX (DX)(CX*4), R9
	IMULQ R10, R9
	ADDQ AX, R9
	VBROADCASTSS (SI)(CX*4), Z5
	VMULPS Z0, Z5, Z6
	VMULPS Z1, Z5, Z7
	VMULPS Z2, Z5, Z8
	VADDPS (R9), Z6, K1, Z6
	VADDPS 64(R9), Z7, K2, Z7
	VADDPS 128(R9), Z8, K3, Z8
	VMOVUPS Z6, K1, (R9)
	VMOVUPS Z7, K2, 64(R9)
	VMOVUPS Z8, K3, 128(R9)
	INCQ CX
	CMPQ CX, BX
	JLT axloop
axdone:
	VZEROUPPER
	RET
