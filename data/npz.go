package data

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"

	"github.com/adamgap/adamgap/internal/atomicfile"
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
// that every value is finite.
func ReadNPZ(r io.ReaderAt, size int64) (*Set, error) {
	zr, err := npz.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("npz: not a readable NPZ file: %w", err)
	}
	kx, hx, err := entry(zr, "X_train")
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
	if dtype(hx) != "<f8" {
		return nil, fmt.Errorf("%w: npz: X_train has dtype %s, want float64 (<f8)", ErrShape, dtype(hx))
	}
	n, d := shape[0], shape[2]
	if n > math.MaxInt32/(2*d) {
		return nil, fmt.Errorf("%w: npz: X_train of shape %v is too large", ErrShape, shape)
	}
	// Deflate expands at most about 1032:1; a header that promises more
	// values than the file can hold is refused before anything is allocated.
	if float64(n)*float64(2*d)*8 > 1100*float64(size) {
		return nil, fmt.Errorf("%w: npz: X_train of shape %v cannot fit in a file of %d bytes", ErrShape, shape, size)
	}
	var flat []float64
	if err := read(zr, kx, &flat); err != nil {
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
	y, err := readLabels(zr, n)
	if err != nil {
		return nil, err
	}
	x := make([][][]float64, n)
	for i := range x {
		x[i] = [][]float64{flat[(2*i)*d : (2*i+1)*d], flat[(2*i+1)*d : (2*i+2)*d]}
	}
	return FromDense(x, y), nil
}

// dtype returns the array's NumPy type string without the quotes that npyio
// keeps from the header dictionary ('<f8' becomes <f8).
func dtype(h *npy.Header) string {
	return strings.Trim(h.Descr.Type, `'"`)
}

// entry finds the array name, stored as name (WriteNPZ) or name.npy
// (NumPy's np.savez), and returns its key in the archive and its header.
func entry(zr *npz.Reader, name string) (key string, h *npy.Header, err error) {
	defer func() {
		if p := recover(); p != nil { // npyio panics on some malformed headers
			key, h, err = "", nil, fmt.Errorf("%w: npz: %s has a malformed .npy header (%v)", ErrShape, name, p)
		}
	}()
	for _, k := range []string{name, name + ".npy"} {
		if slices.Contains(zr.Keys(), k) {
			if err := checkHeaderLen(zr, k); err != nil {
				return "", nil, err
			}
			if h := zr.Header(k); h != nil {
				return k, h, nil
			}
			return "", nil, fmt.Errorf("%w: npz: %s is not a readable .npy array", ErrShape, k)
		}
	}
	return "", nil, fmt.Errorf("%w: npz: array %s is missing (have %v)", ErrShape, name, zr.Keys())
}

// maxHeaderLen bounds the length of a .npy header dictionary, as NumPy's
// own reader does (its default limit is 10000 bytes), so that a corrupt
// length field does not make npyio allocate gigabytes.
const maxHeaderLen = 1 << 16

// checkHeaderLen reads the fixed preamble of the .npy entry key (magic,
// version, header length) and refuses header lengths beyond maxHeaderLen.
func checkHeaderLen(zr *npz.Reader, key string) error {
	rc, err := zr.Open(key)
	if err != nil {
		return fmt.Errorf("%w: npz: %s: %w", ErrShape, key, err)
	}
	defer rc.Close()
	var pre [12]byte
	if _, err := io.ReadFull(rc, pre[:10]); err != nil {
		return fmt.Errorf("%w: npz: %s is not a .npy array: %w", ErrShape, key, err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return fmt.Errorf("%w: npz: %s is not a .npy array (no \\x93NUMPY magic)", ErrShape, key)
	}
	n := int(binary.LittleEndian.Uint16(pre[8:10]))
	if pre[6] >= 2 {
		if _, err := io.ReadFull(rc, pre[10:12]); err != nil {
			return fmt.Errorf("%w: npz: %s: truncated .npy header: %w", ErrShape, key, err)
		}
		n = int(binary.LittleEndian.Uint32(pre[8:12]))
	}
	if n > maxHeaderLen {
		return fmt.Errorf("%w: npz: %s declares a .npy header of %d bytes, more than %d", ErrShape, key, n, maxHeaderLen)
	}
	return nil
}

// read reads the array stored under key into ptr.
func read(zr *npz.Reader, key string, ptr any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("npz: %s is malformed (%v)", key, p)
		}
	}()
	if err := zr.Read(key, ptr); err != nil {
		return fmt.Errorf("npz: could not read %s: %w", key, err)
	}
	return nil
}

func readLabels(zr *npz.Reader, n int) ([]int8, error) {
	ky, hy, err := entry(zr, "y_train")
	if err != nil {
		return nil, err
	}
	if s := hy.Descr.Shape; len(s) != 1 || s[0] != n {
		return nil, fmt.Errorf("%w: npz: y_train has shape %v, want (%d,) to match X_train", ErrShape, s, n)
	}
	raw := make([]float64, 0, n)
	switch dtype(hy) {
	case "<i8":
		var v []int64
		if err := read(zr, ky, &v); err != nil {
			return nil, err
		}
		for _, e := range v {
			raw = append(raw, float64(e))
		}
	case "<i4":
		var v []int32
		if err := read(zr, ky, &v); err != nil {
			return nil, err
		}
		for _, e := range v {
			raw = append(raw, float64(e))
		}
	case "<f8":
		var v []float64
		if err := read(zr, ky, &v); err != nil {
			return nil, err
		}
		raw = v
	default:
		return nil, fmt.Errorf("%w: npz: y_train has dtype %s, want int64, int32 or float64", ErrShape, dtype(hy))
	}
	if len(raw) != n {
		return nil, fmt.Errorf("%w: npz: y_train holds %d values, want %d", ErrShape, len(raw), n)
	}
	y := make([]int8, n)
	for i, v := range raw {
		if v != 1 && v != -1 {
			return nil, fmt.Errorf("%w: npz: y_train[%d]=%v, labels must be -1 or +1", ErrInvalid, i, v)
		}
		y[i] = int8(v)
	}
	return y, nil
}
