package npzfile

import (
	"bytes"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

// TestWriterMatchesNpyio: the streaming writer produces the bytes npyio's
// writer produces for the same arrays (so files written before and after it
// are identical), for each dtype and for shapes of rank 1 to 3.
func TestWriterMatchesNpyio(t *testing.T) {
	f := make([]float64, 2*3*700) // more than one 64 KiB block
	for i := range f {
		f[i] = float64(i)*0.37 - 11
	}
	nested := make([][][]float64, 2)
	for a := range nested {
		nested[a] = make([][]float64, 3)
		for b := range nested[a] {
			nested[a][b] = f[(a*3+b)*700 : (a*3+b+1)*700]
		}
	}
	ints := []int64{-1, 1, 7, 1 << 40}
	f32 := []float32{1.5, -2, 3.25}

	var want bytes.Buffer
	zw := npz.NewWriter(&want)
	for _, e := range []struct {
		name string
		v    any
	}{{"x", nested}, {"y", ints}, {"z", f32}, {"flat", f[:5]}} {
		if err := zw.Write(e.name, e.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}

	var got bytes.Buffer
	w := NewWriter(&got)
	for _, err := range []error{
		w.Float64("x", []int{2, 3, 700}, f),
		w.Int64("y", []int{4}, ints),
		w.Float32("z", []int{3}, f32),
		w.Float64("flat", []int{5}, f[:5]),
		w.Close(),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("streamed archive (%d bytes) differs from npyio's (%d bytes)", got.Len(), want.Len())
	}
}

func TestWriterShapeMismatch(t *testing.T) {
	w := NewWriter(&bytes.Buffer{})
	if err := w.Float64("x", []int{2, 3}, make([]float64, 5)); err == nil {
		t.Error("5 values accepted for shape (2, 3)")
	}
}
