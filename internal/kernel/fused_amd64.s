//go:build amd64 && !purego

#include "textflag.h"
#include "rows_amd64.h"

// Adam's update of one chunk of a row in AdamGatherRows: G = the gradient,
// W = the weights (loaded); m and v are loaded from OFF(R8)(CX*1) and
// OFF(R9)(CX*1) and, with W, stored back under mask K. The operations and
// their operand order are AdamDecayRows' ADAM_MATH (kernel_amd64.s), so the
// results are its bits. Constants: Z20 = β₁, Z21 = 1−β₁, Z22 = β₂,
// Z23 = 1−β₂, Z24 = step, Z25 = rbc2, Z26 = ε, Z28 = shrink, Z29 = the
// exponent mask; Z30 collects the exponent fields of G. Temporaries: Z7–Z9,
// Z17–Z19.
#define FUSED_ADAM(G, W, OFF, K) \
	VPANDQ Z29, G, Z17; \
	VPMAXUQ Z17, Z30, Z30; \
	VMOVUPD.Z OFF(R8)(CX*1), K, Z18; \
	VMOVUPD.Z OFF(R9)(CX*1), K, Z19; \
	ADAM_MV(G, Z18, Z19, Z20, Z21, Z22, Z23, Z17, Z7); \
	ADAM_STEP(Z18, Z19, Z24, Z25, Z26, Z8, Z9); \
	VMULPD Z28, W, W; \
	VSUBPD Z9, W, W; \
	VMOVUPD Z18, K, OFF(R8)(CX*1); \
	VMOVUPD Z19, K, OFF(R9)(CX*1); \
	VMOVUPD W, K, OFF(DI)(CX*1)

// func AdamGatherRows(w, m, v, dz *float64, d int, stride int, rows *int32, nrows int, ptr *int32, ent *int32, val *float64, nz int, c *[9]float64, expmax *[8]uint64, masks uint64) (ok bool)
//
// Registers: DI, R8, R9 = w, m, v; SI = dz; CX = the row's byte offset;
// R14 = row; DX = next listed row's slot in rows, R12 = listed rows left,
// R13 = the next listed row (−1 when none is left); R11 = its slot in ptr;
// R15, BX, R10 = the entry's slot in ent, in val, entries left; AX scratch.
// Z0–Z4 = the row's gradient, Z12–Z16 = its weights, Z27 = λ.
TEXT ·AdamGatherRows(SB), NOSPLIT, $0-121
	MOVQ w+0(FP), DI
	MOVQ m+8(FP), R8
	MOVQ v+16(FP), R9
	MOVQ dz+24(FP), SI
	MOVQ rows+48(FP), DX
	MOVQ nrows+56(FP), R12
	MOVQ ptr+64(FP), R11
	MOVQ c+96(FP), AX
	ADAM_C9(AX)
	MOVQ expmax+104(FP), AX
	VMOVDQU64 (AX), Z30
	MOVQ masks+112(FP), AX
	MASKS5R(AX)
	XORQ CX, CX
	XORQ R14, R14
	MOVQ $-1, R13
	TESTQ R12, R12
	JE frow
	MOVLQSX (DX), R13
frow:
	CMPQ R14, d+32(FP)
	JGE fdone
	VMOVUPD.Z (DI)(CX*1), K1, Z12
	VMOVUPD.Z 64(DI)(CX*1), K2, Z13
	VMOVUPD.Z 128(DI)(CX*1), K3, Z14
	VMOVUPD.Z 192(DI)(CX*1), K4, Z15
	VMOVUPD.Z 256(DI)(CX*1), K5, Z16
	SCALE40(Z27, Z12, Z13, Z14, Z15, Z16)
	CMPQ R14, R13
	JNE fadam
	// A listed row: its entries are ent[ptr[r]:ptr[r+1]].
	MOVLQSX (R11), AX
	MOVLQSX 4(R11), R10
	SUBQ AX, R10
	MOVQ ent+72(FP), R15
	LEAQ (R15)(AX*4), R15
	MOVQ val+80(FP), BX
	LEAQ (BX)(AX*8), BX
	ADDQ $4, R11
	ADDQ $4, DX
	DECQ R12
	MOVQ $-1, R13
	TESTQ R12, R12
	JE fent
	MOVLQSX (DX), R13
fent:
	TESTQ R10, R10
	JLE fadam
	MOVLQSX (R15), AX
	CMPQ AX, nz+88(FP)
	JAE fbad
	IMULQ stride+40(FP), AX
	ADDQ SI, AX
	VBROADCASTSD (BX), Z5
	ROW40_MULADDM(AX)
	ADDQ $4, R15
	ADDQ $8, BX
	DECQ R10
	JMP fent
fadam:
	FUSED_ADAM(Z0, Z12, 0, K1)
	FUSED_ADAM(Z1, Z13, 64, K2)
	FUSED_ADAM(Z2, Z14, 128, K3)
	FUSED_ADAM(Z3, Z15, 192, K4)
	FUSED_ADAM(Z4, Z16, 256, K5)
	INCQ R14
	ADDQ stride+40(FP), CX
	JMP frow
fdone:
	MOVQ expmax+104(FP), AX
	VMOVDQU64 Z30, (AX)
	MOVB $1, ok+120(FP)
	VZEROUPPER
	RET
fbad:
	MOVQ expmax+104(FP), AX
	VMOVDQU64 Z30, (AX)
	MOVB $0, ok+120(FP)
	VZEROUPPER
	RET
