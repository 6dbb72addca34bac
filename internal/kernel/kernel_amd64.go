//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

// Available reports whether the CPU runs the AVX-512 kernels.
var Available = cpu.X86.HasAVX512F

// SumRows40 sets dst[0:40] = Σ_{e<n} val[e]·w[idx[e]·stride/8 : +40], with
// stride the distance in bytes between rows of w.
//
//go:noescape
func SumRows40(dst *float64, w *float64, idx *int32, val *float64, n int, stride int)

// GradRows40 sets g[0:40] = λ·w[0:40] + Σ_{e<n} vals[e]·dz[rows[e]·stride/8 : +40]
// and adds, lane by lane, w² to acc[0:8], |g| to acc[8:16] and g² to acc[16:24].
//
//go:noescape
func GradRows40(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64)

// AdamRows applies Adam to the first n coordinates (n a multiple of 8) with
// c = (β₁, 1−β₁, β₂, 1−β₂, step, rbc2, ε):
// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − step·m/(√v·rbc2 + ε),
// with the operations in that order and no fused multiply-add, so results are
// bit-identical to the same formula in Go.
//
//go:noescape
func AdamRows(w, grad, m, v *float64, n int, c *[7]float64)

// SumRows8 is SumRows40 for one chunk of 8 columns, of which only the lanes
// set in mask are read and written.
//
//go:noescape
func SumRows8(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, mask uint8)

// GradRows8 is GradRows40 for one chunk of 8 columns, of which only the
// lanes set in mask are read, written and added to acc.
//
//go:noescape
func GradRows8(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64, mask uint8)

// Act sets s[i] = max(0,z[i])^q and ds[i] = q·max(0,z[i])^(q−1) for i < n (a
// multiple of 8), with the operations of the portable loop (bit-identical;
// z^(q−1) by squaring, O(log q)); NaN stays NaN.
//
//go:noescape
func Act(z, s, ds *float64, n int, q int)
