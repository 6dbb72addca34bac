// Steps shared by the amd64 kernels (SumRows*, GradRows*, their AVX2,
// float32, fused and block variants, and the Adam kernels). Registers of
// the row sums: DX = row indices (int32), DI = base of the rows, R10 = row
// stride in bytes, CX = entry, BX = number of entries, R12 = BX rounded
// down to even. Each macro is the instructions the kernels had inline, so
// the machine code is unchanged.

// ROWS_ARGS loads the arguments of the SumRows kernels (dst, w, idx, val,
// n, stride): AX = dst, DI = w, DX = idx, SI = val, BX = n, R10 = stride.
// (In this header, included before every TEXT, so that go vet's frame
// check does not read them as one function's.)
#define ROWS_ARGS \
	MOVQ dst+0(FP), AX; \
	MOVQ w+8(FP), DI; \
	MOVQ idx+16(FP), DX; \
	MOVQ val+24(FP), SI; \
	MOVQ n+32(FP), BX; \
	MOVQ stride+40(FP), R10

// GRAD_ARGS(L) loads the arguments the GradRows kernels share (grad, w, dz,
// rows, vals, n, stride, lambda): AX = grad, R8 = w, DI = dz, DX = rows,
// SI = vals, BX = n, R10 = stride, L = λ in every lane.
#define GRAD_ARGS(L) \
	MOVQ grad+0(FP), AX; \
	MOVQ w+8(FP), R8; \
	MOVQ dz+16(FP), DI; \
	MOVQ rows+24(FP), DX; \
	MOVQ vals+32(FP), SI; \
	MOVQ n+40(FP), BX; \
	MOVQ stride+48(FP), R10; \
	VBROADCASTSD lambda+56(FP), L

// ROW_ADDR2 sets R9 and R13 to the rows of entries CX and CX+1.
#define ROW_ADDR2 \
	MOVLQSX (DX)(CX*4), R9; \
	MOVLQSX 4(DX)(CX*4), R13; \
	IMULQ R10, R9; \
	IMULQ R10, R13; \
	ADDQ DI, R9; \
	ADDQ DI, R13

// ROW_ADDR1 sets R9 to the row of entry CX.
#define ROW_ADDR1 \
	MOVLQSX (DX)(CX*4), R9; \
	IMULQ R10, R9; \
	ADDQ DI, R9

// ROW_ENTRY2(B0, B1) is ROW_ADDR2 with the values of entries CX and CX+1
// (float64s at SI) broadcast into B0 and B1; ROW_ENTRY1(B0) is ROW_ADDR1
// with entry CX's value in B0.
#define ROW_ENTRY2(B0, B1) \
	ROW_ADDR2; \
	VBROADCASTSD (SI)(CX*8), B0; \
	VBROADCASTSD 8(SI)(CX*8), B1

#define ROW_ENTRY1(B0) \
	ROW_ADDR1; \
	VBROADCASTSD (SI)(CX*8), B0

// PAIRS_SPLIT sets R12 = BX &^ 1 and jumps to tail when there is no pair
// of entries; PAIRS_START zeroes CX first.
#define PAIRS_SPLIT(tail) \
	MOVQ BX, R12; \
	ANDQ $-2, R12; \
	JE tail

#define PAIRS_START(tail) \
	XORQ CX, CX; \
	PAIRS_SPLIT(tail)

// PAIRS_NEXT steps to the next pair (back to pair while one is left), then
// at tail jumps to sum when no odd entry is left.
#define PAIRS_NEXT(pair, tail, sum) \
	ADDQ $2, CX; \
	CMPQ CX, R12; \
	JLT pair; \
tail: \
	CMPQ CX, BX; \
	JGE sum

// MASKS5 loads the chunk masks K1–K5 from the five low bytes of R12
// (clobbered): K(j+1) = byte j, the lanes of columns 8j…8j+7 of a 40-column
// block.
#define MASKS5 \
	MASKS5R(R12)

// MASKS5R(R) is MASKS5 from R.
#define MASKS5R(R) \
	KMOVW R, K1; \
	SHRQ $8, R; \
	KMOVW R, K2; \
	SHRQ $8, R; \
	KMOVW R, K3; \
	SHRQ $8, R; \
	KMOVW R, K4; \
	SHRQ $8, R; \
	KMOVW R, K5

// ROW40_FMA(R, B, A0, A1, A2, A3, A4) adds B times the 40 doubles at R into
// the ZMM accumulators A0–A4; ROW40_FMAM the same under the masks K1–K5.
#define ROW40_FMA(R, B, A0, A1, A2, A3, A4) \
	VFMADD231PD (R), B, A0; \
	VFMADD231PD 64(R), B, A1; \
	VFMADD231PD 128(R), B, A2; \
	VFMADD231PD 192(R), B, A3; \
	VFMADD231PD 256(R), B, A4

