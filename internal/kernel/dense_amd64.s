//go:build amd64 && !purego

#include "textflag.h"
#include "rows_amd64.h"

// The dense products of the Gaussian-data path (dense_amd64.go): a block
// of 4 rows (Dense4x40) or 1 row (Dense1x40) of C by 40 columns, C = A·B
// or C += A·B, each entry summed over k in order with one fused
// multiply-add per term, starting from 0 or from C. Registers: SI, R11,
// R13, R14 = rows 0-3 of a; DX = byte offset of column k in a row of a;
// DI = row k of b; R10 = ldb; CX = k left; Z0-Z19 accumulate (row r,
// chunk j in Z(5r+j)); Z20-Z24 hold row k of b; Z25-Z28 the broadcasts of
// a[r][k]; K1-K5 the chunk masks (byte j of masks for columns 8j..8j+7).
// Only the lanes in the masks are read from b and c or written to c.

// DENSE_ARGS loads the arguments of Dense4x40 and Dense1x40 (same
// signature) and the chunk masks.
#define DENSE_ARGS \
	MOVQ c+0(FP), AX; \
	MOVQ ldc+8(FP), R8; \
	MOVQ a+16(FP), SI; \
	MOVQ lda+24(FP), R9; \
	MOVQ b+32(FP), DI; \
	MOVQ ldb+40(FP), R10; \
	MOVQ k+48(FP), CX; \
	MOVQ masks+56(FP), R12; \
	MASKS5; \
	MOVQ load+64(FP), BX

// DENSE_FMA(B, A0, A1, A2, A3, A4) adds B times row k of b (Z20–Z24)
// into A0–A4.
#define DENSE_FMA(B, A0, A1, A2, A3, A4) \
	VFMADD231PD Z20, B, A0; \
	VFMADD231PD Z21, B, A1; \
	VFMADD231PD Z22, B, A2; \
	VFMADD231PD Z23, B, A3; \
	VFMADD231PD Z24, B, A4

// func Dense4x40(c *float64, ldc int, a *float64, lda int, b *float64, ldb int, k int, masks uint64, load int)
TEXT ·Dense4x40(SB), NOSPLIT, $0-72
	DENSE_ARGS
	LEAQ (AX)(R8*1), R11
	LEAQ (R11)(R8*1), R13
	LEAQ (R13)(R8*1), R14
	TESTQ BX, BX
	JE Dense4x40_zero
	LOAD40MZ(AX, Z0, Z1, Z2, Z3, Z4)
	LOAD40MZ(R11, Z5, Z6, Z7, Z8, Z9)
	LOAD40MZ(R13, Z10, Z11, Z12, Z13, Z14)
	LOAD40MZ(R14, Z15, Z16, Z17, Z18, Z19)
	JMP Dense4x40_start
Dense4x40_zero:
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
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
	VPXORQ Z15, Z15, Z15
	VPXORQ Z16, Z16, Z16
	VPXORQ Z17, Z17, Z17
	VPXORQ Z18, Z18, Z18
	VPXORQ Z19, Z19, Z19
Dense4x40_start:
	LEAQ (SI)(R9*1), R11
	LEAQ (R11)(R9*1), R13
	LEAQ (R13)(R9*1), R14
	XORQ DX, DX
	TESTQ CX, CX
	JE Dense4x40_store
Dense4x40_loop:
	LOAD40MZ(DI, Z20, Z21, Z22, Z23, Z24)
	VBROADCASTSD (SI)(DX*1), Z25
	VBROADCASTSD (R11)(DX*1), Z26
	VBROADCASTSD (R13)(DX*1), Z27
	VBROADCASTSD (R14)(DX*1), Z28
	DENSE_FMA(Z25, Z0, Z1, Z2, Z3, Z4)
	DENSE_FMA(Z26, Z5, Z6, Z7, Z8, Z9)
	DENSE_FMA(Z27, Z10, Z11, Z12, Z13, Z14)
	DENSE_FMA(Z28, Z15, Z16, Z17, Z18, Z19)
	ADDQ $8, DX
	ADDQ R10, DI
	DECQ CX
	JNE Dense4x40_loop
