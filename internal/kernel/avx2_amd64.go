//go:build amd64 && !purego

package kernel

// The AVX2 + FMA kernels (AvailableAVX2): the AVX-512 kernels' arithmetic
// on 4-lane registers, the same operations in the same order lane by lane,
// so each result is the bits the AVX-512 kernel gives. Rows wider than a
// block are covered by the caller, block by block (package model).

// SumRows20AVX2 sets dst[0:20] = Σ_{e<n} val[e]·w[idx[e]·stride/8 : +20]
// (stride in bytes), each column as SumRows40 sums it: even entries by FMA
// into one chain, odd ones into another, then the two added.
//
//go:noescape
func SumRows20AVX2(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)

// SumRows4AVX2 is SumRows20AVX2 for 4 columns.
//
//go:noescape
func SumRows4AVX2(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)

// GradRows20AVX2 sets g[0:20] = λ·w[0:20] + Σ_{e<n} vals[e]·dz[rows[e]·stride/8 : +20]
// as GradRows40 does, and adds w², |g| and g² of the block's 4-column
// chunks 0, 2, 4 to the lanes accA[0:4], accA[8:12], accA[16:20] and of
// chunks 1, 3 to accB's: with accA = &acc[0], accB = &acc[4] for a block
// that starts at a column ≡ 0 mod 8 (and swapped for ≡ 4), each lane of
// acc takes the columns GradRows40's lane does, in the same order.
//
//go:noescape
func GradRows20AVX2(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, accA *float64, accB *float64)

// GradRows4AVX2 is GradRows20AVX2 for 4 columns, whose w², |g| and g² go
// to acc[0:4], acc[8:12] and acc[16:20].
//
//go:noescape
func GradRows4AVX2(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *float64)

// AdamRowsAVX2 is AdamRows for n a multiple of 4 (bit-identical).
//
//go:noescape
func AdamRowsAVX2(w, grad, m, v *float64, n int, c *[7]float64)

// ActAVX2 is Act for n a multiple of 4 (bit-identical).
//
//go:noescape
func ActAVX2(z, s, ds *float64, n int, q int)

// AdamDecayAVX2 is AdamDecayRows' update (bit-identical) of n contiguous
// weights (n a multiple of 4) whose gradient is grad's, or λ·w when grad
// is nil, with c = (β₁, 1−β₁, β₂, 1−β₂, step, rbc2, ε, λ, shrink,
// math.Float64frombits(0x7ff0000000000000)). Each lane of bad gets all
// bits set where a gradient entry in that lane was ±Inf or NaN.
//
//go:noescape
func AdamDecayAVX2(w, grad, m, v *float64, n int, c *[10]float64, bad *[4]uint64)
