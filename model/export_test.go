package model

// SetCoordForward turns the AVX-512 coordinate-blocked forward pass on or
// off (kernels_coord.go) and returns the previous setting.
func SetCoordForward(on bool) bool {
	was := coordForward
	coordForward = on
	return was
}
