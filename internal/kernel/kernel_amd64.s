//go:build amd64 && !purego

#include "textflag.h"
#include "rows_amd64.h"

// ADAM_ROWS_ARGS loads the arguments of AdamRows and AdamRowsRoot: DI = w,
// SI = grad, R8 = m, R9 = v, BX = n, Z10–Z16 = c. (Here, before every TEXT,
// so that go vet's frame check does not read it as another function's.)
#define ADAM_ROWS_ARGS \
	ADAM_ARGS; \
	VBROADCASTSD (R11), Z10; \
	VBROADCASTSD 8(R11), Z11; \
	VBROADCASTSD 16(R11), Z12; \
	VBROADCASTSD 24(R11), Z13; \
	VBROADCASTSD 32(R11), Z14; \
	VBROADCASTSD 40(R11), Z15; \
	VBROADCASTSD 48(R11), Z16

// The row sums of SumRows40 and GradRows40 share these steps. Registers:
// DX = row indices, SI = values, DI = base of the rows, R10 = row stride in
// bytes, CX = entry; Z0–Z4 accumulate even entries, Z16–Z20 odd ones (two
// chains halve the FMA latency), Z5/Z6 hold the broadcast values.

// ROWS40_PAIR adds entries CX and CX+1.
#define ROWS40_PAIR \
	ROW_ENTRY2(Z5, Z6); \
	ROW40_FMA(R9, Z5, Z0, Z1, Z2, Z3, Z4); \
	ROW40_FMA(R13, Z6, Z16, Z17, Z18, Z19, Z20)

// ROWS40_ONE adds entry CX into Z0–Z4.
#define ROWS40_ONE \
	ROW_ENTRY1(Z5); \
	ROW40_FMA(R9, Z5, Z0, Z1, Z2, Z3, Z4)

// ROWS40_ZERO_ODD clears the odd-entry accumulators.
#define ROWS40_ZERO_ODD \
	VPXORQ Z16, Z16, Z16; \
	VPXORQ Z17, Z17, Z17; \
	VPXORQ Z18, Z18, Z18; \
	VPXORQ Z19, Z19, Z19; \
	VPXORQ Z20, Z20, Z20

// ROWS40_FOLD adds the odd-entry accumulators into Z0–Z4.
#define ROWS40_FOLD \
	VADDPD Z16, Z0, Z0; \
	VADDPD Z17, Z1, Z1; \
	VADDPD Z18, Z2, Z2; \
	VADDPD Z19, Z3, Z3; \
	VADDPD Z20, Z4, Z4

// ROWS40_INIT zeroes both accumulator sets and the entry counter CX.
#define ROWS40_INIT \
	ZERO40; \
	XORQ CX, CX; \
	ROWS40_ZERO_ODD

// The GradRows kernels (GradRows40, GradRows40M, GradRows8) share these.
// GRAD_ROWS_ARGS loads their common arguments (GRAD_ARGS, λ in Z6) and
// R11 = acc.
#define GRAD_ROWS_ARGS \
	GRAD_ARGS(Z6); \
	MOVQ acc+64(FP), R11

// GRAD40_DECAY starts g = λ·w (w in Z10–Z14) in Z0–Z4 and zeroes CX and the
// odd-entry accumulators.
#define GRAD40_DECAY \
	SCALE40(Z6, Z10, Z11, Z12, Z13, Z14); \
	XORQ CX, CX; \
	ROWS40_ZERO_ODD

// GRAD40_ACC adds to acc (R11) Σ w² (acc[0:8], w in Z10–Z14), Σ g²
// (acc[16:24]) and Σ |g| (acc[8:16], clearing the sign bits of Z0–Z4);
// clobbers Z7–Z9 and R12.
#define GRAD40_ACC \
	VMOVUPD (R11), Z7; \
	VFMADD231PD Z10, Z10, Z7; \
	VFMADD231PD Z11, Z11, Z7; \
	VFMADD231PD Z12, Z12, Z7; \
	VFMADD231PD Z13, Z13, Z7; \
	VFMADD231PD Z14, Z14, Z7; \
	VMOVUPD Z7, (R11); \
	VMOVUPD 128(R11), Z8; \
	VFMADD231PD Z0, Z0, Z8; \
	VFMADD231PD Z1, Z1, Z8; \
	VFMADD231PD Z2, Z2, Z8; \
	VFMADD231PD Z3, Z3, Z8; \
	VFMADD231PD Z4, Z4, Z8; \
	VMOVUPD Z8, 128(R11); \
	MOVQ $0x7fffffffffffffff, R12; \
	VPBROADCASTQ R12, Z9; \
	VPANDQ Z9, Z0, Z0; \
	VPANDQ Z9, Z1, Z1; \
	VPANDQ Z9, Z2, Z2; \
	VPANDQ Z9, Z3, Z3; \
	VPANDQ Z9, Z4, Z4; \
	VMOVUPD 64(R11), Z7; \
	VADDPD Z0, Z7, Z7; \
	VADDPD Z1, Z7, Z7; \
	VADDPD Z2, Z7, Z7; \
	VADDPD Z3, Z7, Z7; \
	VADDPD Z4, Z7, Z7; \
	VMOVUPD Z7, 64(R11)

