//go:build arm64 && !purego

#include "textflag.h"

// The NEON kernels: the AVX2 kernels' operations on 2-lane Q registers, in
// the same order column by column, so that every result is the bits the
// AVX2 and AVX-512 kernels (and the exact Go model of kernel_test.go)
// compute. A block of 20 columns is ten registers per FMA chain: V0–V9 the
// even entries' chain, V10–V19 the odd entries', V20/V21 the broadcast
// values, V22–V31 the row being added.
//
// Go's assembler has no vector FADD, FMUL, FDIV, FSQRT, FABS, FCMLE or BIC;
// they are emitted as WORDs (encodings checked with llvm-mc, and by the
// tests, which compare every result bit for bit with a Go model).

// Vd.2D = Vn.2D + Vm.2D, and the like.
#define FADD2D(m, n, d) WORD $(0x4E60D400 | ((m)<<16) | ((n)<<5) | (d))
#define FSUB2D(m, n, d) WORD $(0x4EE0D400 | ((m)<<16) | ((n)<<5) | (d))
#define FMUL2D(m, n, d) WORD $(0x6E60DC00 | ((m)<<16) | ((n)<<5) | (d))
#define FDIV2D(m, n, d) WORD $(0x6E60FC00 | ((m)<<16) | ((n)<<5) | (d))
#define FSQRT2D(n, d) WORD $(0x6EE1F800 | ((n)<<5) | (d))
#define FABS2D(n, d) WORD $(0x4EE0F800 | ((n)<<5) | (d))
// Vd.2D = all ones where Vn.2D ≤ 0 (false for NaN).
#define FCMLEZ2D(n, d) WORD $(0x6EE0D800 | ((n)<<5) | (d))
// Vd = Vn AND NOT Vm.
#define BIC16B(m, n, d) WORD $(0x4E601C00 | ((m)<<16) | ((n)<<5) | (d))

// Argument loads shared by the kernels below (here, before every TEXT, so
// that go vet's frame check does not read them as one function's).
// N_ROWS_ARGS (SumRows*): R0 = dst, R1 = w, R2 = idx, R3 = val, R4 = n,
// R5 = stride.
#define N_ROWS_ARGS \
	MOVD dst+0(FP), R0; \
	MOVD w+8(FP), R1; \
	MOVD idx+16(FP), R2; \
	MOVD val+24(FP), R3; \
	MOVD n+32(FP), R4; \
	MOVD stride+40(FP), R5

// N_GRAD_ARGS (GradRows*): R0 = grad, R9 = w, R1 = dz, R2 = rows,
// R3 = vals, R4 = n, R5 = stride, V20 = λ in both lanes (R10 clobbered).
#define N_GRAD_ARGS \
	MOVD grad+0(FP), R0; \
	MOVD w+8(FP), R9; \
	MOVD dz+16(FP), R1; \
	MOVD rows+24(FP), R2; \
	MOVD vals+32(FP), R3; \
	MOVD n+40(FP), R4; \
	MOVD stride+48(FP), R5; \
	MOVD $lambda+56(FP), R10; \
	VLD1R (R10), [V20.D2]

// N_ADAM_ARGS (AdamRowsNEON, AdamDecayNEON): R0 = w, R1 = grad, R2 = m,
// R3 = v, R4 = n, R5 = c; N_ADAM_C6 then broadcasts c[0:6] into V9–V14
// (R5 advanced past them).
#define N_ADAM_ARGS \
	MOVD w+0(FP), R0; \
	MOVD grad+8(FP), R1; \
	MOVD m+16(FP), R2; \
	MOVD v+24(FP), R3; \
	MOVD n+32(FP), R4; \
	MOVD c+40(FP), R5

#define N_ADAM_C6 \
	VLD1R.P 8(R5), [V9.D2]; \
	VLD1R.P 8(R5), [V10.D2]; \
	VLD1R.P 8(R5), [V11.D2]; \
	VLD1R.P 8(R5), [V12.D2]; \
	VLD1R.P 8(R5), [V13.D2]; \
	VLD1R.P 8(R5), [V14.D2]

// LOAD20(r) loads the 20 float64s at r into V22–V31.
#define LOAD20(r) \
	FLDPQ (r), (F22, F23); \
	FLDPQ 32(r), (F24, F25); \
	FLDPQ 64(r), (F26, F27); \
	FLDPQ 96(r), (F28, F29); \
	FLDPQ 128(r), (F30, F31)

