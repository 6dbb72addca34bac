package model

import (
	"archive/zip"
	"bytes"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

func TestNPZRoundTrip(t *testing.T) {
	c := CNN{D: 7, M: 3, Q: 3}
	w0 := c.Init(0.1, rand.New(rand.NewPCG(1, 1)))
	w1 := c.Init(0.1, rand.New(rand.NewPCG(2, 2)))
	var buf bytes.Buffer
	if err := c.WriteNPZ(&buf, Named{"W0", w0}, Named{"W_adam", w1}); err != nil {
		t.Fatal(err)
	}
	r := bytes.NewReader(buf.Bytes())
	for _, a := range []Named{{"W0", w0}, {"W_adam", w1}} {
		got, err := c.ReadNPZ(r, int64(buf.Len()), a.Name)
		if err != nil {
			t.Fatalf("ReadNPZ(%s): %v", a.Name, err)
		}
		if !slices.Equal(got, a.W) {
			t.Errorf("ReadNPZ(%s) differs from what was written", a.Name)
		}
	}
	// The file holds the (2, m, d) tensor in C order.
	var flat []float64
	zr, err := npz.NewReader(r, int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if s := zr.Header("W0").Descr.Shape; !slices.Equal(s, []int{2, c.M, c.D}) {
		t.Errorf("W0 shape %v, want [2 %d %d]", s, c.M, c.D)
	}
	if err := zr.Read("W0", &flat); err != nil {
		t.Fatal(err)
	}
	for j, js := range []int{-1, 1} {
		for r := range c.M {
			for k := range c.D {
				if got, want := flat[(j*c.M+r)*c.D+k], w0[c.At(js, r, k)]; got != want {
					t.Fatalf("file W0[%d,%d,%d] = %v, want w[At(%d,%d,%d)] = %v", j, r, k, got, js, r, k, want)
				}
			}
		}
	}
}

// TestReadNPZNumPyNames: np.savez stores array W0 as the entry "W0.npy";
// such files (the replay files made with NumPy or PyTorch) must be read.
func TestReadNPZNumPyNames(t *testing.T) {
	c := CNN{D: 4, M: 2, Q: 1}
	file := npzOf(t, map[string]any{"W0.npy": tensor(2, 2, 4, 0.25)})
	w, err := c.ReadNPZ(bytes.NewReader(file), int64(len(file)), "W0")
	if err != nil {
		t.Fatalf("ReadNPZ of an np.savez-style file: %v", err)
	}
	for e, v := range w {
		if v != 0.25 {
			t.Fatalf("w[%d] = %v, want 0.25", e, v)
		}
	}
}

// npzOf writes arrays with the npz package: values are whatever npyio can
// write (nested slices give the shape).
func npzOf(t testing.TB, arrays map[string]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := npz.NewWriter(&buf)
	keys := slices.Sorted(maps.Keys(arrays))
	for _, k := range keys {
		if err := zw.Write(k, arrays[k]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rawZip returns a zip archive with the given entries, stored as is: a way
// to make NPZ files whose .npy headers are malformed.
func rawZip(t testing.TB, entries map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range entries {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tensor(j, m, d int, v float64) [][][]float64 {
	out := make([][][]float64, j)
	for a := range out {
		out[a] = make([][]float64, m)
		for r := range out[a] {
			out[a][r] = make([]float64, d)
			for k := range out[a][r] {
				out[a][r][k] = v
			}
		}
	}
	return out
}

func TestReadNPZRejects(t *testing.T) {
	c := CNN{D: 4, M: 2, Q: 1}
	withNaN := tensor(2, 2, 4, 0.5)
	withNaN[1][0][3] = math.NaN()
	withInf := tensor(2, 2, 4, 0.5)
	withInf[0][1][2] = math.Inf(-1)
	f32 := [][][]float32{{{1, 2, 3, 4}, {1, 2, 3, 4}}, {{1, 2, 3, 4}, {1, 2, 3, 4}}}
	tests := []struct {
		name string
		file []byte
		want string // substring of the error
	}{
		{"empty file", nil, "not a readable NPZ"},
		{"garbage bytes", []byte("this is not a zip file at all"), "not a readable NPZ"},
		{"missing array", npzOf(t, map[string]any{"W1": tensor(2, 2, 4, 1)}), "W0 is missing"},
		{"wrong m", npzOf(t, map[string]any{"W0": tensor(2, 3, 4, 1)}), "shape [2 3 4]"},
		{"wrong d", npzOf(t, map[string]any{"W0": tensor(2, 2, 5, 1)}), "shape [2 2 5]"},
		{"three classes", npzOf(t, map[string]any{"W0": tensor(3, 2, 4, 1)}), "shape [3 2 4]"},
		{"flat array", npzOf(t, map[string]any{"W0": make([]float64, 16)}), "shape [16]"},
		{"float32", npzOf(t, map[string]any{"W0": f32}), "dtype <f4"},
		{"NaN", npzOf(t, map[string]any{"W0": withNaN}), "W0[1,0,3]=NaN"},
		{"Inf", npzOf(t, map[string]any{"W0": withInf}), "W0[0,1,2]=-Inf"},
		{"not npy inside", rawZip(t, map[string][]byte{"W0.npy": []byte("hello")}), "W0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.ReadNPZ(bytes.NewReader(tt.file), int64(len(tt.file)), "W0")
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

// TestReadNPZErrorKinds: shape problems wrap ErrShape, bad values ErrInvalid.
func TestReadNPZErrorKinds(t *testing.T) {
	c := CNN{D: 4, M: 2, Q: 1}
	bad := tensor(2, 2, 4, 1)
	bad[0][0][0] = math.NaN()
	for _, tt := range []struct {
		file []byte
		want error
	}{
		{npzOf(t, map[string]any{"W0": tensor(2, 3, 4, 1)}), ErrShape},
		{npzOf(t, map[string]any{"W0": bad}), ErrInvalid},
	} {
		_, err := c.ReadNPZ(bytes.NewReader(tt.file), int64(len(tt.file)), "W0")
		if !errors.Is(err, tt.want) {
			t.Errorf("error %v does not wrap %v", err, tt.want)
		}
	}
}

// FuzzCNNReadNPZ: whatever the bytes, ReadNPZ returns an error or weights
// of the network's size, all finite, and never panics.
func FuzzCNNReadNPZ(f *testing.F) {
	c := CNN{D: 4, M: 2, Q: 1}
	var buf bytes.Buffer
	if err := c.WriteNPZ(&buf, Named{"W0", c.Init(1, rand.New(rand.NewPCG(1, 2)))}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(npzOf(f, map[string]any{"W0": tensor(2, 3, 4, 1)}))
	f.Add(npzOf(f, map[string]any{"W0": [][][]float32{{{1, 2, 3, 4}, {1, 2, 3, 4}}, {{1, 2, 3, 4}, {1, 2, 3, 4}}}}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("ReadNPZ panicked: %v", p)
			}
		}()
		w, err := c.ReadNPZ(bytes.NewReader(b), int64(len(b)), "W0")
		if err != nil {
			return
		}
		if len(w) != c.Size() {
			t.Fatalf("accepted %d weights, want %d", len(w), c.Size())
		}
		for e, v := range w {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("accepted non-finite w[%d] = %v", e, v)
			}
		}
	})
}
