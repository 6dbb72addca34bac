// Adam32's update in AVX-512 registers, shared by AdamF32
// (kernel32_amd64.s) and AdamRunF32 (rows32_amd64.s).

// ADAM32_CONSTS broadcasts c[0:7] (β₁, 1−β₁, β₂, 1−β₂, step, √(1−β₂ᵗ), ε),
// c's address in R8, to Z10–Z16.
#define ADAM32_CONSTS \
	VBROADCASTSS 0(R8), Z10 \
	VBROADCASTSS 4(R8), Z11 \
	VBROADCASTSS 8(R8), Z12 \
	VBROADCASTSS 12(R8), Z13 \
	VBROADCASTSS 16(R8), Z14 \
	VBROADCASTSS 20(R8), Z15 \
	VBROADCASTSS 24(R8), Z16

// ADAM32 updates 16 lanes: g in Z0, w in Z6, m in Z8, v in Z9 give
// m ← fma(g, 1−β₁, β₁m) in Z1, v ← fma((1−β₂)g, g, β₂v) in Z2 and
// w ← w − (step·m)/(√v/√(1−β₂ᵗ) + ε) in Z6, every operation rounded to
// float32 (Z3–Z5 scratch).
#define ADAM32 \
	VMULPS Z8, Z10, Z1 \
	VFMADD231PS Z0, Z11, Z1 \
	VMULPS Z9, Z12, Z2 \
	VMULPS Z0, Z13, Z3 \
	VFMADD231PS Z0, Z3, Z2 \
	VSQRTPS Z2, Z4 \
	VDIVPS Z15, Z4, Z4 \
	VADDPS Z16, Z4, Z4 \
	VMULPS Z1, Z14, Z5 \
	VDIVPS Z4, Z5, Z5 \
	VSUBPS Z5, Z6, Z6