#define ROW40_FMAM(R, B, A0, A1, A2, A3, A4) \
	VFMADD231PD (R), B, K1, A0; \
	VFMADD231PD 64(R), B, K2, A1; \
	VFMADD231PD 128(R), B, K3, A2; \
	VFMADD231PD 192(R), B, K4, A3; \
	VFMADD231PD 256(R), B, K5, A4

// ROW20_FMA is ROW40_FMA for 20 doubles in YMM accumulators (AVX2).
#define ROW20_FMA(R, B, A0, A1, A2, A3, A4) \
	VFMADD231PD (R), B, A0; \
	VFMADD231PD 32(R), B, A1; \
	VFMADD231PD 64(R), B, A2; \
	VFMADD231PD 96(R), B, A3; \
	VFMADD231PD 128(R), B, A4

// ROW40_MULADDM adds Z5 times the lanes of K1–K5 of the 40 doubles at R
// into Z0–Z4 as a multiply then an add (two roundings, the order of the
// blocked kernels), through Z7–Z11; masked-off lanes are not read.
#define ROW40_MULADDM(R) \
	VMOVUPD.Z (R), K1, Z7; \
	VMOVUPD.Z 64(R), K2, Z8; \
	VMOVUPD.Z 128(R), K3, Z9; \
	VMOVUPD.Z 192(R), K4, Z10; \
	VMOVUPD.Z 256(R), K5, Z11; \
	VMULPD Z7, Z5, Z7; \
	VMULPD Z8, Z5, Z8; \
	VMULPD Z9, Z5, Z9; \
	VMULPD Z10, Z5, Z10; \
	VMULPD Z11, Z5, Z11; \
	VADDPD Z7, Z0, Z0; \
	VADDPD Z8, Z1, Z1; \
	VADDPD Z9, Z2, Z2; \
	VADDPD Z10, Z3, Z3; \
	VADDPD Z11, Z4, Z4

// ZERO40 zeroes the accumulators Z0–Z4.
#define ZERO40 \
	VPXORQ Z0, Z0, Z0; \
	VPXORQ Z1, Z1, Z1; \
	VPXORQ Z2, Z2, Z2; \
	VPXORQ Z3, Z3, Z3; \
	VPXORQ Z4, Z4, Z4

// SCALE40(L, S0, S1, S2, S3, S4) sets Z0–Z4 to L times S0–S4 (λ·w, the
// start of a gradient row).
#define SCALE40(L, S0, S1, S2, S3, S4) \
	VMULPD S0, L, Z0; \
	VMULPD S1, L, Z1; \
	VMULPD S2, L, Z2; \
	VMULPD S3, L, Z3; \
	VMULPD S4, L, Z4

// STORE40(R) and STORE40M(R) write Z0–Z4 to the 40 doubles at R, the
// latter only the lanes of K1–K5.
#define STORE40(R) \
	VMOVUPD Z0, (R); \
	VMOVUPD Z1, 64(R); \
	VMOVUPD Z2, 128(R); \
	VMOVUPD Z3, 192(R); \
	VMOVUPD Z4, 256(R)

#define STORE40M(R) \
	STORE40MR(R, Z0, Z1, Z2, Z3, Z4)

// STORE40MR(R, A0, A1, A2, A3, A4) is STORE40M of A0–A4.
#define STORE40MR(R, A0, A1, A2, A3, A4) \
	VMOVUPD A0, K1, (R); \
	VMOVUPD A1, K2, 64(R); \
	VMOVUPD A2, K3, 128(R); \
	VMOVUPD A3, K4, 192(R); \
	VMOVUPD A4, K5, 256(R)

// The coordinate-blocked kernels (SumBlocks40, SumBlocks40M, SumBlocks120M)
// share these. BLOCKS_ARGS: AX = z, DI = w, DX = idx, SI = val, R8 = grp,
// BX = ngrp, R10 = stride.
#define BLOCKS_ARGS \
	MOVQ z+0(FP), AX; \
	MOVQ w+8(FP), DI; \
	MOVQ idx+16(FP), DX; \
	MOVQ val+24(FP), SI; \
	MOVQ grp+32(FP), R8; \
	MOVQ ngrp+40(FP), BX; \
	MOVQ stride+48(FP), R10

// BLOCK_GROUP reads the group (p, a, b) at R8 into R11, CX and R12 and
// jumps to first when p < 0 (a row's first group), else sets R11 to row p
// of z; BLOCK_FIRST_ROW sets R11 to row −1−p.
#define BLOCK_GROUP(first) \
	MOVLQSX (R8), R11; \
	MOVLQSX 4(R8), CX; \
	MOVLQSX 8(R8), R12; \
	TESTQ R11, R11; \
	JS first; \
	IMULQ R10, R11; \
	ADDQ AX, R11

#define BLOCK_FIRST_ROW \
	NOTQ R11; \
	IMULQ R10, R11; \
	ADDQ AX, R11

// BLOCK_NEXT steps to the next group, back to group while one is left.
#define BLOCK_NEXT(group) \
	ADDQ $12, R8; \
	DECQ BX; \
	JNE group

