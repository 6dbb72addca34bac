//go:build amd64 && !purego

#include "textflag.h"

// The row sums of SumRows40 and GradRows40 share these steps. Registers:
// DX = row indices, SI = values, DI = base of the rows, R10 = row stride in
// bytes, CX = entry; Z0–Z4 accumulate even entries, Z16–Z20 odd ones (two
// chains halve the FMA latency), Z5/Z6 hold the broadcast values.

// ROWS40_PAIR adds entries CX and CX+1.
#define ROWS40_PAIR \
	MOVLQSX (DX)(CX*4), R9; \
	MOVLQSX 4(DX)(CX*4), R13; \
	IMULQ R10, R9; \
	IMULQ R10, R13; \
	ADDQ DI, R9; \
	ADDQ DI, R13; \
	VBROADCASTSD (SI)(CX*8), Z5; \
	VBROADCASTSD 8(SI)(CX*8), Z6; \
	VFMADD231PD (R9), Z5, Z0; \
	VFMADD231PD 64(R9), Z5, Z1; \
	VFMADD231PD 128(R9), Z5, Z2; \
	VFMADD231PD 192(R9), Z5, Z3; \
	VFMADD231PD 256(R9), Z5, Z4; \
	VFMADD231PD (R13), Z6, Z16; \
	VFMADD231PD 64(R13), Z6, Z17; \
	VFMADD231PD 128(R13), Z6, Z18; \
	VFMADD231PD 192(R13), Z6, Z19; \
	VFMADD231PD 256(R13), Z6, Z20

// ROWS40_ONE adds entry CX into Z0–Z4.
#define ROWS40_ONE \
	MOVLQSX (DX)(CX*4), R9; \
	IMULQ R10, R9; \
	ADDQ DI, R9; \
	VBROADCASTSD (SI)(CX*8), Z5; \
	VFMADD231PD (R9), Z5, Z0; \
	VFMADD231PD 64(R9), Z5, Z1; \
	VFMADD231PD 128(R9), Z5, Z2; \
	VFMADD231PD 192(R9), Z5, Z3; \
	VFMADD231PD 256(R9), Z5, Z4

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

// ROWS40_STORE writes Z0–Z4 to 40 doubles at AX.
#define ROWS40_STORE \
	VMOVUPD Z0, (AX); \
	VMOVUPD Z1, 64(AX); \
	VMOVUPD Z2, 128(AX); \
	VMOVUPD Z3, 192(AX); \
	VMOVUPD Z4, 256(AX)

// func SumRows40(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)
//
// dst[0:40] = Σ_{e<n} val[e] · w[idx[e]·stride/8 : +40], stride in bytes.
// Five ZMM accumulators hold the 40 columns; needs AVX-512F.
TEXT ·SumRows40(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), AX
	MOVQ w+8(FP), DI
	MOVQ idx+16(FP), DX
	MOVQ val+24(FP), SI
	MOVQ n+32(FP), BX
	MOVQ stride+40(FP), R10
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	XORQ CX, CX
	ROWS40_ZERO_ODD
	// Two entries per iteration into two sets of accumulators (Z0–Z4 for
	// even entries, Z16–Z20 for odd ones) halve the FMA latency chain.
	MOVQ BX, R12
	ANDQ $-2, R12
	JE tail
pair:
	ROWS40_PAIR
	ADDQ $2, CX
	CMPQ CX, R12
	JLT pair
tail:
	CMPQ CX, BX
	JGE sum
	ROWS40_ONE
sum:
	ROWS40_FOLD
	ROWS40_STORE
	VZEROUPPER
	RET

