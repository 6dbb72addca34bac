//go:build !amd64 || purego

package kernel

// AdamRunF32 is not available in this build.
func AdamRunF32(w, grad, m, v *float32, n int, c *[8]float32, expmax *[16]uint32) {
	panic("kernel: no assembly kernels in this build")
}
