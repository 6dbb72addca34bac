// Package kernel holds the assembly kernels of adamgap's hot loops, one set
// per kernel path (paths.go: which paths this build and CPU run, and the
// one ADAMGAP_KERNELS selects). The AVX-512 ones:
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
// The AVX2 + FMA kernels (avx2_amd64.go) do the AVX-512 ones' arithmetic
// on 4-lane registers, in the same order, so give the same bits; they are
// tested the same way (blocks_test.go).
//
// Call the AVX-512 kernels only when Available is true, the AVX2 ones only
// when AvailableAVX2 is. Slices are passed as
// pointers with explicit lengths and the kernels check nothing: callers
// check bounds, and row indices must be in range (package model validates a
// data.Set once, with data.Set.Validate, before its kernels see it).
package kernel