// ROWS8_LOOP sums the entries' rows of 8 lanes under mask K1 (masked-off
// lanes are not read): even entries into Z0 (value in Z5, row in T0), odd
// ones into Z1 (value in B1, row in T1), folded into Z0.
#define ROWS8_LOOP(B1, T0, T1, pair, tail, sum) \
	PAIRS_START(tail); \
pair: \
	ROW_ENTRY2(Z5, B1); \
	VMOVUPD.Z (R9), K1, T0; \
	VMOVUPD.Z (R13), K1, T1; \
	VFMADD231PD T0, Z5, Z0; \
	VFMADD231PD T1, B1, Z1; \
	PAIRS_NEXT(pair, tail, sum); \
	ROW_ENTRY1(Z5); \
	VMOVUPD.Z (R9), K1, T0; \
	VFMADD231PD T0, Z5, Z0; \
sum: \
	VADDPD Z1, Z0, Z0

// ROWS40_LOOP runs the entries (BX of them, from CX = 0) two at a time
// through the two sets of accumulators (Z0–Z4 for even entries, Z16–Z20
// for odd ones: two chains halve the FMA latency), then the odd one, and
// folds the sets; ROWS40M_LOOP the same with ROWS40M_PAIR and ROWS40M_ONE.
// Labels are passed in so that each kernel has its own.
#define ROWS40_LOOP(pair, tail, sum) \
	PAIRS_SPLIT(tail); \
pair: \
	ROWS40_PAIR; \
	PAIRS_NEXT(pair, tail, sum); \
	ROWS40_ONE; \
sum: \
	ROWS40_FOLD

// func SumRows40(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)
//
// dst[0:40] = Σ_{e<n} val[e] · w[idx[e]·stride/8 : +40], stride in bytes.
// Five ZMM accumulators hold the 40 columns; needs AVX-512F.
TEXT ·SumRows40(SB), NOSPLIT, $0-48
	ROWS_ARGS
	ROWS40_INIT
	ROWS40_LOOP(pair, tail, sum)
	STORE40(AX)
	VZEROUPPER
	RET

// func GradRows40(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64)
//
// g[0:40] = λ·w[0:40] + Σ_{e<n} vals[e] · dz[rows[e]·stride/8 : +40], and
// acc[0:8] += w², acc[8:16] += |g|, acc[16:24] += g² lane-wise.
TEXT ·GradRows40(SB), NOSPLIT, $0-72
	GRAD_ROWS_ARGS
	LOAD40(R8, Z10, Z11, Z12, Z13, Z14)
	GRAD40_DECAY
	ROWS40_LOOP(gpair, gtail, gsum)
	STORE40(AX)
	GRAD40_ACC
	VZEROUPPER
	RET

// AdamRows and AdamRowsRoot share their arguments (ADAM_ROWS_ARGS, at the
// top of the file), the update of m and v (Z1, Z2, stored) and that of w
// from √v in Z5.
#define ADAM_ROWS_MV \
	VMOVUPD (SI)(CX*8), Z0; \
	VMOVUPD (R8)(CX*8), Z1; \
	VMOVUPD (R9)(CX*8), Z2; \
	ADAM_MV(Z0, Z1, Z2, Z10, Z11, Z12, Z13, Z3, Z4); \
	VMOVUPD Z1, (R8)(CX*8); \
	VMOVUPD Z2, (R9)(CX*8)

#define ADAM_ROWS_W \
	VMULPD Z15, Z5, Z5; \
	VADDPD Z16, Z5, Z5; \
	VMULPD Z14, Z1, Z6; \
	VDIVPD Z5, Z6, Z6; \
	VMOVUPD (DI)(CX*8), Z7; \
	VSUBPD Z6, Z7, Z7; \
	VMOVUPD Z7, (DI)(CX*8)

// func AdamRows(w, grad, m, v *float64, n int, c *[7]float64)
//
// For i < n (a multiple of 8), with c = (b1, 1−b1, b2, 1−b2, step, rbc2, eps):
// m ← b1·m + (1−b1)·g, v ← b2·v + (1−b2)·g², w ← w − step·m/(√v·rbc2 + eps).
TEXT ·AdamRows(SB), NOSPLIT, $0-48
	ADAM_ROWS_ARGS
	XORQ CX, CX
	TESTQ BX, BX
	JE adone
aloop:
	ADAM_ROWS_MV
	VSQRTPD Z2, Z5
	ADAM_ROWS_W
	ADDQ $8, CX
	CMPQ CX, BX
	JLT aloop
adone:
	VZEROUPPER
	RET