// FMA20A adds V20 × V22–V31 into V0–V9, FMA20B V21 × V22–V31 into V10–V19.
#define FMA20A \
	VFMLA V20.D2, V22.D2, V0.D2; \
	VFMLA V20.D2, V23.D2, V1.D2; \
	VFMLA V20.D2, V24.D2, V2.D2; \
	VFMLA V20.D2, V25.D2, V3.D2; \
	VFMLA V20.D2, V26.D2, V4.D2; \
	VFMLA V20.D2, V27.D2, V5.D2; \
	VFMLA V20.D2, V28.D2, V6.D2; \
	VFMLA V20.D2, V29.D2, V7.D2; \
	VFMLA V20.D2, V30.D2, V8.D2; \
	VFMLA V20.D2, V31.D2, V9.D2
#define FMA20B \
	VFMLA V21.D2, V22.D2, V10.D2; \
	VFMLA V21.D2, V23.D2, V11.D2; \
	VFMLA V21.D2, V24.D2, V12.D2; \
	VFMLA V21.D2, V25.D2, V13.D2; \
	VFMLA V21.D2, V26.D2, V14.D2; \
	VFMLA V21.D2, V27.D2, V15.D2; \
	VFMLA V21.D2, V28.D2, V16.D2; \
	VFMLA V21.D2, V29.D2, V17.D2; \
	VFMLA V21.D2, V30.D2, V18.D2; \
	VFMLA V21.D2, V31.D2, V19.D2

// The pair loops of N20_LOOP and N4_LOOP (R1 = base of the rows, R2 = row
// indices, R3 = values, R4 = n, R5 = stride; R6 counts the pairs down).
// N_PAIRS_START jumps to tail when there is no pair, else at pair sets
// R7, R8 to the rows of the next two entries and V20, V21 to their values
// (R2, R3 advanced). N_PAIRS_NEXT goes back to pair while a pair is left,
// then at tail jumps to sum when n is even, else sets R7 to the last
// entry's row and V20 to its value.
#define N_PAIRS_START(pair, tail) \
	AND $-2, R4, R6; \
	CBZ R6, tail; \
pair: \
	LDPSW (R2), (R7, R8); \
	ADD $8, R2; \
	MADD R5, R1, R7, R7; \
	MADD R5, R1, R8, R8; \
	VLD1R.P 8(R3), [V20.D2]; \
	VLD1R.P 8(R3), [V21.D2]

#define N_PAIRS_NEXT(pair, tail, sum) \
	SUBS $2, R6, R6; \
	BNE pair; \
tail: \
	TBZ $0, R4, sum; \
	MOVW (R2), R7; \
	MADD R5, R1, R7, R7; \
	VLD1R (R3), [V20.D2]

// N20_LOOP runs the entries through the two chains and folds the odd
// chain into the even one: R1 = base of the rows, R2 = indices, R3 =
// values, R4 = n, R5 = row stride in bytes. Labels are passed in so that
// each kernel has its own.
#define N20_LOOP(pair, tail, sum) \
	VEOR V10.B16, V10.B16, V10.B16; \
	VEOR V11.B16, V11.B16, V11.B16; \
	VEOR V12.B16, V12.B16, V12.B16; \
	VEOR V13.B16, V13.B16, V13.B16; \
	VEOR V14.B16, V14.B16, V14.B16; \
	VEOR V15.B16, V15.B16, V15.B16; \
	VEOR V16.B16, V16.B16, V16.B16; \
	VEOR V17.B16, V17.B16, V17.B16; \
	VEOR V18.B16, V18.B16, V18.B16; \
	VEOR V19.B16, V19.B16, V19.B16; \
	N_PAIRS_START(pair, tail); \
	LOAD20(R7); \
	FMA20A; \
	LOAD20(R8); \
	FMA20B; \
	N_PAIRS_NEXT(pair, tail, sum); \
	LOAD20(R7); \
	FMA20A; \
sum: \
	FADD2D(10, 0, 0); \
	FADD2D(11, 1, 1); \
	FADD2D(12, 2, 2); \
	FADD2D(13, 3, 3); \
	FADD2D(14, 4, 4); \
	FADD2D(15, 5, 5); \
	FADD2D(16, 6, 6); \
	FADD2D(17, 7, 7); \
	FADD2D(18, 8, 8); \
	FADD2D(19, 9, 9)

