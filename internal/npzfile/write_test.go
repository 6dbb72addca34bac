package npzfile

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

// TestWriterMatchesNpyio: the streaming writer's archive holds the entries
// npyio's writer makes for the same arrays — same names, order, method and
// .npy bytes — (so files written before and after it read the same), for
// each dtype and for shapes of rank 1 to 3; only the deflate level (and
// so the compressed bytes) differs.
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
	g, w2 := entries(t, got.Bytes()), entries(t, want.Bytes())
	if len(g) != len(w2) {
		t.Fatalf("streamed archive has %d entries, npyio's %d", len(g), len(w2))
	}
	for i := range g {
		if g[i].name != w2[i].name || g[i].method != w2[i].method || !bytes.Equal(g[i].data, w2[i].data) {
			t.Errorf("entry %d: streamed %s (method %d, %d bytes), npyio %s (method %d, %d bytes); contents equal: %v",
				i, g[i].name, g[i].method, len(g[i].data), w2[i].name, w2[i].method, len(w2[i].data), bytes.Equal(g[i].data, w2[i].data))
		}
	}
}

type entry struct {
	name   string
	method uint16
	data   []byte
}

// entries reads every entry of the zip archive b, in order.
func entries(t *testing.T, b []byte) []entry {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{f.Name, f.Method, data})
	}
	return out
}

func TestWriterShapeMismatch(t *testing.T) {
	w := NewWriter(&bytes.Buffer{})
	if err := w.Float64("x", []int{2, 3}, make([]float64, 5)); err == nil {
		t.Error("5 values accepted for shape (2, 3)")
	}
}