// LOAD40(R, A0, A1, A2, A3, A4) loads the 40 doubles at R into A0–A4;
// LOAD40MZ the lanes of K1–K5, the others zeroed (and not read).
#define LOAD40(R, A0, A1, A2, A3, A4) \
	VMOVUPD (R), A0; \
	VMOVUPD 64(R), A1; \
	VMOVUPD 128(R), A2; \
	VMOVUPD 192(R), A3; \
	VMOVUPD 256(R), A4

#define LOAD40MZ(R, A0, A1, A2, A3, A4) \
	VMOVUPD.Z (R), K1, A0; \
	VMOVUPD.Z 64(R), K2, A1; \
	VMOVUPD.Z 128(R), K3, A2; \
	VMOVUPD.Z 192(R), K4, A3; \
	VMOVUPD.Z 256(R), K5, A4

// ADAM_ARGS loads the arguments the Adam kernels share (w, grad, m, v, n,
// c): DI = w, SI = grad, R8 = m, R9 = v, BX = n, R11 = c.
#define ADAM_ARGS \
	MOVQ w+0(FP), DI; \
	MOVQ grad+8(FP), SI; \
	MOVQ m+16(FP), R8; \
	MOVQ v+24(FP), R9; \
	MOVQ n+32(FP), BX; \
	MOVQ c+40(FP), R11

// The float32 row kernels (SumRowsCSRF32, SumBlocksF32, AxpyRowsF32) work
// on 48 columns in three ZMM registers under the masks K1–K3. MASKS3 loads
// K1–K3 from the three low 16-bit fields of R9 (clobbered).
#define MASKS3 \
	KMOVW R9, K1; \
	SHRQ $16, R9; \
	KMOVW R9, K2; \
	SHRQ $16, R9; \
	KMOVW R9, K3

// ROW48_FMAM(R, B, A0, A1, A2) adds B times the lanes of K1–K3 of the 48
// floats at R into A0–A2.
#define ROW48_FMAM(R, B, A0, A1, A2) \
	VFMADD231PS (R), B, K1, A0; \
	VFMADD231PS 64(R), B, K2, A1; \
	VFMADD231PS 128(R), B, K3, A2

// ROW48_FOLD_STORE(R) adds the odd-entry sums Z16–Z18 into Z0–Z2 and
// stores the lanes of K1–K3 at R.
#define ROW48_FOLD_STORE(R) \
	VADDPS Z16, Z0, Z0; \
	VADDPS Z17, Z1, Z1; \
	VADDPS Z18, Z2, Z2; \
	VMOVUPS Z0, K1, (R); \
	VMOVUPS Z1, K2, 64(R); \
	VMOVUPS Z2, K3, 128(R)

// LOAD48MZ(R) loads the lanes of K1–K3 of the 48 floats at R into Z0–Z2,
// the others zeroed (and not read).
#define LOAD48MZ(R) \
	VMOVUPS.Z (R), K1, Z0; \
	VMOVUPS.Z 64(R), K2, Z1; \
	VMOVUPS.Z 128(R), K3, Z2

// Adam's arithmetic, as every float64 Adam kernel (AVX-512 and AVX2) does
// it, operation by operation (no fused multiply-add). ADAM_MV updates the
// moments from the gradient G: M = B1·M + C1·G, V = B2·V + (C2·G)·G
// (T1, T2 clobbered); ADAM_STEP sets S = STEP·M / (√V·RBC2 + EPS), the
// denominator in D.
#define ADAM_MV(G, M, V, B1, C1, B2, C2, T1, T2) \
	VMULPD B1, M, M; \
	VMULPD C1, G, T1; \
	VADDPD T1, M, M; \
	VMULPD B2, V, V; \
	VMULPD C2, G, T2; \
	VMULPD G, T2, T2; \
	VADDPD T2, V, V

#define ADAM_STEP(M, V, STEP, RBC2, EPS, D, S) \
	VSQRTPD V, D; \
	VMULPD RBC2, D, D; \
	VADDPD EPS, D, D; \
	VMULPD STEP, M, S; \
	VDIVPD D, S, S

// ADAM_C9(R) broadcasts the constants c[0:9] at R of AdamDecayRows and
// AdamGatherRows into Z20–Z28 (β₁, 1−β₁, β₂, 1−β₂, step, rbc2, ε, λ,
// shrink) and the exponent mask into Z29 (R clobbered).
#define ADAM_C9(R) \
	VBROADCASTSD (R), Z20; \
	VBROADCASTSD 8(R), Z21; \
	VBROADCASTSD 16(R), Z22; \
	VBROADCASTSD 24(R), Z23; \
	VBROADCASTSD 32(R), Z24; \
	VBROADCASTSD 40(R), Z25; \
	VBROADCASTSD 48(R), Z26; \
	VBROADCASTSD 56(R), Z27; \
	VBROADCASTSD 64(R), Z28; \
	MOVQ $0x7ff0000000000000, R; \
	VPBROADCASTQ R, Z29
