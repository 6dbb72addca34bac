//go:build amd64 && !purego

#include "textflag.h"
#include "rows_amd64.h"

// The AVX2 + FMA kernels: the AVX-512 ones' operations on 4-lane YMM
// registers, in the same order lane by lane, so that every result is the
// same bits as the AVX-512 kernels (and the exact Go model of kernel_test.go)
// compute. Sixteen YMM registers hold 20 columns in two FMA chains (even and
// odd entries: Y0–Y4 and Y5–Y9), Y10/Y11 the broadcast values.

// A2_PAIR adds entries CX and CX+1: DX = indices, SI = values, DI = base
// of the rows, R10 = row stride in bytes.
#define A2_PAIR \
	ROW_ENTRY2(Y10, Y11); \
	ROW20_FMA(R9, Y10, Y0, Y1, Y2, Y3, Y4); \
	ROW20_FMA(R13, Y11, Y5, Y6, Y7, Y8, Y9)

// A2_ONE adds entry CX into Y0–Y4.
#define A2_ONE \
	ROW_ENTRY1(Y10); \
	ROW20_FMA(R9, Y10, Y0, Y1, Y2, Y3, Y4)

// A2_LOOP runs the entries (BX of them) through the two chains and folds
// the odd one into Y0–Y4. Labels are passed in so that each kernel has its
// own.
#define A2_LOOP(pair, tail, sum) \
	XORQ CX, CX; \
	VXORPD Y5, Y5, Y5; \
	VXORPD Y6, Y6, Y6; \
	VXORPD Y7, Y7, Y7; \
	VXORPD Y8, Y8, Y8; \
	VXORPD Y9, Y9, Y9; \
	PAIRS_SPLIT(tail); \
pair: \
	A2_PAIR; \
	PAIRS_NEXT(pair, tail, sum); \
	A2_ONE; \
sum: \
	VADDPD Y5, Y0, Y0; \
	VADDPD Y6, Y1, Y1; \
	VADDPD Y7, Y2, Y2; \
	VADDPD Y8, Y3, Y3; \
	VADDPD Y9, Y4, Y4

// A2_LOOP4 is A2_LOOP for 4 columns: even entries into Y0, odd ones into
// Y1, folded into Y0.
#define A2_LOOP4(pair, tail, sum) \
	PAIRS_START(tail); \
pair: \
	ROW_ENTRY2(Y10, Y11); \
	VFMADD231PD (R9), Y10, Y0; \
	VFMADD231PD (R13), Y11, Y1; \
	PAIRS_NEXT(pair, tail, sum); \
	ROW_ENTRY1(Y10); \
	VFMADD231PD (R9), Y10, Y0; \
sum: \
	VADDPD Y1, Y0, Y0

// func SumRows20AVX2(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)
TEXT ·SumRows20AVX2(SB), NOSPLIT, $0-48
	ROWS_ARGS
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	A2_LOOP(s20pair, s20tail, s20sum)
	VMOVUPD Y0, (AX)
	VMOVUPD Y1, 32(AX)
	VMOVUPD Y2, 64(AX)
	VMOVUPD Y3, 96(AX)
	VMOVUPD Y4, 128(AX)
	VZEROUPPER
	RET

// func SumRows4AVX2(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)
TEXT ·SumRows4AVX2(SB), NOSPLIT, $0-48
	ROWS_ARGS
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	A2_LOOP4(s4pair, s4tail, s4sum)
	VMOVUPD Y0, (AX)
	VZEROUPPER
	RET

// A2_ABSMASK sets Y15 to the mask that clears a float64's sign bit.
#define A2_ABSMASK \
	MOVQ $0x7fffffffffffffff, R12; \
	MOVQ R12, X15; \
	VPBROADCASTQ X15, Y15