// STORE20(r) stores V0–V9 to the 20 float64s at r.
#define STORE20(r) \
	FSTPQ (F0, F1), (r); \
	FSTPQ (F2, F3), 32(r); \
	FSTPQ (F4, F5), 64(r); \
	FSTPQ (F6, F7), 96(r); \
	FSTPQ (F8, F9), 128(r)

// func SumRows20NEON(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)
TEXT ·SumRows20NEON(SB), NOSPLIT, $0-48
	N_ROWS_ARGS
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	N20_LOOP(s20pair, s20tail, s20sum)
	STORE20(R0)
	RET

// N4_LOOP is N20_LOOP for 4 columns: chains V0–V1 and V2–V3, rows in
// V22–V23 and V24–V25.
#define N4_LOOP(pair, tail, sum) \
	VEOR V2.B16, V2.B16, V2.B16; \
	VEOR V3.B16, V3.B16, V3.B16; \
	N_PAIRS_START(pair, tail); \
	FLDPQ (R7), (F22, F23); \
	FLDPQ (R8), (F24, F25); \
	VFMLA V20.D2, V22.D2, V0.D2; \
	VFMLA V20.D2, V23.D2, V1.D2; \
	VFMLA V21.D2, V24.D2, V2.D2; \
	VFMLA V21.D2, V25.D2, V3.D2; \
	N_PAIRS_NEXT(pair, tail, sum); \
	FLDPQ (R7), (F22, F23); \
	VFMLA V20.D2, V22.D2, V0.D2; \
	VFMLA V20.D2, V23.D2, V1.D2; \
sum: \
	FADD2D(2, 0, 0); \
	FADD2D(3, 1, 1)

// func SumRows4NEON(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)
TEXT ·SumRows4NEON(SB), NOSPLIT, $0-48
	N_ROWS_ARGS
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	N4_LOOP(s4pair, s4tail, s4sum)
	FSTPQ (F0, F1), (R0)
	RET

// func GradRows20NEON(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, accA *float64, accB *float64)
TEXT ·GradRows20NEON(SB), NOSPLIT, $0-80
	N_GRAD_ARGS
	MOVD accA+64(FP), R11
	MOVD accB+72(FP), R12
	// the even chain starts at λ·w
	LOAD20(R9)
	FMUL2D(20, 22, 0)
	FMUL2D(20, 23, 1)
	FMUL2D(20, 24, 2)
	FMUL2D(20, 25, 3)
	FMUL2D(20, 26, 4)
	FMUL2D(20, 27, 5)
	FMUL2D(20, 28, 6)
	FMUL2D(20, 29, 7)
	FMUL2D(20, 30, 8)
	FMUL2D(20, 31, 9)
	N20_LOOP(g20pair, g20tail, g20sum)
	STORE20(R0)
	// w²: 4-column chunks 0, 2, 4 into accA[0:4] (V10–V11), 1, 3 into
	// accB[0:4] (V12–V13), in that order
	LOAD20(R9)
	FLDPQ (R11), (F10, F11)
	FLDPQ (R12), (F12, F13)
	VFMLA V22.D2, V22.D2, V10.D2
	VFMLA V23.D2, V23.D2, V11.D2
	VFMLA V24.D2, V24.D2, V12.D2
	VFMLA V25.D2, V25.D2, V13.D2
	VFMLA V26.D2, V26.D2, V10.D2
	VFMLA V27.D2, V27.D2, V11.D2
	VFMLA V28.D2, V28.D2, V12.D2
	VFMLA V29.D2, V29.D2, V13.D2
	VFMLA V30.D2, V30.D2, V10.D2
	VFMLA V31.D2, V31.D2, V11.D2
	FSTPQ (F10, F11), (R11)
	FSTPQ (F12, F13), (R12)
	// g² into acc[16:20]
	FLDPQ 128(R11), (F10, F11)
	FLDPQ 128(R12), (F12, F13)
	VFMLA V0.D2, V0.D2, V10.D2
	VFMLA V1.D2, V1.D2, V11.D2
	VFMLA V2.D2, V2.D2, V12.D2
	VFMLA V3.D2, V3.D2, V13.D2
	VFMLA V4.D2, V4.D2, V10.D2
	VFMLA V5.D2, V5.D2, V11.D2
	VFMLA V6.D2, V6.D2, V12.D2
	VFMLA V7.D2, V7.D2, V13.D2
	VFMLA V8.D2, V8.D2, V10.D2
	VFMLA V9.D2, V9.D2, V11.D2
	FSTPQ (F10, F11), 128(R11)
	FSTPQ (F12, F13), 128(R12)
	// |g| into acc[8:12]
	FLDPQ 64(R11), (F10, F11)
	FLDPQ 64(R12), (F12, F13)
	FABS2D(0, 0)
	FABS2D(1, 1)
	FABS2D(2, 2)
	FABS2D(3, 3)
	FABS2D(4, 4)
	FABS2D(5, 5)
	FABS2D(6, 6)
	FABS2D(7, 7)
	FABS2D(8, 8)
	FABS2D(9, 9)
	FADD2D(0, 10, 10)
	FADD2D(1, 11, 11)
	FADD2D(2, 12, 12)
	FADD2D(3, 13, 13)
	FADD2D(4, 10, 10)
	FADD2D(5, 11, 11)
	FADD2D(6, 12, 12)
	FADD2D(7, 13, 13)
	FADD2D(8, 10, 10)
	FADD2D(9, 11, 11)
	FSTPQ (F10, F11), 64(R11)
	FSTPQ (F12, F13), 64(R12)
	RET

