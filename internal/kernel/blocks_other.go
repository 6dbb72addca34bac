//go:build !amd64 || purego

package kernel

// SumBlocks40M is not available in this build.
func SumBlocks40M(z *float64, w *float64, idx *int32, val *float64, grp *int32, ngrp int, stride int, masks uint64) {
	panic("kernel: no assembly kernels in this build")
}

// SumBlocks120M is not available in this build.
func SumBlocks120M(z *float64, w *float64, idx *int32, val *float64, grp *int32, ngrp int, stride int, masks uint64) {
	panic("kernel: no assembly kernels in this build")
}
