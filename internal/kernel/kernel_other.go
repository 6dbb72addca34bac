//go:build !amd64 || purego

package kernel

// Available is false: this build has no assembly kernels.
const Available = false

// AvailableAVX2 is false: this build has no assembly kernels.
const AvailableAVX2 = false

// SumRows40 is not available in this build.
func SumRows40(dst *float64, w *float64, idx *int32, val *float64, n int, stride int) {
	panic("kernel: no assembly kernels in this build")
}

// GradRows40 is not available in this build.
func GradRows40(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64) {
	panic("kernel: no assembly kernels in this build")
}

// GradCols40 is not available in this build.
func GradCols40(grad, w, dz *float64, colptr, rows *int32, vals *float64, d int, stride int, lambda float64, acc *[24]float64) {
	panic("kernel: no assembly kernels in this build")
}

// ScaleHeads40 is not available in this build.
func ScaleHeads40(dz *float64, df *float64, count int) {
	panic("kernel: no assembly kernels in this build")
}

// AdamRows is not available in this build.
func AdamRows(w, grad, m, v *float64, n int, c *[7]float64) {
	panic("kernel: no assembly kernels in this build")
}

// AdamRowsRoot is not available in this build.
func AdamRowsRoot(w, grad, m, v *float64, n int, c *[7]float64) {
	panic("kernel: no assembly kernels in this build")
}

// SumRows8 is not available in this build.
func SumRows8(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, mask uint8) {
	panic("kernel: no assembly kernels in this build")
}

// GradRows8 is not available in this build.
func GradRows8(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64, mask uint8) {
	panic("kernel: no assembly kernels in this build")
}

// Act is not available in this build.
func Act(z, s, ds *float64, n int, q int) {
	panic("kernel: no assembly kernels in this build")
}

// GatherRows40 is not available in this build.
func GatherRows40(grad *float64, w *float64, dz *float64, rows *int32, nrows int, ptr *int32, ent *int32, val *float64, stride int, lambda float64, masks uint64) {
	panic("kernel: no assembly kernels in this build")
}

// AdamDecayRows is not available in this build.
func AdamDecayRows(w, grad, m, v *float64, d int, wd int, rows *int32, nrows int, c *[9]float64, expmax *[8]uint64) {
	panic("kernel: no assembly kernels in this build")
}

// SumRows40M is not available in this build.
func SumRows40M(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, masks uint64) {
	panic("kernel: no assembly kernels in this build")
}

// GradRows40M is not available in this build.
func GradRows40M(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *[24]float64, masks uint64) {
	panic("kernel: no assembly kernels in this build")
}

// GDRows is not available in this build.
func GDRows(w, grad *float64, n int, lr float64) {
	panic("kernel: no assembly kernels in this build")
}

// SumRows40PF is not available in this build.
func SumRows40PF(dst *float64, w *float64, idx *int32, val *float64, n int, stride int) {
	panic("kernel: no assembly kernels in this build")
}

// SumRows40MPF is not available in this build.
func SumRows40MPF(dst *float64, w *float64, idx *int32, val *float64, n int, stride int, masks uint64) {
	panic("kernel: no assembly kernels in this build")
}

// SumRows20AVX2 is not available in this build.
func SumRows20AVX2(dst *float64, w *float64, idx *int32, val *float64, n int, stride int) {
	panic("kernel: no assembly kernels in this build")
}

// SumRows4AVX2 is not available in this build.
func SumRows4AVX2(dst *float64, w *float64, idx *int32, val *float64, n int, stride int) {
	panic("kernel: no assembly kernels in this build")
}

// GradRows20AVX2 is not available in this build.
func GradRows20AVX2(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, accA *float64, accB *float64) {
	panic("kernel: no assembly kernels in this build")
}

// GradRows4AVX2 is not available in this build.
func GradRows4AVX2(grad *float64, w *float64, dz *float64, rows *int32, vals *float64, n int, stride int, lambda float64, acc *float64) {
	panic("kernel: no assembly kernels in this build")
}

// AdamRowsAVX2 is not available in this build.
func AdamRowsAVX2(w, grad, m, v *float64, n int, c *[7]float64) {
	panic("kernel: no assembly kernels in this build")
}

// ActAVX2 is not available in this build.
func ActAVX2(z, s, ds *float64, n int, q int) {
	panic("kernel: no assembly kernels in this build")
}

// AdamDecayAVX2 is not available in this build.
func AdamDecayAVX2(w, grad, m, v *float64, n int, c *[10]float64, bad *[4]uint64) {
	panic("kernel: no assembly kernels in this build")
}

// SumBlocks40 is not available in this build.
func SumBlocks40(z *float64, w *float64, idx *int32, val *float64, grp *int32, ngrp int, stride int) {
	panic("kernel: no assembly kernels in this build")
}
