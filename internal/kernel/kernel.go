// Package kernel holds the AVX-512 assembly kernels of adamgap's hot loops:
// the sparse row sums of the forward and backward passes (a row of 40
// weights per input coordinate, five ZMM registers) and the Adam update.
// Go's compiler does not emit AVX-512 and its experimental SIMD package
// spills registers in these loops, so they are written by hand; each has a
// portable Go counterpart in its caller, and tests compare the two.
//
// Call the kernels only when Available is true. Slices are passed as
// pointers with explicit lengths; callers check bounds.
package kernel