// ADAM_ROOT sets S = √V for AdamRowsRoot, where V ≥ 0 (V is kept; T1–T3
// are clobbered; MAXF holds MaxFloat64 in every lane). Not VSQRTPD, whose
// throughput bounds AdamRows, but VRSQRT14PD's y ≈ 1/√v (relative error
// < 2⁻¹⁴) refined to double precision: s = v·y, e = 1 − s·y and
// √v ≈ s + s·e·(1/2 + e·(3/8 + e·5/16)), the series of s/√(1−e) truncated
// after e³ (a relative error below 2⁻⁵⁷ before the roundings): the exact
// root in most lanes, an ulp or two from it elsewhere (TestAdamRowsRoot).
// v is clamped to MaxFloat64 first (v = +Inf, where g² overflowed, gives
// √v ≈ 2^512 instead of +Inf: an update step·m/(2^512·rbc2) where the
// exact one is 0, which leaves w unchanged unless |w| < |step·m|·2⁻⁴⁶⁰)
// and y to 2^600 (y of 0 is +Inf; that of the least subnormal is below
// 2^538), so that √0 = 0 exactly; a NaN stays NaN.
#define ADAM_ROOT(V, S, T1, T2, T3, MAXF) \
	VMINPD V, MAXF, T1; \
	VRSQRT14PD T1, S; \
	VMINPD.BCST adamroot<>+0(SB), S, S; \
	VMULPD S, T1, T2; \
	VBROADCASTSD adamroot<>+8(SB), T3; \
	VFNMADD231PD T2, S, T3; \
	VBROADCASTSD adamroot<>+24(SB), S; \
	VFMADD231PD.BCST adamroot<>+16(SB), T3, S; \
	VFMADD213PD.BCST adamroot<>+32(SB), T3, S; \
	VMULPD T3, T2, T3; \
	VFMADD213PD T2, T3, S

// The constants of ADAM_ROOT: 2^600, 1, 5/16, 3/8, 1/2.
DATA adamroot<>+0(SB)/8, $0x6570000000000000
DATA adamroot<>+8(SB)/8, $0x3ff0000000000000
DATA adamroot<>+16(SB)/8, $0x3fd4000000000000
DATA adamroot<>+24(SB)/8, $0x3fd8000000000000
DATA adamroot<>+32(SB)/8, $0x3fe0000000000000
GLOBL adamroot<>(SB), RODATA|NOPTR, $40

// func AdamRowsRoot(w, grad, m, v *float64, n int, c *[7]float64)
//
// AdamRows with √v by ADAM_ROOT instead of VSQRTPD.
TEXT ·AdamRowsRoot(SB), NOSPLIT, $0-48
	ADAM_ROWS_ARGS
	MOVQ $0x7fefffffffffffff, AX
	VPBROADCASTQ AX, Z19
	XORQ CX, CX
	TESTQ BX, BX
	JE rdone
rloop:
	ADAM_ROWS_MV
	ADAM_ROOT(Z2, Z5, Z20, Z8, Z9, Z19)
	ADAM_ROWS_W
	ADDQ $8, CX
	CMPQ CX, BX
	JLT rloop
rdone:
	VZEROUPPER
	RET

// ROWS40M_PAIR and ROWS40M_ONE are ROWS40_PAIR and ROWS40_ONE with chunk j
// of the block read and accumulated only in the lanes of mask Kj+1 (merge
// masking: the other lanes keep their value, and masked-off memory is not
// read).
#define ROWS40M_PAIR \
	ROW_ENTRY2(Z5, Z6); \
	ROW40_FMAM(R9, Z5, Z0, Z1, Z2, Z3, Z4); \
	ROW40_FMAM(R13, Z6, Z16, Z17, Z18, Z19, Z20)

#define ROWS40M_ONE \
	ROW_ENTRY1(Z5); \
	ROW40_FMAM(R9, Z5, Z0, Z1, Z2, Z3, Z4)

#define ROWS40M_LOOP(pair, tail, sum) \
	PAIRS_SPLIT(tail); \
pair: \
	ROWS40M_PAIR; \
	PAIRS_NEXT(pair, tail, sum); \
	ROWS40M_ONE; \
sum: \
	ROWS40_FOLD

// func SumRows40M(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, masks uint64)
//
// SumRows40 for a block of 40 columns of which, in chunk j (columns
// 8j…8j+7), only the lanes set in byte j of masks are read and written: the
// last block of a row whose width is not a multiple of 40. Each lane's sum
// is the one SumRows40 or SumRows8 computes.
TEXT ·SumRows40M(SB), NOSPLIT, $0-56
	ROWS_ARGS
	MOVQ masks+48(FP), R12
	MASKS5
	ROWS40_INIT
	ROWS40M_LOOP(smpair, smtail, smsum)
	STORE40M(AX)
	VZEROUPPER
	RET

