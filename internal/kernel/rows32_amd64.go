//go:build amd64 && !purego

package kernel

// AdamRunF32 is AdamF32 on n contiguous coordinates, any n ≥ 0 (the last
// n mod 16 with masked loads and stores: nothing past n is read or
// written), for a run of rows of a mini-batch step: with grad nil the
// gradient is g = fma(λ, w, +0) with λ = c[7] (one rounding, as DecayF32
// completes a row the data do not touch), else grad[i]. c[0:7] are
// AdamF32's constants. Every lane of expmax becomes the unsigned maximum of
// itself and the exponent bits (0x7f800000 mask) of the gradient entries
// of that lane, so that a lane equal to 0x7f800000 marks an infinite or
// NaN entry.
//
//go:noescape
func AdamRunF32(w, grad, m, v *float32, n int, c *[8]float32, expmax *[16]uint32)
