//go:build amd64 && !purego

package kernel

// AdamRowsF32 is AdamF32 on the n = d·width coordinates of w, m and v,
// rows of width (any n, width ≥ 1; a run of consecutive rows at a time,
// its last n mod 16 with masked loads and stores: nothing past n is read or
// written), for a mini-batch step: the gradient of the nrows rows listed
// in rows (strictly ascending, < d; not checked) is read from grad, of the
// others it is g = fma(λ, w, +0) with λ = c[7] (one rounding, as DecayF32
// completes a row the data do not touch; those rows of grad are not read).
// c[0:7] are AdamF32's constants. Every lane of expmax becomes the unsigned
// maximum of itself and the exponent bits (0x7f800000 mask) of the
// gradient entries of that lane of their block of 16, so that a lane equal
// to 0x7f800000 marks an infinite or NaN entry.
//
//go:noescape
func AdamRowsF32(w, grad, m, v *float32, n, width int, rows *int32, nrows int, c *[8]float32, expmax *[16]uint32)