// func GradRows40M(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64, masks uint64)
//
// GradRows40 for a block of 40 columns of which, in chunk j, only the lanes
// set in byte j of masks are read, written and added to acc (the others add
// +0, which leaves acc's non-negative sums unchanged). Each lane's result,
// and each acc lane, is the one GradRows40 or GradRows8 chunk by chunk
// computes.
TEXT ·GradRows40M(SB), NOSPLIT, $0-80
	GRAD_ROWS_ARGS
	MOVQ masks+72(FP), R12
	MASKS5
	LOAD40MZ(R8, Z10, Z11, Z12, Z13, Z14)
	GRAD40_DECAY
	ROWS40M_LOOP(gmpair, gmtail, gmsum)
	STORE40M(AX)
	GRAD40_ACC
	VZEROUPPER
	RET

// func SumRows8(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, mask uint8)
//
// The lanes of mask of dst[0:8] = Σ_{e<n} val[e] · w[idx[e]·stride/8 : +8];
// lanes outside mask are neither read nor written.
TEXT ·SumRows8(SB), NOSPLIT, $0-49
	ROWS_ARGS
	MOVBQZX mask+48(FP), R12
	KMOVW R12, K1
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	ROWS8_LOOP(Z6, Z7, Z8, s8pair, s8tail, s8sum)
	VMOVUPD Z0, K1, (AX)
	VZEROUPPER
	RET

// func GradRows8(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64, mask uint8)
//
// GradRows40 for the lanes of mask of one 8-column chunk; lanes outside mask
// are neither read nor written and add nothing to acc.
TEXT ·GradRows8(SB), NOSPLIT, $0-73
	GRAD_ROWS_ARGS
	MOVBQZX mask+72(FP), R12
	KMOVW R12, K1
	VMOVUPD.Z (R8), K1, Z10
	VMULPD Z10, Z6, Z0
	VPXORQ Z1, Z1, Z1
	ROWS8_LOOP(Z7, Z8, Z9, g8pair, g8tail, g8sum)
	VMOVUPD Z0, K1, (AX)
	VMOVUPD (R11), Z7
	VFMADD231PD Z10, Z10, Z7
	VMOVUPD Z7, (R11)
	VMOVUPD 128(R11), Z8
	VFMADD231PD Z0, Z0, Z8
	VMOVUPD Z8, 128(R11)
	MOVQ $0x7fffffffffffffff, R12
	VPBROADCASTQ R12, Z9
	VPANDQ Z9, Z0, Z0
	VMOVUPD 64(R11), Z7
	VADDPD Z0, Z7, Z7
	VMOVUPD Z7, 64(R11)
	VZEROUPPER
	RET

// func Act(z, s, ds *float64, n int, q int)
//
// For i < n (a multiple of 8): s[i] = max(0,z)^q and ds[i] = q·max(0,z)^(q−1),
// computed as p = z^(q−1) by squaring, s = p·z, ds = q·p where z > 0 or z is
// NaN, and 0 where z ≤ 0 — the same operations as the portable loop.
TEXT ·Act(SB), NOSPLIT, $0-40
	MOVQ z+0(FP), SI
	MOVQ s+8(FP), DI
	MOVQ ds+16(FP), DX
	MOVQ n+24(FP), BX
	MOVQ q+32(FP), R8
	VPXORQ Z10, Z10, Z10
	MOVQ $0x3ff0000000000000, R9
	VPBROADCASTQ R9, Z11
	CVTSQ2SD R8, X12
	VBROADCASTSD X12, Z12
	DECQ R8
	XORQ CX, CX
	TESTQ BX, BX
	JE actdone
actloop:
	VMOVUPD (SI)(CX*8), Z0
	VCMPPD $0x16, Z10, Z0, K1
	VMOVUPD Z11, Z2
	VMOVUPD Z0, Z5
	MOVQ R8, R9
	TESTQ R9, R9
	JE actpow
actsq:
	TESTQ $1, R9
	JE actskip
	VMULPD Z5, Z2, Z2
actskip:
	SHRQ $1, R9
	JE actpow
	VMULPD Z5, Z5, Z5
	JMP actsq
actpow:
	VMULPD Z0, Z2, Z3
	VMULPD Z12, Z2, Z4
	VMOVUPD.Z Z3, K1, Z3
	VMOVUPD.Z Z4, K1, Z4
	VMOVUPD Z3, (DI)(CX*8)
	VMOVUPD Z4, (DX)(CX*8)
	ADDQ $8, CX
	CMPQ CX, BX
	JLT actloop
actdone:
	VZEROUPPER
	RET

// The mini-batch kernels below walk rows of wd weights (any wd ≥ 1) in
// chunks of 8 columns, the last chunk masked by K1 when 8 does not divide
// wd. They multiply and add separately (no fused multiply-add), as the
// portable Go loops do, so results are bit-identical to them.