Dense4x40_store:
	LEAQ (AX)(R8*1), R11
	LEAQ (R11)(R8*1), R13
	LEAQ (R13)(R8*1), R14
	STORE40MR(AX, Z0, Z1, Z2, Z3, Z4)
	STORE40MR(R11, Z5, Z6, Z7, Z8, Z9)
	STORE40MR(R13, Z10, Z11, Z12, Z13, Z14)
	STORE40MR(R14, Z15, Z16, Z17, Z18, Z19)
	VZEROUPPER
	RET

// func Dense1x40(c *float64, ldc int, a *float64, lda int, b *float64, ldb int, k int, masks uint64, load int)
TEXT ·Dense1x40(SB), NOSPLIT, $0-72
	DENSE_ARGS
	TESTQ BX, BX
	JE Dense1x40_zero
	LOAD40MZ(AX, Z0, Z1, Z2, Z3, Z4)
	JMP Dense1x40_start
Dense1x40_zero:
	ZERO40
Dense1x40_start:
	XORQ DX, DX
	TESTQ CX, CX
	JE Dense1x40_store
Dense1x40_loop:
	LOAD40MZ(DI, Z20, Z21, Z22, Z23, Z24)
	VBROADCASTSD (SI)(DX*1), Z25
	DENSE_FMA(Z25, Z0, Z1, Z2, Z3, Z4)
	ADDQ $8, DX
	ADDQ R10, DI
	DECQ CX
	JNE Dense1x40_loop
Dense1x40_store:
	STORE40MR(AX, Z0, Z1, Z2, Z3, Z4)
	VZEROUPPER
	RET

// func FMAPeak(n int, out *[8]float64)
//
// n iterations of 16 independent zmm fused multiply-adds, for measuring
// the CPU's FMA throughput (BenchmarkFMAPeak).
TEXT ·FMAPeak(SB), NOSPLIT, $0-16
	MOVQ n+0(FP), CX
	MOVQ out+8(FP), AX
	VPXORQ Z0, Z0, Z0
	VMOVAPD Z0, Z1
	VMOVAPD Z0, Z2
	VMOVAPD Z0, Z3
	VMOVAPD Z0, Z4
	VMOVAPD Z0, Z5
	VMOVAPD Z0, Z6
	VMOVAPD Z0, Z7
	VMOVAPD Z0, Z8
	VMOVAPD Z0, Z9
	VMOVAPD Z0, Z10
	VMOVAPD Z0, Z11
	VMOVAPD Z0, Z12
	VMOVAPD Z0, Z13
	VMOVAPD Z0, Z14
	VMOVAPD Z0, Z15
	MOVQ $0x3ff0000000000000, BX
	VPBROADCASTQ BX, Z16
	VPBROADCASTQ BX, Z17
	TESTQ CX, CX
	JE peak_done
peak_loop:
	VFMADD231PD Z16, Z17, Z0
	VFMADD231PD Z16, Z17, Z1
	VFMADD231PD Z16, Z17, Z2
	VFMADD231PD Z16, Z17, Z3
	VFMADD231PD Z16, Z17, Z4
	VFMADD231PD Z16, Z17, Z5
	VFMADD231PD Z16, Z17, Z6
	VFMADD231PD Z16, Z17, Z7
	VFMADD231PD Z16, Z17, Z8
	VFMADD231PD Z16, Z17, Z9
	VFMADD231PD Z16, Z17, Z10
	VFMADD231PD Z16, Z17, Z11
	VFMADD231PD Z16, Z17, Z12
	VFMADD231PD Z16, Z17, Z13
	VFMADD231PD Z16, Z17, Z14
	VFMADD231PD Z16, Z17, Z15
	DECQ CX
	JNE peak_loop
peak_done:
	VADDPD Z1, Z0, Z0
	VADDPD Z2, Z0, Z0
	VADDPD Z3, Z0, Z0
	VADDPD Z4, Z0, Z0
	VADDPD Z5, Z0, Z0
	VADDPD Z6, Z0, Z0
	VADDPD Z7, Z0, Z0
	VADDPD Z8, Z0, Z0
	VADDPD Z9, Z0, Z0
	VADDPD Z10, Z0, Z0
	VADDPD Z11, Z0, Z0
	VADDPD Z12, Z0, Z0
	VADDPD Z13, Z0, Z0
	VADDPD Z14, Z0, Z0
	VADDPD Z15, Z0, Z0
	VMOVUPD Z0, (AX)
	VZEROUPPER
	RET
