//go:build !amd64 || purego

package kernel

// Dense4x40 is not available in this build.
func Dense4x40(c *float64, ldc int, a *float64, lda int, b *float64, ldb int, k int, masks uint64, load int) {
	panic("kernel: no assembly kernels in this build")
}

// Dense1x40 is not available in this build.
func Dense1x40(c *float64, ldc int, a *float64, lda int, b *float64, ldb int, k int, masks uint64, load int) {
	panic("kernel: no assembly kernels in this build")
}

// FMAPeak is not available in this build.
func FMAPeak(n int, out *[8]float64) {
	panic("kernel: no assembly kernels in this build")
}
