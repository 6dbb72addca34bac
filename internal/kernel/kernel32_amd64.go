//go:build amd64 && !purego

package kernel

// The float32 kernels (16 lanes a ZMM register). Like the float64 ones
// they need AVX-512F (Available).

// DecayF32 sets grad[i] = fma(λ, w[i], grad[i]) (one rounding) for i < n (a
// multiple of 16) and adds, lane by lane in float64, w² to acc[0:8], |g| to
// acc[8:16] and grad² to acc[16:24] (lane j takes elements j and j+8 of every
// 16, the former and the latter in separate sums added at the end).
//
//go:noescape
func DecayF32(grad, w *float32, n int, lambda float32, acc *[24]float64)

// ActF32 sets s[i] = max(0,z[i])^q and ds[i] = q·max(0,z[i])^(q−1) for i < n
// (a multiple of 16), with the operations of model's portable loop
// (bit-identical); NaN stays NaN.
//
//go:noescape
func ActF32(z, s, ds *float32, n int, q int)

// AdamF32 applies Adam32's update to the first n coordinates (n a multiple
// of 16) with c = (β₁, 1−β₁, β₂, 1−β₂, step, √(1−β₂ᵗ), ε):
// m ← fma(g, 1−β₁, β₁m), v ← fma((1−β₂)g, g, β₂v),
// w ← w − (step·m)/(√v/√(1−β₂ᵗ) + ε), every operation rounded to float32,
// bit-identical to the same formula in Go with FMA32.
//
//go:noescape
func AdamF32(w, grad, m, v *float32, n int, c *[8]float32)

// AxpyF32 sets w[i] = fma(a, x[i], w[i]) for i < n (a multiple of 16).
//
//go:noescape
func AxpyF32(w, x *float32, n int, a float32)

// SumRowsCSRF32 sums rows of src scaled by values, for rows output rows
// given in compressed sparse row form: for r < rows,
// dst[r·dstStride/4 + c] = Σ_{ptr[r] ≤ e < ptr[r+1]} val[e−valOff]·src[idx[e]·srcStride/4 + c]
// for the columns c < 48 whose bit is set in mask (three ZMM registers of
// 16 columns; unset columns are neither read nor written), strides in
// bytes. A row's even and odd entries are summed in separate registers
// (fused multiply-adds), then added.
//
//go:noescape
func SumRowsCSRF32(dst *float32, dstStride int, src *float32, srcStride int, ptr *int32, rows int, idx *int32, val *float32, valOff int, mask uint64)

// HeadSumF32 computes the two class outputs of n examples from their
// activations: example b's two rows start at s + 2b·stride and s +
// (2b+1)·stride (stride in bytes, a multiple of 64: chunks groups of 16
// columns a row); out[2b] is the sum over both rows of the columns whose
// lane is set in masks[c] for chunk c, out[2b+1] of those set in
// masks[chunks+c]. Sums are in float32: lane-wise over the chunks, then
// across the lanes by halves.
//
//go:noescape
func HeadSumF32(s *float32, stride int, n int, chunks int, masks *uint16, out *float32)

// HeadScaleF32 multiplies, for each of n examples laid out as in
// HeadSumF32, the lanes of both rows set in masks[chunks+c] by dF[2b+1] and
// all other lanes by dF[2b].
//
//go:noescape
func HeadScaleF32(dz *float32, stride int, n int, chunks int, masks *uint16, dF *float32)