// func GatherRows40(grad *float64, w *float64, dz *float64, rows *int32, nrows int, ptr *int32, ent *int32, val *float64, stride int, lambda float64, masks uint64)
//
// For each r < nrows, with k = rows[r] and the lanes of the five 8-column
// chunks selected by the bytes of masks (byte j for chunk j):
// g[k] = λ·w[k], then for e in [ptr[r], ptr[r+1]) in order
// g[k] += val[e]·dz[ent[e]] (a rounded product, then a rounded sum), rows
// of 40 columns, stride bytes apart in g, w and dz.
TEXT ·GatherRows40(SB), NOSPLIT, $0-88
	MOVQ grad+0(FP), AX
	MOVQ w+8(FP), R8
	MOVQ dz+16(FP), DI
	MOVQ rows+24(FP), DX
	MOVQ nrows+32(FP), BX
	MOVQ ptr+40(FP), R11
	MOVQ ent+48(FP), R12
	MOVQ val+56(FP), SI
	MOVQ stride+64(FP), R10
	VBROADCASTSD lambda+72(FP), Z6
	MOVQ masks+80(FP), R9
	MASKS5R(R9)
	XORQ CX, CX
grow:
	CMPQ CX, BX
	JGE gdone
	MOVLQSX (DX)(CX*4), R9
	IMULQ R10, R9
	VMOVUPD.Z (R8)(R9*1), K1, Z0
	VMOVUPD.Z 64(R8)(R9*1), K2, Z1
	VMOVUPD.Z 128(R8)(R9*1), K3, Z2
	VMOVUPD.Z 192(R8)(R9*1), K4, Z3
	VMOVUPD.Z 256(R8)(R9*1), K5, Z4
	SCALE40(Z6, Z0, Z1, Z2, Z3, Z4)
	MOVLQSX (R11)(CX*4), R13
	MOVLQSX 4(R11)(CX*4), R14
gent:
	CMPQ R13, R14
	JGE gstore
	MOVLQSX (R12)(R13*4), R9
	IMULQ R10, R9
	ADDQ DI, R9
	VBROADCASTSD (SI)(R13*8), Z5
	ROW40_MULADDM(R9)
	INCQ R13
	JMP gent
gstore:
	MOVLQSX (DX)(CX*4), R9
	IMULQ R10, R9
	ADDQ AX, R9
	STORE40M(R9)
	INCQ CX
	JMP grow
gdone:
	VZEROUPPER
	RET

// Adam's update of one chunk: Z0 = g, Z7 = w, Z1 = m, Z2 = v in; new m in
// Z1, v in Z2, w in Z7 out. The exponent field of g is folded into Z30
// (unsigned maximum). Constants: Z20 = β₁, Z21 = 1−β₁, Z22 = β₂, Z23 = 1−β₂,
// Z24 = step, Z25 = rbc2, Z26 = ε, Z28 = shrink, Z29 = exponent mask.
#define ADAM_MATH \
	VPANDQ Z29, Z0, Z8; \
	VPMAXUQ Z8, Z30, Z30; \
	ADAM_MV(Z0, Z1, Z2, Z20, Z21, Z22, Z23, Z3, Z4); \
	ADAM_STEP(Z1, Z2, Z24, Z25, Z26, Z5, Z6); \
	VMULPD Z28, Z7, Z7; \
	VSUBPD Z6, Z7, Z7

#define ADAM_LOAD_MV \
	VMOVUPD (R8)(CX*8), Z1; \
	VMOVUPD (R9)(CX*8), Z2

#define ADAM_LOAD_MV_MASK \
	VMOVUPD.Z (R8)(CX*8), K1, Z1; \
	VMOVUPD.Z (R9)(CX*8), K1, Z2

#define ADAM_STORE \
	VMOVUPD Z1, (R8)(CX*8); \
	VMOVUPD Z2, (R9)(CX*8); \
	VMOVUPD Z7, (DI)(CX*8)

#define ADAM_STORE_MASK \
	VMOVUPD Z1, K1, (R8)(CX*8); \
	VMOVUPD Z2, K1, (R9)(CX*8); \
	VMOVUPD Z7, K1, (DI)(CX*8)

// func AdamDecayRows(w, grad, m, v *float64, d int, wd int, rows *int32, nrows int, c *[9]float64, expmax *[8]uint64)
//
// Adam over d rows of wd weights with c = (β₁, 1−β₁, β₂, 1−β₂, step, rbc2,
// ε, λ, shrink): the gradient of row k is g's row where k is one of the
// nrows ascending indices of rows, and λ·w's row elsewhere; then
// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w·shrink − step·m/(√v·rbc2 + ε).
// expmax[i] becomes the largest exponent field (bits & 0x7ff0…) of the
// gradient entries in lane i and its previous value.
TEXT ·AdamDecayRows(SB), NOSPLIT, $0-80
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ d+32(FP), BX
	MOVQ wd+40(FP), R10
	MOVQ rows+48(FP), DX
	MOVQ nrows+56(FP), R12
	MOVQ c+64(FP), R11
	ADAM_C9(R11)
	MOVQ expmax+72(FP), R11
	VMOVDQU64 (R11), Z30
	// R11 = full chunks a row, R10 = lanes of the last, masked chunk (K1).
	MOVQ R10, R11
	SHRQ $3, R11
	ANDQ $7, R10
	MOVQ R10, CX
	MOVQ $1, R13
	SHLQ CX, R13
	DECQ R13
	KMOVW R13, K1
	XORQ CX, CX
	XORQ R14, R14
	// R13 = next row whose gradient is in g, or −1 when none is left.
	MOVQ $-1, R13
	TESTQ R12, R12
	JE adrow
	MOVLQSX (DX), R13