// func GradRows4NEON(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *float64)
TEXT ·GradRows4NEON(SB), NOSPLIT, $0-72
	N_GRAD_ARGS
	MOVD acc+64(FP), R11
	FLDPQ (R9), (F26, F27)
	FMUL2D(20, 26, 0)
	FMUL2D(20, 27, 1)
	N4_LOOP(g4pair, g4tail, g4sum)
	FSTPQ (F0, F1), (R0)
	FLDPQ (R11), (F10, F11)
	VFMLA V26.D2, V26.D2, V10.D2
	VFMLA V27.D2, V27.D2, V11.D2
	FSTPQ (F10, F11), (R11)
	FLDPQ 128(R11), (F10, F11)
	VFMLA V0.D2, V0.D2, V10.D2
	VFMLA V1.D2, V1.D2, V11.D2
	FSTPQ (F10, F11), 128(R11)
	FLDPQ 64(R11), (F10, F11)
	FABS2D(0, 0)
	FABS2D(1, 1)
	FADD2D(0, 10, 10)
	FADD2D(1, 11, 11)
	FSTPQ (F10, F11), 64(R11)
	RET

// N_ADAM_MV is Adam's update of m and v and the step of 2 lanes: V0 = g
// in; m and v loaded from R2 and R3, updated and stored back (both
// advanced); V6 = step·m/(√v·rbc2 + ε) out. Constants: V9 = β₁,
// V10 = 1−β₁, V11 = β₂, V12 = 1−β₂, V13 = step, V14 = rbc2, V15 = ε.
#define N_ADAM_MV \
	VLD1 (R2), [V1.D2]; \
	VLD1 (R3), [V2.D2]; \
	FMUL2D(9, 1, 1); \
	FMUL2D(10, 0, 3); \
	FADD2D(3, 1, 1); \
	FMUL2D(11, 2, 2); \
	FMUL2D(12, 0, 4); \
	FMUL2D(0, 4, 4); \
	FADD2D(4, 2, 2); \
	VST1.P [V1.D2], 16(R2); \
	VST1.P [V2.D2], 16(R3); \
	FSQRT2D(2, 5); \
	FMUL2D(14, 5, 5); \
	FADD2D(15, 5, 5); \
	FMUL2D(13, 1, 6); \
	FDIV2D(5, 6, 6)

// func AdamRowsNEON(w, grad, m, v *float64, n int, c *[7]float64)
//
// AdamRows for n a multiple of 2, two lanes at a time, the same
// operations in the same order (no fused multiply-add).
TEXT ·AdamRowsNEON(SB), NOSPLIT, $0-48
	N_ADAM_ARGS
	N_ADAM_C6
	VLD1R (R5), [V15.D2]
	LSR $1, R4, R4
	CBZ R4, nadone
