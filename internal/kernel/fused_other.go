//go:build !amd64 || purego

package kernel

// AdamGatherRows is not available in this build.
func AdamGatherRows(w, m, v, dz *float64, d int, stride int, rows *int32, nrows int, ptr *int32, ent *int32, val *float64, nz int, c *[9]float64, expmax *[8]uint64, masks uint64) (ok bool) {
	panic("kernel: no assembly kernels in this build")
}
