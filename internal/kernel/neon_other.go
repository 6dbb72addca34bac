//go:build !arm64 || purego

package kernel

// AvailableNEON is false: this build has no NEON kernels.
const AvailableNEON = false

// SumRows20NEON is not available in this build.
func SumRows20NEON(dst *float64, w *float64, idx *int32, val *float64, n int, stride int) {
	panic("kernel: no NEON kernels in this build")
}

// SumRows4NEON is not available in this build.
func SumRows4NEON(dst *float64, w *float64, idx *int32, val *float64, n int, stride int) {
	panic("kernel: no NEON kernels in this build")
}

// GradRows20NEON is not available in this build.
func GradRows20NEON(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, accA *float64, accB *float64) {
	panic("kernel: no NEON kernels in this build")
}

// GradRows4NEON is not available in this build.
func GradRows4NEON(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *float64) {
	panic("kernel: no NEON kernels in this build")
}

// AdamRowsNEON is not available in this build.
func AdamRowsNEON(w, grad, m, v *float64, n int, c *[7]float64) {
	panic("kernel: no NEON kernels in this build")
}

// ActNEON is not available in this build.
func ActNEON(z, s, ds *float64, n int, q int) {
	panic("kernel: no NEON kernels in this build")
}

// AdamDecayNEON is not available in this build.
func AdamDecayNEON(w, grad, m, v *float64, n int, c *[10]float64, bad *[4]uint64) {
	panic("kernel: no NEON kernels in this build")
}