naloop:
	VLD1.P 16(R1), [V0.D2]
	N_ADAM_MV
	VLD1 (R0), [V7.D2]
	FSUB2D(6, 7, 7)
	VST1.P [V7.D2], 16(R0)
	SUBS $1, R4, R4
	BNE naloop
nadone:
	RET

// func ActNEON(z, s, ds *float64, n int, q int)
//
// Act for n a multiple of 2: the same operations, the lanes where z ≤ 0
// cleared (+0) by a compare mask; NaN compares false and stays NaN.
TEXT ·ActNEON(SB), NOSPLIT, $0-40
	MOVD z+0(FP), R0
	MOVD s+8(FP), R1
	MOVD ds+16(FP), R2
	MOVD n+24(FP), R4
	MOVD q+32(FP), R8
	FMOVD $1.0, F11
	VDUP V11.D[0], V11.D2
	SCVTFD R8, F12
	VDUP V12.D[0], V12.D2
	SUB $1, R8, R8
	LSR $1, R4, R4
	CBZ R4, nactdone
nactloop:
	VLD1.P 16(R0), [V0.D2]
	FCMLEZ2D(0, 1)
	VORR V11.B16, V11.B16, V2.B16
	VORR V0.B16, V0.B16, V5.B16
	MOVD R8, R9
	CBZ R9, nactpow
nactsq:
	TBZ $0, R9, nactskip
	FMUL2D(5, 2, 2)
nactskip:
	LSR $1, R9, R9
	CBZ R9, nactpow
	FMUL2D(5, 5, 5)
	B nactsq
nactpow:
	FMUL2D(0, 2, 3)
	FMUL2D(2, 12, 4)
	BIC16B(1, 3, 3)
	BIC16B(1, 4, 4)
	VST1.P [V3.D2], 16(R1)
	VST1.P [V4.D2], 16(R2)
	SUBS $1, R4, R4
	BNE nactloop
nactdone:
	RET

// Vd.2D = all ones where the 64-bit lanes of Vn and Vm are equal.
#define CMEQ2D(m, n, d) WORD $(0x6EE08C00 | ((m)<<16) | ((n)<<5) | (d))

// N_ADAM is AdamDecayRows' update of 2 lanes: V0 = g, V7 = w in; m and v
// updated by N_ADAM_MV, w·shrink − step stored at R0 (advanced).
// Constants: N_ADAM_MV's, V17 = shrink, V18 = the exponent mask.
// Lanes whose g has an exponent field of all ones (±Inf, NaN) set all
// bits of V8's lane.
#define N_ADAM \
	VAND V0.B16, V18.B16, V3.B16; \
	CMEQ2D(18, 3, 3); \
	VORR V3.B16, V8.B16, V8.B16; \
	N_ADAM_MV; \
	FMUL2D(17, 7, 7); \
	FSUB2D(6, 7, 7); \
	VST1.P [V7.D2], 16(R0)

// func AdamDecayNEON(w, grad, m, v *float64, n int, c *[10]float64, bad *[4]uint64)
//
// AdamDecayAVX2 for n a multiple of 2: the update of n contiguous weights
// whose gradient is grad's, or λ·w (λ = c[7]) when grad is nil; bad[0:2]
// are OR-ed with all ones where a gradient entry in that lane (index mod
// 2) was ±Inf or NaN.
TEXT ·AdamDecayNEON(SB), NOSPLIT, $0-56
	N_ADAM_ARGS
	MOVD bad+48(FP), R6
	N_ADAM_C6
	VLD1R.P 8(R5), [V15.D2]
	VLD1R.P 8(R5), [V16.D2]
	VLD1R.P 8(R5), [V17.D2]
	VLD1R (R5), [V18.D2]
	VLD1 (R6), [V8.D2]
	LSR $1, R4, R4
	CBZ R4, nddone
	CBZ R1, ndlam
ndgrad:
	VLD1.P 16(R1), [V0.D2]
	VLD1 (R0), [V7.D2]
	N_ADAM
	SUBS $1, R4, R4
	BNE ndgrad
	B nddone
ndlam:
	VLD1 (R0), [V7.D2]
	FMUL2D(7, 16, 0)
	N_ADAM
	SUBS $1, R4, R4
	BNE ndlam
nddone:
	VST1 [V8.D2], (R6)
	RET
