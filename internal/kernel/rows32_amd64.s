//go:build amd64 && !purego

#include "textflag.h"
#include "adam32_amd64.h"

// func AdamRunF32(w, grad, m, v *float32, n int, c *[8]float32, expmax *[16]uint32)
//
// One loop of 16 lanes, the last masked (K1 all ones before it): g is
// loaded from grad, or (grad nil) fma(λ, w, +0) with λ = c[7] in Z17 and
// +0 in Z20; its exponent bits go into Z18 by unsigned maximum; ADAM32.
TEXT ·AdamRunF32(SB), NOSPLIT, $0-56
	MOVQ w+0(FP), AX
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), DI
	MOVQ v+24(FP), DX
	MOVQ n+32(FP), BX
	MOVQ c+40(FP), R8
	MOVQ expmax+48(FP), R9
	ADAM32_CONSTS
	VBROADCASTSS 28(R8), Z17
	VMOVDQU32 (R9), Z18
	MOVL $0x7f800000, R10
	VPBROADCASTD R10, Z19
	VPXORD Z20, Z20, Z20
	XORQ R14, R14

loop:
	MOVQ BX, CX
	SUBQ R14, CX
	JLE done
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
	TESTQ SI, SI
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
	JMP loop

done:
	VMOVDQU32 Z18, (R9)
	VZEROUPPER
	RET
