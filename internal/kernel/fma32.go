package kernel

import "math"

// FMA32 returns a·b + c rounded once to float32, as the AVX-512 kernels'
// VFMADD231PS and PyTorch's vectorised float32 kernels compute it. The
// product is exact in float64; the sum is rounded to float64 and then to
// float32, and where that double rounding could differ from a single one
// (the float64 sum exactly halfway between two float32 values while the
// exact sum is not) the float64 sum is first moved one ulp toward the
// exact one. Results in float32's subnormal range may still differ from a
// single rounding in the last place.
func FMA32(a, b, c float32) float32 {
	p := float64(a) * float64(b)
	s := p + float64(c)
	if bits := math.Float64bits(s); bits&(1<<29-1) == 1<<28 {
		// Knuth's TwoSum: the rounding error of p + c, exactly.
		bb := s - p
		e := (p - (s - bb)) + (float64(c) - bb)
		switch {
		case e > 0:
			s = math.Nextafter(s, math.Inf(1))
		case e < 0:
			s = math.Nextafter(s, math.Inf(-1))
		}
	}
	return float32(s)
}
