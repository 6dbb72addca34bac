package model

import (
	"fmt"
	"io"
	"math"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/adamgap/adamgap/internal/npzfile"
)

// Named is one weight array to save, in the internal layout.
type Named struct {
	Name string
	W    []float64
}

// WriteNPZ writes each array as float64 of shape (2, m, d) under its name.
// It streams the arrays, holding no copy of the weights.
func (c CNN) WriteNPZ(w io.Writer, arrays ...Named) error {
	zw := npzfile.NewWriter(w)
	wd := c.Width()
	for _, a := range arrays {
		// Value e of the (2, m, d) tensor is column e/d, coordinate e%d.
		at := func(e int) float64 { return a.W[(e%c.D)*wd+e/c.D] }
		if err := zw.Float64From(a.Name, []int{2, c.M, c.D}, c.Size(), at); err != nil {
			return err
		}
	}
	return zw.Close()
}

// ReadNPZ reads the array name, float64 of shape (2, m, d), from an NPZ file
// and returns it in the internal layout. Shapes other than the network's,
// other dtypes and non-finite values are errors.
func (c CNN) ReadNPZ(r io.ReaderAt, size int64, name string) ([]float64, error) {
	zr, err := npz.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("npz: not a readable NPZ file: %w", err)
	}
	key, h, err := npzfile.Entry(zr, name)
	if err != nil {
		return nil, err
	}
	if s := h.Descr.Shape; len(s) != 3 || s[0] != 2 || s[1] != c.M || s[2] != c.D {
		return nil, fmt.Errorf("%w: npz: %s has shape %v, want (2, m=%d, d=%d)", ErrShape, name, s, c.M, c.D)
	}
	if dt := npzfile.DType(h); dt != "<f8" || h.Descr.Fortran {
		return nil, fmt.Errorf("%w: npz: %s has dtype %s (fortran order %v), want C-ordered float64 (<f8)", ErrShape, name, dt, h.Descr.Fortran)
	}
	var flat []float64
	if err := npzfile.Read(zr, key, &flat); err != nil {
		return nil, err
	}
	if len(flat) != c.Size() {
		return nil, fmt.Errorf("%w: npz: %s holds %d values, want %d", ErrShape, name, len(flat), c.Size())
	}
	for e, v := range flat {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: npz: %s[%d,%d,%d]=%v is not finite", ErrInvalid, name, e/(c.M*c.D), e/c.D%c.M, e%c.D, v)
		}
	}
	return c.FromFlatTensor(flat), nil
}
