//go:build !amd64 || purego

package kernel

// DecayF32 is not available in this build.
func DecayF32(grad, w *float32, n int, lambda float32, acc *[24]float64) {
	panic("kernel: no assembly kernels in this build")
}

// ActF32 is not available in this build.
func ActF32(z, s, ds *float32, n int, q int) {
	panic("kernel: no assembly kernels in this build")
}

// AdamF32 is not available in this build.
func AdamF32(w, grad, m, v *float32, n int, c *[8]float32) {
	panic("kernel: no assembly kernels in this build")
}

// AxpyF32 is not available in this build.
func AxpyF32(w, x *float32, n int, a float32) {
	panic("kernel: no assembly kernels in this build")
}

// SumRowsCSRF32 is not available in this build.
func SumRowsCSRF32(dst *float32, dstStride int, src *float32, srcStride int, ptr *int32, rows int, idx *int32, val *float32, valOff int, mask uint64) {
	panic("kernel: no assembly kernels in this build")
}

// HeadSumF32 is not available in this build.
func HeadSumF32(s *float32, stride int, n int, chunks int, masks *uint16, out *float32) {
	panic("kernel: no assembly kernels in this build")
}

// HeadScaleF32 is not available in this build.
func HeadScaleF32(dz *float32, stride int, n int, chunks int, masks *uint16, dF *float32) {
	panic("kernel: no assembly kernels in this build")
}

// SumBlocksF32 is not available in this build.
func SumBlocksF32(z *float32, zStride int, w *float32, wStride int, idx *int32, val *float32, grp *int32, ngrp int, mask uint64) {
	panic("kernel: no assembly kernels in this build")
}

// AxpyRowsF32 is not available in this build.
func AxpyRowsF32(dst *float32, dstStride int, x *float32, idx *int32, val *float32, n int, mask uint64) {
	panic("kernel: no assembly kernels in this build")
}