adrow:
	CMPQ R14, BX
	JGE addone
	CMPQ R14, R13
	JEQ adgrow
	// Row of λ·w.
	MOVQ R11, AX
	TESTQ AX, AX
	JE addtail
addfull:
	VMOVUPD (DI)(CX*8), Z7
	VMULPD Z7, Z27, Z0
	ADAM_LOAD_MV
	ADAM_MATH
	ADAM_STORE
	ADDQ $8, CX
	DECQ AX
	JNE addfull
addtail:
	TESTQ R10, R10
	JE adnext
	VMOVUPD.Z (DI)(CX*8), K1, Z7
	VMULPD Z7, Z27, Z0
	ADAM_LOAD_MV_MASK
	ADAM_MATH
	ADAM_STORE_MASK
	ADDQ R10, CX
	JMP adnext
adgrow:
	// Row of g.
	MOVQ R11, AX
	TESTQ AX, AX
	JE adgtail
adgfull:
	VMOVUPD (SI)(CX*8), Z0
	VMOVUPD (DI)(CX*8), Z7
	ADAM_LOAD_MV
	ADAM_MATH
	ADAM_STORE
	ADDQ $8, CX
	DECQ AX
	JNE adgfull
adgtail:
	TESTQ R10, R10
	JE adgnext
	VMOVUPD.Z (SI)(CX*8), K1, Z0
	VMOVUPD.Z (DI)(CX*8), K1, Z7
	ADAM_LOAD_MV_MASK
	ADAM_MATH
	ADAM_STORE_MASK
	ADDQ R10, CX
adgnext:
	ADDQ $4, DX
	DECQ R12
	MOVQ $-1, R13
	TESTQ R12, R12
	JE adnext
	MOVLQSX (DX), R13
adnext:
	INCQ R14
	JMP adrow
addone:
	MOVQ expmax+72(FP), R11
	VMOVDQU64 Z30, (R11)
	VZEROUPPER
	RET

// func GDRows(w, grad *float64, n int, lr float64)
//
// For i < n (any n): w[i] −= lr·g[i], a rounded product, then a rounded
// difference (as Go's w[i] -= lr*g[i] on amd64).
TEXT ·GDRows(SB), NOSPLIT, $0-32
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ n+16(FP), BX
	VBROADCASTSD lr+24(FP), Z5
	XORQ CX, CX
	MOVQ BX, R12
	ANDQ $-32, R12
	JE gd8
gd32:
	VMULPD (SI)(CX*8), Z5, Z0
	VMULPD 64(SI)(CX*8), Z5, Z1
	VMULPD 128(SI)(CX*8), Z5, Z2
	VMULPD 192(SI)(CX*8), Z5, Z3
	VMOVUPD (DI)(CX*8), Z6
	VMOVUPD 64(DI)(CX*8), Z7
	VMOVUPD 128(DI)(CX*8), Z8
	VMOVUPD 192(DI)(CX*8), Z9
	VSUBPD Z0, Z6, Z6
	VSUBPD Z1, Z7, Z7
	VSUBPD Z2, Z8, Z8
	VSUBPD Z3, Z9, Z9
	VMOVUPD Z6, (DI)(CX*8)
	VMOVUPD Z7, 64(DI)(CX*8)
	VMOVUPD Z8, 128(DI)(CX*8)
	VMOVUPD Z9, 192(DI)(CX*8)
	ADDQ $32, CX
	CMPQ CX, R12
	JLT gd32
gd8:
	MOVQ BX, R12
	SUBQ CX, R12
	JLE gddone
	CMPQ R12, $8
	JGE gdfull
	// last chunk: the first R12 < 8 lanes
	MOVQ R12, R13
	MOVQ CX, R14
	MOVQ R13, CX
	MOVQ $1, R9
	SHLQ CX, R9
	DECQ R9
	MOVQ R14, CX
	KMOVW R9, K1
	VMOVUPD.Z (SI)(CX*8), K1, Z0
	VMULPD Z0, Z5, Z0
	VMOVUPD.Z (DI)(CX*8), K1, Z6
	VSUBPD Z0, Z6, Z6
	VMOVUPD Z6, K1, (DI)(CX*8)
	JMP gddone
gdfull:
	VMULPD (SI)(CX*8), Z5, Z0
	VMOVUPD (DI)(CX*8), Z6
	VSUBPD Z0, Z6, Z6
	VMOVUPD Z6, (DI)(CX*8)
	ADDQ $8, CX
	JMP gd8
gddone:
	VZEROUPPER
	RET

