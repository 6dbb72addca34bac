package model_test

import (
	"archive/zip"
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"codeberg.org/sbinet/npyio/npy"

	"github.com/adamgap/adamgap/model"
)

// TestReadNPZSavezNames reads weights saved the way NumPy's np.savez names
// archive members ("W0.npy"), as PyTorch/NumPy users hand them to
// --init-from.
func TestReadNPZSavezNames(t *testing.T) {
	c := model.CNN{D: 7, M: 3, Q: 3}
	w := c.Init(0.5, rand.New(rand.NewPCG(1, 2)))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, err := zw.Create("W0.npy")
	if err != nil {
		t.Fatal(err)
	}
	if err := npy.Write(f, c.ToTensor(w)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := c.ReadNPZ(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "W0")
	if err != nil {
		t.Fatalf("ReadNPZ of an np.savez-style archive: %v", err)
	}
	if !slices.Equal(got, w) {
		t.Errorf("weights changed in the round trip")
	}
}
