//go:build amd64 && !purego

#include "textflag.h"
#include "adam32_amd64.h"

// func AdamRowsF32(w, grad, m, v *float32, n, width int, rows *int32, nrows int, c *[8]float32, expmax *[16]uint32)
//
// Runs of consecutive rows, listed (g from grad, R9 = 1) or not (g =
// fma(λ, w, +0) with λ = c[7] in Z17 and +0 in Z20, R9 = 0), elements R14
// to BX; each in blocks of 16 lanes, the last masked. The exponent bits of
// g go into Z18 by unsigned maximum; ADAM32 updates w, m and v. R10 is the
// next listed row's address, R11 the listed rows left, R8 the width.
TEXT ·AdamRowsF32(SB), NOSPLIT, $0-80
	MOVQ w+0(FP), AX
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), DI
	MOVQ v+24(FP), DX
	MOVQ n+32(FP), R12
	MOVQ rows+48(FP), R10
	MOVQ nrows+56(FP), R11
	MOVQ c+64(FP), R8
	MOVQ expmax+72(FP), R9
	ADAM32_CONSTS
	VBROADCASTSS 28(R8), Z17
	VMOVDQU32 (R9), Z18
	MOVL $0x7f800000, R13
	VPBROADCASTD R13, Z19
	VPXORD Z20, Z20, Z20
	MOVQ width+40(FP), R8
	XORQ R14, R14

run:
	CMPQ R14, R12
	JGE done
	XORQ R9, R9
	MOVQ R12, BX
	TESTQ R11, R11
	JZ block
	MOVLQSX (R10), CX
	IMULQ R8, CX
	MOVQ CX, BX
	CMPQ CX, R14
	JNE block
	MOVQ $1, R9
	ADDQ R8, BX

extend:
	ADDQ $4, R10
	DECQ R11
	JZ block
	MOVLQSX (R10), CX
	IMULQ R8, CX
	CMPQ CX, BX
	JNE block
	ADDQ R8, BX
	JMP extend

block:
	MOVQ BX, CX
	SUBQ R14, CX
	JLE endrun
	MOVL $0xffff, R13
	CMPQ CX, $16
	JGE mask
	MOVL $1, R13
	SHLL CX, R13
	DECL R13

mask:
	KMOVW R13, K1
	VMOVUPS.Z (AX)(R14*4), K1, Z6
	VMOVUPS.Z (DI)(R14*4), K1, Z8
	VMOVUPS.Z (DX)(R14*4), K1, Z9
	TESTQ R9, R9
	JZ decay
	VMOVUPS.Z (SI)(R14*4), K1, Z0
	JMP update

decay:
	VMOVAPS Z20, Z0
	VFMADD231PS Z6, Z17, Z0

update:
	VPANDD Z0, Z19, Z7
	VPMAXUD Z7, Z18, Z18
	ADAM32
	VMOVUPS Z1, K1, (DI)(R14*4)
	VMOVUPS Z2, K1, (DX)(R14*4)
	VMOVUPS Z6, K1, (AX)(R14*4)
	ADDQ $16, R14
	JMP block

endrun:
	MOVQ BX, R14
	JMP run

done:
	MOVQ expmax+72(FP), R9
	VMOVDQU32 Z18, (R9)
	VZEROUPPER
	RET