// func GradRows40(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64)
//
// g[0:40] = λ·w[0:40] + Σ_{e<n} vals[e] · dz[rows[e]·stride/8 : +40], and
// acc[0:8] += w², acc[8:16] += |g|, acc[16:24] += g² lane-wise.
TEXT ·GradRows40(SB), NOSPLIT, $0-72
	MOVQ grad+0(FP), AX
	MOVQ w+8(FP), R8
	MOVQ dz+16(FP), DI
	MOVQ rows+24(FP), DX
	MOVQ vals+32(FP), SI
	MOVQ n+40(FP), BX
	MOVQ stride+48(FP), R10
	VBROADCASTSD lambda+56(FP), Z6
	MOVQ acc+64(FP), R11
	VMOVUPD (R8), Z10
	VMOVUPD 64(R8), Z11
	VMOVUPD 128(R8), Z12
	VMOVUPD 192(R8), Z13
	VMOVUPD 256(R8), Z14
	VMULPD Z10, Z6, Z0
	VMULPD Z11, Z6, Z1
	VMULPD Z12, Z6, Z2
	VMULPD Z13, Z6, Z3
	VMULPD Z14, Z6, Z4
	XORQ CX, CX
	ROWS40_ZERO_ODD
	// Two entries per iteration into two sets of accumulators (Z0–Z4 for
	// even entries, Z16–Z20 for odd ones) halve the FMA latency chain.
	MOVQ BX, R12
	ANDQ $-2, R12
	JE gtail
gpair:
	ROWS40_PAIR
	ADDQ $2, CX
	CMPQ CX, R12
	JLT gpair
gtail:
	CMPQ CX, BX
	JGE gsum
	ROWS40_ONE
gsum:
	ROWS40_FOLD
	ROWS40_STORE
	// acc[0:8] += Σ w²
	VMOVUPD (R11), Z7
	VFMADD231PD Z10, Z10, Z7
	VFMADD231PD Z11, Z11, Z7
	VFMADD231PD Z12, Z12, Z7
	VFMADD231PD Z13, Z13, Z7
	VFMADD231PD Z14, Z14, Z7
	VMOVUPD Z7, (R11)
	// acc[16:24] += Σ g²
	VMOVUPD 128(R11), Z8
	VFMADD231PD Z0, Z0, Z8
	VFMADD231PD Z1, Z1, Z8
	VFMADD231PD Z2, Z2, Z8
	VFMADD231PD Z3, Z3, Z8
	VFMADD231PD Z4, Z4, Z8
	VMOVUPD Z8, 128(R11)
	// acc[8:16] += Σ |g| (clear the sign bits)
	MOVQ $0x7fffffffffffffff, R12
	VPBROADCASTQ R12, Z9
	VPANDQ Z9, Z0, Z0
	VPANDQ Z9, Z1, Z1
	VPANDQ Z9, Z2, Z2
	VPANDQ Z9, Z3, Z3
	VPANDQ Z9, Z4, Z4
	VMOVUPD 64(R11), Z7
	VADDPD Z0, Z7, Z7
	VADDPD Z1, Z7, Z7
	VADDPD Z2, Z7, Z7
	VADDPD Z3, Z7, Z7
	VADDPD Z4, Z7, Z7
	VMOVUPD Z7, 64(R11)
	VZEROUPPER
	RET

// func AdamRows(w, grad, m, v *float64, n int, c *[7]float64)
//
// For i < n (a multiple of 8), with c = (b1, 1−b1, b2, 1−b2, step, rbc2, eps):
// m ← b1·m + (1−b1)·g, v ← b2·v + (1−b2)·g², w ← w − step·m/(√v·rbc2 + eps).
TEXT ·AdamRows(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), BX
	MOVQ c+40(FP), R11
	VBROADCASTSD (R11), Z10
	VBROADCASTSD 8(R11), Z11
	VBROADCASTSD 16(R11), Z12
	VBROADCASTSD 24(R11), Z13
	VBROADCASTSD 32(R11), Z14
	VBROADCASTSD 40(R11), Z15
	VBROADCASTSD 48(R11), Z16
	XORQ CX, CX
	TESTQ BX, BX
	JE adone
aloop:
	VMOVUPD (SI)(CX*8), Z0
	VMOVUPD (R8)(CX*8), Z1
	VMOVUPD (R9)(CX*8), Z2
	VMULPD Z10, Z1, Z1
	VMULPD Z11, Z0, Z3
	VADDPD Z3, Z1, Z1
	VMULPD Z12, Z2, Z2
	VMULPD Z13, Z0, Z4
	VMULPD Z0, Z4, Z4
	VADDPD Z4, Z2, Z2
	VMOVUPD Z1, (R8)(CX*8)
	VMOVUPD Z2, (R9)(CX*8)
	VSQRTPD Z2, Z5
	VMULPD Z15, Z5, Z5
	VADDPD Z16, Z5, Z5
	VMULPD Z14, Z1, Z6
	VDIVPD Z5, Z6, Z6
	VMOVUPD (DI)(CX*8), Z7
	VSUBPD Z6, Z7, Z7
	VMOVUPD Z7, (DI)(CX*8)
	ADDQ $8, CX
	CMPQ CX, BX
	JLT aloop
