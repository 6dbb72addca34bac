// Package kernel holds the AVX-512 assembly kernels of adamgap's hot loops:
// the sparse row sums of the forward and backward passes (a row of 40
// weights per input coordinate, five ZMM registers) and the Adam update.
// Go's compiler does not emit AVX-512 and its experimental SIMD package
// spills registers in these loops, so they are written by hand; each has a
// portable Go counterpart in its caller. kernel_test.go tests each kernel
// directly against a Go model of its operations (bit for bit) and the
// portable loops (to rounding), with guard regions around every buffer,
// masks and strides that are not multiples of 8, and an inaccessible page
// after the last element a kernel may touch.
//
// Call the kernels only when Available is true. Slices are passed as
// pointers with explicit lengths and the kernels check nothing: callers
// check bounds, and row indices must be in range (package model validates a
// data.Set once, with data.Set.Validate, before its kernels see it).
package kernel
