package data

import (
	"fmt"
	"io"
	"math"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"

	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/internal/npzfile"
)

// WriteNPZ writes the set to w as NumPy arrays X_train, float64 of shape
// (n, 2, d) (patch 0 = x₁, patch 1 = x₂), and y_train, int64 of shape (n,).
func (s *Set) WriteNPZ(w io.Writer) error {
	zw := npz.NewWriter(w)
	if err := zw.Write("X_train", s.Dense()); err != nil {
		return fmt.Errorf("npz: could not write X_train: %w", err)
	}
	y := make([]int64, s.N())
	for i, v := range s.Y {
		y[i] = int64(v)
	}
	if err := zw.Write("y_train", y); err != nil {
		return fmt.Errorf("npz: could not write y_train: %w", err)
	}
	return zw.Close()
}

// SaveNPZ writes the set to the file path atomically (see WriteNPZ).
func (s *Set) SaveNPZ(path string) error {
	return atomicfile.Write(path, s.WriteNPZ)
}

// ReadNPZ reads a set written by WriteNPZ, or made elsewhere in the same
// layout, from r of the given size. It checks shapes, that labels are ±1 and
// that every value is finite. It is ReadNPZMax without a memory limit (the
// file size still bounds what a header may claim).
func ReadNPZ(r io.ReaderAt, size int64) (*Set, error) {
	return ReadNPZMax(r, size, math.MaxInt64)
}

// ReadNPZMax is ReadNPZ that refuses, before reading any array, a file
// whose headers disagree with each other (y_train's length against
// X_train's n) or whose arrays would take more than maxBytes to read
// (the dense X_train and its sparse copy). The set must hold both labels.
func ReadNPZMax(r io.ReaderAt, size int64, maxBytes int64) (*Set, error) {
	zr, err := npz.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("npz: not a readable NPZ file: %w", err)
	}
	kx, hx, err := npzfile.Entry(zr, "X_train")
	if err != nil {
		return nil, err
	}
	shape := hx.Descr.Shape
	if len(shape) != 3 || shape[0] < 1 || shape[1] != 2 || shape[2] < 2 {
		return nil, fmt.Errorf("%w: npz: X_train has shape %v, want (n, 2, d) with n >= 1, d >= 2", ErrShape, shape)
	}
	if hx.Descr.Fortran {
		return nil, fmt.Errorf("%w: npz: X_train is in Fortran order; save it C-contiguous (np.ascontiguousarray)", ErrShape)
	}
	if npzfile.DType(hx) != "<f8" {
		return nil, fmt.Errorf("%w: npz: X_train has dtype %s, want float64 (<f8)", ErrShape, npzfile.DType(hx))
	}
	n, d := shape[0], shape[2]
	if n > math.MaxInt32/(2*d) {
		return nil, fmt.Errorf("%w: npz: X_train of shape %v is too large", ErrShape, shape)
	}
	ky, hy, err := npzfile.Entry(zr, "y_train")
	if err != nil {
		return nil, err
	}
	if s := hy.Descr.Shape; len(s) != 1 || s[0] != n {
		return nil, fmt.Errorf("%w: npz: y_train has shape %v, want (%d,) to match X_train", ErrShape, s, n)
	}
	// Deflate expands at most about 1032:1; a header that promises more
	// values than the file can hold is refused before anything is allocated.
	if float64(n)*float64(2*d)*8 > 1100*float64(size) {
		return nil, fmt.Errorf("%w: npz: X_train of shape %v cannot fit in a file of %d bytes", ErrShape, shape, size)
	}
	// The dense array, then up to 24 bytes per entry of the sparse set.
	if need := float64(n) * float64(2*d) * (8 + 24); need > float64(maxBytes) {
		return nil, fmt.Errorf("%w: npz: reading X_train of shape %v needs about %.3g GiB, more than the limit of %.3g GiB; raise --max-memory or use a smaller file",
			ErrShape, shape, need/(1<<30), float64(maxBytes)/(1<<30))
	}
	var flat []float64
	if err := npzfile.Read(zr, kx, &flat); err != nil {
		return nil, fmt.Errorf("npz: could not read X_train: %w", err)
	}
	if len(flat) != n*2*d {
		return nil, fmt.Errorf("%w: npz: X_train holds %d values, want %d", ErrShape, len(flat), n*2*d)
	}
	for e, v := range flat {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: npz: X_train[%d,%d,%d]=%v is not finite", ErrInvalid, e/(2*d), e/d%2, e%d, v)
		}
	}
	y, err := readLabels(zr, ky, hy, n)
	if err != nil {
		return nil, err
	}
	x := make([][][]float64, n)
	for i := range x {
		x[i] = [][]float64{flat[(2*i)*d : (2*i+1)*d], flat[(2*i+1)*d : (2*i+2)*d]}
	}
	return FromDense(x, y), nil
}

func readLabels(zr *npz.Reader, ky string, hy *npy.Header, n int) ([]int8, error) {
	raw := make([]float64, 0, n)
	switch npzfile.DType(hy) {
	case "<i8":
		var v []int64
		if err := npzfile.Read(zr, ky, &v); err != nil {
			return nil, err
		}
		for _, e := range v {
			raw = append(raw, float64(e))
		}
	case "<i4":
		var v []int32
		if err := npzfile.Read(zr, ky, &v); err != nil {
			return nil, err
		}
		for _, e := range v {
			raw = append(raw, float64(e))
		}
	case "<f8":
		var v []float64
		if err := npzfile.Read(zr, ky, &v); err != nil {
			return nil, err
		}
		raw = v
	default:
		return nil, fmt.Errorf("%w: npz: y_train has dtype %s, want int64, int32 or float64", ErrShape, npzfile.DType(hy))
	}
	if len(raw) != n {
		return nil, fmt.Errorf("%w: npz: y_train holds %d values, want %d", ErrShape, len(raw), n)
	}
	y := make([]int8, n)
	count := map[int8]int{}
	for i, v := range raw {
		if v != 1 && v != -1 {
			return nil, fmt.Errorf("%w: npz: y_train[%d]=%v, labels must be -1 or +1", ErrInvalid, i, v)
		}
		y[i] = int8(v)
		count[y[i]]++
	}
	for _, c := range []int8{1, -1} {
		if count[c] == 0 {
			return nil, fmt.Errorf("%w: npz: y_train has no %+d labels (all %d are %+d); training and the per-class probes need examples of both classes", ErrInvalid, c, n, -c)
		}
	}
	return y, nil
}