// Software prefetch for W beyond the caches. ROWS40_PREFETCH asks for the
// five cache lines from 0 to 256 bytes past the start of the rows of
// entries CX+32 and CX+33 (R11 clobbered); the loops below issue it only
// while CX+33 < n (R8 = n−33), so no index past the list is read. A
// prefetch changes no arithmetic: SumRows40PF and SumRows40MPF compute
// what SumRows40 and SumRows40M do, bit for bit.
#define ROWS40_PREFETCH \
	MOVLQSX 128(DX)(CX*4), R11; \
	IMULQ R10, R11; \
	ADDQ DI, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 128(R11); \
	PREFETCHT0 192(R11); \
	PREFETCHT0 256(R11); \
	MOVLQSX 132(DX)(CX*4), R11; \
	IMULQ R10, R11; \
	ADDQ DI, R11; \
	PREFETCHT0 (R11); \
	PREFETCHT0 64(R11); \
	PREFETCHT0 128(R11); \
	PREFETCHT0 192(R11); \
	PREFETCHT0 256(R11)

// func SumRows40PF(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)
//
// SumRows40 that prefetches the rows of the entries 32 ahead.
TEXT ·SumRows40PF(SB), NOSPLIT, $0-48
	ROWS_ARGS
	ROWS40_INIT
	MOVQ BX, R12
	ANDQ $-2, R12
	MOVQ BX, R8
	SUBQ $33, R8
pfpair:
	CMPQ CX, R8
	JGE pfrest
	ROWS40_PREFETCH
	ROWS40_PAIR
	ADDQ $2, CX
	JMP pfpair
pfrest:
	CMPQ CX, R12
	JGE pftail
	ROWS40_PAIR
	ADDQ $2, CX
	JMP pfrest
pftail:
	CMPQ CX, BX
	JGE pfsum
	ROWS40_ONE
pfsum:
	ROWS40_FOLD
	STORE40(AX)
	VZEROUPPER
	RET

// func SumRows40MPF(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, masks uint64)
//
// SumRows40M that prefetches the rows of the entries 32 ahead (whole
// 320-byte blocks: a prefetch does not fault, masked lanes or not).
TEXT ·SumRows40MPF(SB), NOSPLIT, $0-56
	ROWS_ARGS
	MOVQ masks+48(FP), R12
	MASKS5
	ROWS40_INIT
	MOVQ BX, R12
	ANDQ $-2, R12
	MOVQ BX, R8
	SUBQ $33, R8
pfmpair:
	CMPQ CX, R8
	JGE pfmrest
	ROWS40_PREFETCH
	ROWS40M_PAIR
	ADDQ $2, CX
	JMP pfmpair
pfmrest:
	CMPQ CX, R12
	JGE pfmtail
	ROWS40M_PAIR
	ADDQ $2, CX
	JMP pfmrest
pfmtail:
	CMPQ CX, BX
	JGE pfmsum
	ROWS40M_ONE
pfmsum:
	ROWS40_FOLD
	STORE40M(AX)
	VZEROUPPER
	RET

// func SumBlocks40(z *float64, w *float64, idx *int32, val *float64, grp *int32, ngrp int, stride int)
//
// For each group g < ngrp, with (p, a, b) = grp[3g : 3g+3]:
// z[p·stride/8 : +40] += Σ_{a≤e<b} val[e] · w[idx[e]·stride/8 : +40], one
// fused multiply-add per entry in order (a single chain per column); a
// negative p names row −1−p, whose sum starts from zero instead of z's row.
// The coordinate-blocked forward pass (model): the groups of one block of
// coordinates read rows of w that stay in L1.
TEXT ·SumBlocks40(SB), NOSPLIT, $0-56
	BLOCKS_ARGS
	TESTQ BX, BX
	JLE blkdone
blkgroup:
	BLOCK_GROUP(blkfirst)
	LOAD40(R11, Z0, Z1, Z2, Z3, Z4)
blkrun:
	CMPQ CX, R12
	JGE blkstore
blkentry:
	ROWS40_ONE
	INCQ CX
	CMPQ CX, R12
	JLT blkentry
blkstore:
	STORE40(R11)
	BLOCK_NEXT(blkgroup)
blkdone:
	VZEROUPPER
	RET
blkfirst:
	// The patch's first group (row −1−p): its sum starts from zero.
	BLOCK_FIRST_ROW
	ZERO40
	JMP blkrun