// func GradRows20AVX2(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, accA *float64, accB *float64)
TEXT ·GradRows20AVX2(SB), NOSPLIT, $0-80
	GRAD_ARGS(Y10)
	MOVQ accA+64(FP), R11
	MOVQ accB+72(FP), R14
	VMULPD (R8), Y10, Y0
	VMULPD 32(R8), Y10, Y1
	VMULPD 64(R8), Y10, Y2
	VMULPD 96(R8), Y10, Y3
	VMULPD 128(R8), Y10, Y4
	A2_LOOP(g20pair, g20tail, g20sum)
	VMOVUPD Y0, (AX)
	VMOVUPD Y1, 32(AX)
	VMOVUPD Y2, 64(AX)
	VMOVUPD Y3, 96(AX)
	VMOVUPD Y4, 128(AX)
	// w²: chunks 0, 2, 4 into accA[0:4], chunks 1, 3 into accB[0:4]
	VMOVUPD (R11), Y12
	VMOVUPD (R14), Y13
	VMOVUPD (R8), Y14
	VFMADD231PD Y14, Y14, Y12
	VMOVUPD 32(R8), Y14
	VFMADD231PD Y14, Y14, Y13
	VMOVUPD 64(R8), Y14
	VFMADD231PD Y14, Y14, Y12
	VMOVUPD 96(R8), Y14
	VFMADD231PD Y14, Y14, Y13
	VMOVUPD 128(R8), Y14
	VFMADD231PD Y14, Y14, Y12
	VMOVUPD Y12, (R11)
	VMOVUPD Y13, (R14)
	// g² into acc[16:]
	VMOVUPD 128(R11), Y12
	VMOVUPD 128(R14), Y13
	VFMADD231PD Y0, Y0, Y12
	VFMADD231PD Y1, Y1, Y13
	VFMADD231PD Y2, Y2, Y12
	VFMADD231PD Y3, Y3, Y13
	VFMADD231PD Y4, Y4, Y12
	VMOVUPD Y12, 128(R11)
	VMOVUPD Y13, 128(R14)
	// |g| into acc[8:]
	A2_ABSMASK
	VANDPD Y15, Y0, Y0
	VANDPD Y15, Y1, Y1
	VANDPD Y15, Y2, Y2
	VANDPD Y15, Y3, Y3
	VANDPD Y15, Y4, Y4
	VMOVUPD 64(R11), Y12
	VMOVUPD 64(R14), Y13
	VADDPD Y0, Y12, Y12
	VADDPD Y1, Y13, Y13
	VADDPD Y2, Y12, Y12
	VADDPD Y3, Y13, Y13
	VADDPD Y4, Y12, Y12
	VMOVUPD Y12, 64(R11)
	VMOVUPD Y13, 64(R14)
	VZEROUPPER
	RET

// func GradRows4AVX2(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *float64)
TEXT ·GradRows4AVX2(SB), NOSPLIT, $0-72
	GRAD_ARGS(Y10)
	MOVQ acc+64(FP), R11
	VMOVUPD (R8), Y14
	VMULPD Y14, Y10, Y0
	VXORPD Y1, Y1, Y1
	A2_LOOP4(g4pair, g4tail, g4sum)
	VMOVUPD Y0, (AX)
	VMOVUPD (R11), Y12
	VFMADD231PD Y14, Y14, Y12
	VMOVUPD Y12, (R11)
	VMOVUPD 128(R11), Y12
	VFMADD231PD Y0, Y0, Y12
	VMOVUPD Y12, 128(R11)
	A2_ABSMASK
	VANDPD Y15, Y0, Y0
	VMOVUPD 64(R11), Y12
	VADDPD Y0, Y12, Y12
	VMOVUPD Y12, 64(R11)
	VZEROUPPER
	RET

// A2_ADAM_C7 broadcasts c[0:7] (from R11) into Y9–Y15, the constants of
// AdamRowsAVX2 and AdamDecayAVX2.
#define A2_ADAM_C7 \
	VBROADCASTSD (R11), Y9; \
	VBROADCASTSD 8(R11), Y10; \
	VBROADCASTSD 16(R11), Y11; \
	VBROADCASTSD 24(R11), Y12; \
	VBROADCASTSD 32(R11), Y13; \
	VBROADCASTSD 40(R11), Y14; \
	VBROADCASTSD 48(R11), Y15

// func AdamRowsAVX2(w, grad, m, v *float64, n int, c *[7]float64)
//
// AdamRows for n a multiple of 4, four lanes at a time, the same
// operations in the same order (no fused multiply-add).
TEXT ·AdamRowsAVX2(SB), NOSPLIT, $0-48
	ADAM_ARGS
	A2_ADAM_C7
	XORQ CX, CX
	TESTQ BX, BX
	JE a2done
a2loop:
	VMOVUPD (SI)(CX*8), Y0
	VMOVUPD (R8)(CX*8), Y1
	VMOVUPD (R9)(CX*8), Y2
	ADAM_MV(Y0, Y1, Y2, Y9, Y10, Y11, Y12, Y3, Y4)
	VMOVUPD Y1, (R8)(CX*8)
	VMOVUPD Y2, (R9)(CX*8)
	ADAM_STEP(Y1, Y2, Y13, Y14, Y15, Y5, Y6)
	VMOVUPD (DI)(CX*8), Y7
	VSUBPD Y6, Y7, Y7
	VMOVUPD Y7, (DI)(CX*8)
	ADDQ $4, CX
	CMPQ CX, BX
	JLT a2loop
a2done:
	VZEROUPPER
	RET

