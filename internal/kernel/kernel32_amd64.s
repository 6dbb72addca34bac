//go:build amd64 && !purego

#include "textflag.h"
#include "rows_amd64.h"
#include "adam32_amd64.h"

// func DecayF32(grad, w *float32, n int, lambda float32, acc *[24]float64)
//
// The float64 sums of w², |g| and g² of the low 8 lanes of each 16 are
// kept in Z10–Z12, those of the high 8 in Z13–Z15 (six chains, so that no
// chain waits on its own latency a whole iteration), added at the end.
TEXT ·DecayF32(SB), NOSPLIT, $0-40
	MOVQ grad+0(FP), AX
	MOVQ w+8(FP), DI
	MOVQ n+16(FP), BX
	VBROADCASTSS lambda+24(FP), Z6
	MOVQ acc+32(FP), R11
	MOVQ $0x7fffffffffffffff, R8
	VPBROADCASTQ R8, Z7
	VMOVUPD (R11), Z10
	VMOVUPD 64(R11), Z11
	VMOVUPD 128(R11), Z12
	VPXORQ Z13, Z13, Z13
	VPXORQ Z14, Z14, Z14
	VPXORQ Z15, Z15, Z15
	XORQ CX, CX
	CMPQ BX, $0
	JLE ddone
dloop:
	VMOVUPS (DI)(CX*4), Z0
	VMOVUPS (AX)(CX*4), Z1
	VFMADD231PS Z0, Z6, Z1
	VMOVUPS Z1, (AX)(CX*4)
	// w² in float64: low and high 8 lanes, converted from memory.
	VCVTPS2PD (DI)(CX*4), Z2
	VCVTPS2PD 32(DI)(CX*4), Z3
	VFMADD231PD Z2, Z2, Z10
	VFMADD231PD Z3, Z3, Z13
	// g² and |g| (of the float64 values: the same numbers).
	VCVTPS2PD Y1, Z4
	VEXTRACTF64X4 $1, Z1, Y5
	VCVTPS2PD Y5, Z5
	VFMADD231PD Z4, Z4, Z12
	VFMADD231PD Z5, Z5, Z15
	VPANDQ Z7, Z4, Z4
	VPANDQ Z7, Z5, Z5
	VADDPD Z4, Z11, Z11
	VADDPD Z5, Z14, Z14
	ADDQ $16, CX
	CMPQ CX, BX
	JLT dloop
ddone:
	VADDPD Z13, Z10, Z10
	VADDPD Z14, Z11, Z11
	VADDPD Z15, Z12, Z12
	VMOVUPD Z10, (R11)
	VMOVUPD Z11, 64(R11)
	VMOVUPD Z12, 128(R11)
	VZEROUPPER
	RET

// func ActF32(z, s, ds *float32, n int, q int)
TEXT ·ActF32(SB), NOSPLIT, $0-40
	MOVQ z+0(FP), AX
	MOVQ s+8(FP), DI
	MOVQ ds+16(FP), DX
	MOVQ n+24(FP), BX
	MOVQ q+32(FP), R10
	VPXORD Z9, Z9, Z9
	MOVL $0x3f800000, R8
	VPBROADCASTD R8, Z8
	CVTSQ2SS R10, X7
	VBROADCASTSS X7, Z7
	DECQ R10
	XORQ CX, CX
	CMPQ BX, $0
	JLE adone
aloop:
	VMOVUPS (AX)(CX*4), Z0
	// K1: lanes where !(z <= 0), NaN included (NLE_UQ).
	VCMPPS $6, Z9, Z0, K1
	VMOVAPS Z8, Z1
	MOVQ R10, R11
	CMPQ R11, $0
	JLE apow
apowloop:
	VMULPS Z0, Z1, Z1
	DECQ R11
	JNZ apowloop
apow:
	VMULPS.Z Z0, Z1, K1, Z2
	VMULPS.Z Z1, Z7, K1, Z3
	VMOVUPS Z2, (DI)(CX*4)
	VMOVUPS Z3, (DX)(CX*4)
	ADDQ $16, CX
	CMPQ CX, BX
	JLT aloop
