package model

// SetCoordForward turns the AVX-512 coordinate-blocked forward pass on or
// off (kernels_coord.go) and returns the previous setting.
func SetCoordForward(on bool) bool {
	was := coordForward
	coordForward = on
	return was
}

// SetCoordBlockL2 sets the rows per block of the L2-sized coordinate-blocked
// plan (coordBlockL2), so that small sets take it, and returns the previous
// value.
func SetCoordBlockL2(rows int) int {
	was := coordBlockL2
	coordBlockL2 = rows
	return was
}
