//go:build amd64 && !purego

package kernel

// AdamGatherRows is GatherRows40 followed by AdamDecayRows in one pass over
// the rows, without the gradient buffer: for each of d rows (stride bytes
// apart in w, m, v and dz), on the 40-column block whose chunk j (columns
// 8j…8j+7) is read and written where byte j of masks has the lane's bit,
// the gradient is
//
//	g = λ·w + Σ_{ptr[r] ≤ e < ptr[r+1]} val[e]·dz[ent[e]]
//
// when the row is rows[r] (rows strictly ascending, nrows of them), and
// g = λ·w otherwise — held in registers, never stored — and Adam updates the
// row with c = (β₁, 1−β₁, β₂, 1−β₂, step, rbc2, ε, λ, shrink):
// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w·shrink − step·m/(√v·rbc2 + ε).
// Every operation is GatherRows40's and AdamDecayRows', in their order (a
// rounded product added with a rounded sum, no fused multiply-add), so w,
// m and v come out bit for bit as those two kernels leave them. Each lane of
// expmax is raised to the largest exponent field of the gradient entries in
// that lane (the mask 0x7ff0… where one was infinite or NaN).
//
// ptr must be nondecreasing (the caller checks it); every ent[e] read is
// checked against nz, the rows of dz: at the first that is not in [0, nz)
// the kernel stops and returns false, with the rows before it updated.
//
//go:noescape
func AdamGatherRows(w, m, v, dz *float64, d int, stride int, rows *int32, nrows int, ptr *int32, ent *int32, val *float64, nz int, c *[9]float64, expmax *[8]uint64, masks uint64) (ok bool)