adone:
	VZEROUPPER
	RET

// func AdamF32(w, grad, m, v *float32, n int, c *[8]float32)
TEXT ·AdamF32(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), AX
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), DI
	MOVQ v+24(FP), DX
	MOVQ n+32(FP), BX
	MOVQ c+40(FP), R8
	ADAM32_CONSTS
	XORQ CX, CX
	CMPQ BX, $0
	JLE mdone
mloop:
	VMOVUPS (SI)(CX*4), Z0
	VMOVUPS (AX)(CX*4), Z6
	VMOVUPS (DI)(CX*4), Z8
	VMOVUPS (DX)(CX*4), Z9
	ADAM32
	VMOVUPS Z1, (DI)(CX*4)
	VMOVUPS Z2, (DX)(CX*4)
	VMOVUPS Z6, (AX)(CX*4)
	ADDQ $16, CX
	CMPQ CX, BX
	JLT mloop
mdone:
	VZEROUPPER
	RET

// func AxpyF32(w, x *float32, n int, a float32)
TEXT ·AxpyF32(SB), NOSPLIT, $0-28
	MOVQ w+0(FP), AX
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), BX
	VBROADCASTSS a+24(FP), Z7
	XORQ CX, CX
	CMPQ BX, $0
	JLE xdone
xloop:
	VMOVUPS (AX)(CX*4), Z6
	VFMADD231PS (SI)(CX*4), Z7, Z6
	VMOVUPS Z6, (AX)(CX*4)
	ADDQ $16, CX
	CMPQ CX, BX
	JLT xloop
xdone:
	VZEROUPPER
	RET

// func SumRowsCSRF32(dst *float32, dstStride int, src *float32, srcStride int, ptr *int32, rows int, idx *int32, val *float32, valOff int, mask uint64)
//
// For r < rows: dst[r·dstStride/4 + c] = Σ_{ptr[r] ≤ e < ptr[r+1]} val[e−valOff]·src[idx[e]·srcStride/4 + c]
// for the columns c < 48 set in mask (three ZMM registers of 16 columns
// under the masks K1–K3; unset columns are neither read nor written); even
// and odd entries of a row are summed apart (Z0–Z2, Z16–Z18), then added.
// Registers: AX = output row,
// R8 = its stride, DI = src, R10 = src stride, R11 = ptr, BX = rows left,
// DX = idx, SI = val − valOff, CX = entry, R12 = end of the row's entries.
TEXT ·SumRowsCSRF32(SB), NOSPLIT, $0-80
	MOVQ dst+0(FP), AX
	MOVQ dstStride+8(FP), R8
	MOVQ src+16(FP), DI
	MOVQ srcStride+24(FP), R10
	MOVQ ptr+32(FP), R11
	MOVQ rows+40(FP), BX
	MOVQ idx+48(FP), DX
	MOVQ val+56(FP), SI
	MOVQ valOff+64(FP), R9
	SHLQ $2, R9
	SUBQ R9, SI
	MOVQ mask+72(FP), R9
	MASKS3
	CMPQ BX, $0
	JLE cdone
crow:
	MOVLQSX (R11), CX
	MOVLQSX 4(R11), R12
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
cpair:
	LEAQ 1(CX), R9
	CMPQ R9, R12
	JGE csingle
	ROW_ADDR2
	VBROADCASTSS (SI)(CX*4), Z5
	VBROADCASTSS 4(SI)(CX*4), Z6
	ROW48_FMAM(R9, Z5, Z0, Z1, Z2)
	ROW48_FMAM(R13, Z6, Z16, Z17, Z18)
	ADDQ $2, CX
	JMP cpair
csingle:
	CMPQ CX, R12
	JGE cstore
	ROW_ADDR1
	VBROADCASTSS (SI)(CX*4), Z5
	ROW48_FMAM(R9, Z5, Z0, Z1, Z2)
