//go:build !amd64 || purego

package kernel

// AdamRowsF32 is not available in this build.
func AdamRowsF32(w, grad, m, v *float32, n, width int, rows *int32, nrows int, c *[8]float32, expmax *[16]uint32) {
	panic("kernel: no assembly kernels in this build")
}