// func ActAVX2(z, s, ds *float64, n int, q int)
//
// Act for n a multiple of 4: the same operations, the lanes where z ≤ 0
// cleared by a compare mask (+0, as Act's zeroing masks give).
TEXT ·ActAVX2(SB), NOSPLIT, $0-40
	MOVQ z+0(FP), SI
	MOVQ s+8(FP), DI
	MOVQ ds+16(FP), DX
	MOVQ n+24(FP), BX
	MOVQ q+32(FP), R8
	VXORPD Y10, Y10, Y10
	MOVQ $0x3ff0000000000000, R9
	MOVQ R9, X11
	VPBROADCASTQ X11, Y11
	CVTSQ2SD R8, X12
	VBROADCASTSD X12, Y12
	DECQ R8
	XORQ CX, CX
	TESTQ BX, BX
	JE a2actdone
a2actloop:
	VMOVUPD (SI)(CX*8), Y0
	VCMPPD $0x16, Y10, Y0, Y1
	VMOVUPD Y11, Y2
	VMOVUPD Y0, Y5
	MOVQ R8, R9
	TESTQ R9, R9
	JE a2actpow
a2actsq:
	TESTQ $1, R9
	JE a2actskip
	VMULPD Y5, Y2, Y2
a2actskip:
	SHRQ $1, R9
	JE a2actpow
	VMULPD Y5, Y5, Y5
	JMP a2actsq
a2actpow:
	VMULPD Y0, Y2, Y3
	VMULPD Y12, Y2, Y4
	VANDPD Y1, Y3, Y3
	VANDPD Y1, Y4, Y4
	VMOVUPD Y3, (DI)(CX*8)
	VMOVUPD Y4, (DX)(CX*8)
	ADDQ $4, CX
	CMPQ CX, BX
	JLT a2actloop
a2actdone:
	VZEROUPPER
	RET

// A2_ADAM is AdamDecayRows' update of 4 lanes: Y0 = g, Y7 = w in; m and v
// loaded from R8 and R9 at CX and stored back, w left in Y7. Constants:
// Y9 = β₁, Y10 = 1−β₁, Y11 = β₂, Y12 = 1−β₂, Y13 = step, Y14 = rbc2,
// Y15 = ε; shrink and the exponent mask from c (R11). Lanes whose g has an
// exponent field of all ones (±Inf, NaN) set all bits of Y8's lane.
#define A2_ADAM \
	VBROADCASTSD 72(R11), Y4; \
	VANDPD Y0, Y4, Y3; \
	VPCMPEQQ Y4, Y3, Y3; \
	VPOR Y3, Y8, Y8; \
	VMOVUPD (R8)(CX*8), Y1; \
	VMOVUPD (R9)(CX*8), Y2; \
	ADAM_MV(Y0, Y1, Y2, Y9, Y10, Y11, Y12, Y3, Y4); \
	ADAM_STEP(Y1, Y2, Y13, Y14, Y15, Y5, Y6); \
	VBROADCASTSD 64(R11), Y4; \
	VMULPD Y4, Y7, Y7; \
	VSUBPD Y6, Y7, Y7; \
	VMOVUPD Y1, (R8)(CX*8); \
	VMOVUPD Y2, (R9)(CX*8); \
	VMOVUPD Y7, (DI)(CX*8)

// func AdamDecayAVX2(w, grad, m, v *float64, n int, c *[10]float64, bad *[4]uint64)
//
// AdamDecayRows' update of n (a multiple of 4) contiguous weights whose
// gradient is grad's, or λ·w (λ = c[7]) when grad is nil; c = (β₁, 1−β₁,
// β₂, 1−β₂, step, rbc2, ε, λ, shrink, exponent mask). bad's lanes are
// OR-ed with all ones where a gradient entry was ±Inf or NaN.
TEXT ·AdamDecayAVX2(SB), NOSPLIT, $0-56
	ADAM_ARGS
	MOVQ bad+48(FP), R12
	A2_ADAM_C7
	VMOVDQU (R12), Y8
	XORQ CX, CX
	TESTQ BX, BX
	JE addone2
	TESTQ SI, SI
	JE adlam
adgrad:
	VMOVUPD (SI)(CX*8), Y0
	VMOVUPD (DI)(CX*8), Y7
	A2_ADAM
	ADDQ $4, CX
	CMPQ CX, BX
	JLT adgrad
	JMP addone2
adlam:
	VMOVUPD (DI)(CX*8), Y7
	VBROADCASTSD 56(R11), Y0
	VMULPD Y7, Y0, Y0
	A2_ADAM
	ADDQ $4, CX
	CMPQ CX, BX
	JLT adlam
addone2:
	VMOVDQU Y8, (R12)
	VZEROUPPER
	RET