cstore:
	ROW48_FOLD_STORE(AX)
	ADDQ R8, AX
	ADDQ $4, R11
	DECQ BX
	JNZ crow
cdone:
	VZEROUPPER
	RET

// func HeadSumF32(s *float32, stride int, n int, chunks int, masks *uint16, out *float32)
//
// For each of n examples (two rows of s, stride bytes apart, the example's
// rows 2·stride after the previous example's), sums the two rows and then
// their columns of each class: out[2b] = Σ over the lanes set in masks[c]
// of chunk c (16 columns), out[2b+1] over the lanes of masks[chunks+c].
// The class sums are accumulated lane-wise over the chunks and then
// reduced across the 16 lanes (halves, quarters, pairs).
TEXT ·HeadSumF32(SB), NOSPLIT, $0-48
	MOVQ s+0(FP), AX
	MOVQ stride+8(FP), R8
	MOVQ n+16(FP), BX
	MOVQ chunks+24(FP), R10
	MOVQ masks+32(FP), R11
	MOVQ out+40(FP), DI
	CMPQ BX, $0
	JLE hdone
hex:
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	XORQ CX, CX
	MOVQ AX, R9
hchunk:
	VMOVUPS (R9), Z2
	VADDPS (R9)(R8*1), Z2, Z2
	KMOVW (R11)(CX*2), K1
	LEAQ (CX)(R10*1), R12
	KMOVW (R11)(R12*2), K2
	VADDPS Z2, Z0, K1, Z0
	VADDPS Z2, Z1, K2, Z1
	ADDQ $64, R9
	INCQ CX
	CMPQ CX, R10
	JLT hchunk
	// Reduce Z0 and Z1 across lanes.
	VEXTRACTF64X4 $1, Z0, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF64X4 $1, Z1, Y3
	VADDPS Y3, Y1, Y1
	VEXTRACTF128 $1, Y0, X2
	VADDPS X2, X0, X0
	VEXTRACTF128 $1, Y1, X3
	VADDPS X3, X1, X1
	VMOVHLPS X0, X0, X2
	VADDPS X2, X0, X0
	VMOVHLPS X1, X1, X3
	VADDPS X3, X1, X1
	VMOVSHDUP X0, X2
	VADDSS X2, X0, X0
	VMOVSHDUP X1, X3
	VADDSS X3, X1, X1
	VMOVSS X0, (DI)
	VMOVSS X1, 4(DI)
	ADDQ $8, DI
	LEAQ (AX)(R8*2), AX
	DECQ BX
	JNZ hex
hdone:
	VZEROUPPER
	RET

// func HeadScaleF32(dz *float32, stride int, n int, chunks int, masks *uint16, dF *float32)
//
// For each of n examples (rows as in HeadSumF32) multiplies the lanes of
// class +1 (masks[chunks+c]) of both rows by dF[2b+1] and every other lane
// by dF[2b].
TEXT ·HeadScaleF32(SB), NOSPLIT, $0-48
	MOVQ dz+0(FP), AX
	MOVQ stride+8(FP), R8
	MOVQ n+16(FP), BX
	MOVQ chunks+24(FP), R10
	MOVQ masks+32(FP), R11
	MOVQ dF+40(FP), DI
	CMPQ BX, $0
	JLE sdone
sex:
	VBROADCASTSS (DI), Z0
	VBROADCASTSS 4(DI), Z1
	XORQ CX, CX
	MOVQ AX, R9
schunk:
	LEAQ (CX)(R10*1), R12
	KMOVW (R11)(R12*2), K2
	VBLENDMPS Z1, Z0, K2, Z2
	VMULPS (R9), Z2, Z3
	VMOVUPS Z3, (R9)
	VMULPS (R9)(R8*1), Z2, Z4
	VMOVUPS Z4, (R9)(R8*1)
	ADDQ $64, R9
	INCQ CX
	CMPQ CX, R10
	JLT schunk
	ADDQ $8, DI
	LEAQ (AX)(R8*2), AX
	DECQ BX
	JNZ sex
sdone:
	VZEROUPPER
	RET
