//go:build amd64 && !purego

package kernel

// Dense4x40 computes a block of 4 rows by 40 columns of the product
// C = A·B (load = 0) or C += A·B (load ≠ 0): for r < 4 and the lanes in
// masks (byte j for columns 8j…8j+7),
//
//	c[r·ldc/8 + col] = (load ? c[r·ldc/8 + col] : 0) + Σ_{i<k} a[r·lda/8 + i]·b[i·ldb/8 + col],
//
// the terms added in order of i, each with one fused multiply-add. Strides
// ldc, lda and ldb are in bytes. Lanes outside masks are neither read
// from b and c nor written to c. The dense model path (Gaussian noise)
// runs its forward pass (A = X, B = W) and backward pass (A = Xᵀ, B = ∂L/∂Z)
// through it.
//
//go:noescape
func Dense4x40(c *float64, ldc int, a *float64, lda int, b *float64, ldb int, k int, masks uint64, load int)

// Dense1x40 is Dense4x40 for one row.
//
//go:noescape
func Dense1x40(c *float64, ldc int, a *float64, lda int, b *float64, ldb int, k int, masks uint64, load int)

// FMAPeak runs n iterations of 16 independent 8-lane fused multiply-adds
// and writes their sum to out: the CPU's FMA throughput, the floor against
// which BenchmarkDense measures the dense products.
//
//go:noescape
func FMAPeak(n int, out *[8]float64)