// func GradCols40(grad, w, dz *float64, colptr, rows *int32, vals *float64, d int, stride int, lambda float64, acc *[24]float64)
//
// GradRows40 for the rows k = 0 … d−1 of a 40-column matrix in one call:
// row k of grad (stride bytes apart, as w's) is λ·w_k + Σ vals[e]·dz[rows[e]]
// over e in [colptr[k], colptr[k+1]), each row summed exactly as GradRows40
// sums it (two FMA chains, even and odd entries counted from colptr[k]), and
// the three norms are added to acc lane by lane in row order, as d calls of
// GradRows40 would add them, but kept in registers between rows.
TEXT ·GradCols40(SB), NOSPLIT, $0-80
	MOVQ grad+0(FP), AX
	MOVQ w+8(FP), R8
	MOVQ dz+16(FP), DI
	MOVQ colptr+24(FP), R11
	MOVQ rows+32(FP), DX
	MOVQ vals+40(FP), SI
	MOVQ stride+56(FP), R10
	VBROADCASTSD lambda+64(FP), Z15
	MOVQ acc+72(FP), R12
	VMOVUPD (R12), Z7
	VMOVUPD 64(R12), Z9
	VMOVUPD 128(R12), Z8
	MOVQ $0x7fffffffffffffff, R12
	VPBROADCASTQ R12, Z21
	MOVQ d+48(FP), R12
	TESTQ R12, R12
	JE ccdone
	MOVLQSX (R11), CX
crow:
	MOVLQSX 4(R11), BX
	LOAD40(R8, Z10, Z11, Z12, Z13, Z14)
	SCALE40(Z15, Z10, Z11, Z12, Z13, Z14)
	ROWS40_ZERO_ODD
	MOVQ BX, R12
	SUBQ CX, R12
	ANDQ $-2, R12
	ADDQ CX, R12
	CMPQ CX, R12
	JGE cctail
ccpair:
	ROWS40_PAIR
	PAIRS_NEXT(ccpair, cctail, ccsum)
	ROWS40_ONE
	INCQ CX
ccsum:
	ROWS40_FOLD
	STORE40(AX)
	VFMADD231PD Z10, Z10, Z7
	VFMADD231PD Z11, Z11, Z7
	VFMADD231PD Z12, Z12, Z7
	VFMADD231PD Z13, Z13, Z7
	VFMADD231PD Z14, Z14, Z7
	VFMADD231PD Z0, Z0, Z8
	VFMADD231PD Z1, Z1, Z8
	VFMADD231PD Z2, Z2, Z8
	VFMADD231PD Z3, Z3, Z8
	VFMADD231PD Z4, Z4, Z8
	VPANDQ Z21, Z0, Z0
	VPANDQ Z21, Z1, Z1
	VPANDQ Z21, Z2, Z2
	VPANDQ Z21, Z3, Z3
	VPANDQ Z21, Z4, Z4
	VADDPD Z0, Z9, Z9
	VADDPD Z1, Z9, Z9
	VADDPD Z2, Z9, Z9
	VADDPD Z3, Z9, Z9
	VADDPD Z4, Z9, Z9
	MOVQ BX, CX
	ADDQ R10, AX
	ADDQ R10, R8
	ADDQ $4, R11
	DECQ d+48(FP)
	JNE crow
ccdone:
	MOVQ acc+72(FP), R12
	VMOVUPD Z7, (R12)
	VMOVUPD Z9, 64(R12)
	VMOVUPD Z8, 128(R12)
	VZEROUPPER
	RET

// func ScaleHeads40(dz *float64, df *float64, count int)
//
// For each example b < count, whose two patches are the 80 doubles at
// dz + 640·b (two rows of 40 columns, m = 20 per class): columns 0–19 of
// both rows ×= df[2b], columns 20–39 ×= df[2b+1]. One product per value, as
// the Go loop computes it. Chunk 2 (columns 16–23) straddles the classes:
// its multiplier is df[2b] in lanes 0–3 and df[2b+1] in lanes 4–7.
TEXT ·ScaleHeads40(SB), NOSPLIT, $0-24
	MOVQ dz+0(FP), DI
	MOVQ df+8(FP), SI
	MOVQ count+16(FP), BX
	MOVQ $0xf0, AX
	KMOVW AX, K1
	TESTQ BX, BX
	JE shdone
shloop:
	VBROADCASTSD (SI), Z1
	VBROADCASTSD 8(SI), Z2
	VBLENDMPD Z2, Z1, K1, Z3
	VMULPD (DI), Z1, Z4
	VMULPD 64(DI), Z1, Z5
	VMULPD 128(DI), Z3, Z6
	VMULPD 192(DI), Z2, Z7
	VMULPD 256(DI), Z2, Z8
	VMULPD 320(DI), Z1, Z9
	VMULPD 384(DI), Z1, Z10
	VMULPD 448(DI), Z3, Z11
	VMULPD 512(DI), Z2, Z12
	VMULPD 576(DI), Z2, Z13
	VMOVUPD Z4, (DI)
	VMOVUPD Z5, 64(DI)
	VMOVUPD Z6, 128(DI)
	VMOVUPD Z7, 192(DI)
	VMOVUPD Z8, 256(DI)
	VMOVUPD Z9, 320(DI)
	VMOVUPD Z10, 384(DI)
	VMOVUPD Z11, 448(DI)
	VMOVUPD Z12, 512(DI)
	VMOVUPD Z13, 576(DI)
	ADDQ $640, DI
	ADDQ $16, SI
	DECQ BX
	JNE shloop
shdone:
	VZEROUPPER
	RET
