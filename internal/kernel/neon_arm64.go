//go:build arm64 && !purego

package kernel

import "golang.org/x/sys/cpu"

// The NEON kernels (AvailableNEON): the AVX2 kernels' arithmetic on 2-lane
// Q registers, the same operations in the same order column by column, so
// each result is the bits the AVX2 (and AVX-512) kernel gives. They have
// the AVX2 kernels' signatures and contracts; rows wider than a block are
// covered by the caller, block by block (package model).

// AvailableNEON reports whether the CPU runs the NEON kernels (Advanced
// SIMD, part of every ARMv8-A core; cpu.asimd=off in GODEBUG turns it off).
var AvailableNEON = cpu.ARM64.HasASIMD

func archPaths() []string {
	if AvailableNEON {
		return []string{NEON}
	}
	return nil
}

// SumRows20NEON sets dst[0:20] = Σ_{e<n} val[e]·w[idx[e]·stride/8 : +20]
// (stride in bytes) as SumRows20AVX2 does: even entries by FMA into one
// chain, odd ones into another, then the two added.
//
//go:noescape
func SumRows20NEON(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)

// SumRows4NEON is SumRows20NEON for 4 columns.
//
//go:noescape
func SumRows4NEON(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)

// GradRows20NEON is GradRows20AVX2: g[0:20] = λ·w[0:20] + Σ_{e<n}
// vals[e]·dz[rows[e]·stride/8 : +20], with w², |g| and g² of the block's
// 4-column chunks 0, 2, 4 added to accA[0:4], accA[8:12], accA[16:20] and
// of chunks 1, 3 to accB's, in that order.
//
//go:noescape
func GradRows20NEON(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, accA *float64, accB *float64)

// GradRows4NEON is GradRows4AVX2: GradRows20NEON for 4 columns, whose w²,
// |g| and g² go to acc[0:4], acc[8:12] and acc[16:20].
//
//go:noescape
func GradRows4NEON(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *float64)

// AdamRowsNEON is AdamRows for n a multiple of 2: the same operations in
// the same order, no fused multiply-add.
//
//go:noescape
func AdamRowsNEON(w, grad, m, v *float64, n int, c *[7]float64)

// ActNEON is Act for n a multiple of 2 (the same operations).
//
//go:noescape
func ActNEON(z, s, ds *float64, n int, q int)

// AdamDecayNEON is AdamDecayAVX2 for n a multiple of 2: the update of n
// contiguous weights whose gradient is grad's, or λ·w when grad is nil,
// with c = (β₁, 1−β₁, β₂, 1−β₂, step, rbc2, ε, λ, shrink,
// math.Float64frombits(0x7ff0000000000000)), the same operations in the
// same order. bad[0:2] (lanes: index mod 2) get all bits set where a
// gradient entry was ±Inf or NaN; bad[2:4] are not touched.
//
//go:noescape
func AdamDecayNEON(w, grad, m, v *float64, n int, c *[10]float64, bad *[4]uint64)