adone:
	VZEROUPPER
	RET

// func SumRows8(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, mask uint8)
//
// The lanes of mask of dst[0:8] = Σ_{e<n} val[e] · w[idx[e]·stride/8 : +8];
// lanes outside mask are neither read nor written.
TEXT ·SumRows8(SB), NOSPLIT, $0-49
	MOVQ dst+0(FP), AX
	MOVQ w+8(FP), DI
	MOVQ idx+16(FP), DX
	MOVQ val+24(FP), SI
	MOVQ n+32(FP), BX
	MOVQ stride+40(FP), R10
	MOVBQZX mask+48(FP), R12
	KMOVW R12, K1
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	XORQ CX, CX
	MOVQ BX, R12
	ANDQ $-2, R12
	JE s8tail
s8pair:
	MOVLQSX (DX)(CX*4), R9
	MOVLQSX 4(DX)(CX*4), R13
	IMULQ R10, R9
	IMULQ R10, R13
	ADDQ DI, R9
	ADDQ DI, R13
	VBROADCASTSD (SI)(CX*8), Z5
	VBROADCASTSD 8(SI)(CX*8), Z6
	VMOVUPD.Z (R9), K1, Z7
	VMOVUPD.Z (R13), K1, Z8
	VFMADD231PD Z7, Z5, Z0
	VFMADD231PD Z8, Z6, Z1
	ADDQ $2, CX
	CMPQ CX, R12
	JLT s8pair
s8tail:
	CMPQ CX, BX
	JGE s8sum
	MOVLQSX (DX)(CX*4), R9
	IMULQ R10, R9
	ADDQ DI, R9
	VBROADCASTSD (SI)(CX*8), Z5
	VMOVUPD.Z (R9), K1, Z7
	VFMADD231PD Z7, Z5, Z0
s8sum:
	VADDPD Z1, Z0, Z0
	VMOVUPD Z0, K1, (AX)
	VZEROUPPER
	RET

// func GradRows8(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64, mask uint8)
//
// GradRows40 for the lanes of mask of one 8-column chunk; lanes outside mask
// are neither read nor written and add nothing to acc.
TEXT ·GradRows8(SB), NOSPLIT, $0-73
	MOVQ grad+0(FP), AX
	MOVQ w+8(FP), R8
	MOVQ dz+16(FP), DI
	MOVQ rows+24(FP), DX
	MOVQ vals+32(FP), SI
	MOVQ n+40(FP), BX
	MOVQ stride+48(FP), R10
	VBROADCASTSD lambda+56(FP), Z6
	MOVQ acc+64(FP), R11
	MOVBQZX mask+72(FP), R12
	KMOVW R12, K1
	VMOVUPD.Z (R8), K1, Z10
	VMULPD Z10, Z6, Z0
	VPXORQ Z1, Z1, Z1
	XORQ CX, CX
	MOVQ BX, R12
	ANDQ $-2, R12
	JE g8tail
g8pair:
	MOVLQSX (DX)(CX*4), R9
	MOVLQSX 4(DX)(CX*4), R13
	IMULQ R10, R9
	IMULQ R10, R13
	ADDQ DI, R9
	ADDQ DI, R13
	VBROADCASTSD (SI)(CX*8), Z5
	VBROADCASTSD 8(SI)(CX*8), Z7
	VMOVUPD.Z (R9), K1, Z8
	VMOVUPD.Z (R13), K1, Z9
	VFMADD231PD Z8, Z5, Z0
	VFMADD231PD Z9, Z7, Z1
	ADDQ $2, CX
	CMPQ CX, R12
	JLT g8pair
g8tail:
	CMPQ CX, BX
	JGE g8sum
	MOVLQSX (DX)(CX*4), R9
	IMULQ R10, R9
	ADDQ DI, R9
	VBROADCASTSD (SI)(CX*8), Z5
	VMOVUPD.Z (R9), K1, Z8
	VFMADD231PD Z8, Z5, Z0
g8sum:
	VADDPD Z1, Z0, Z0
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
