package data

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// pad adds 4 MiB of incompressible padding (from the seed), stored: it
// makes a file large enough for a claimed size of gigabytes to pass the
// deflate-ratio check; the payload never needs to be there, as nothing may
// be read.
func pad(zw *zip.Writer, seed uint64) {
	f, _ := zw.CreateHeader(&zip.FileHeader{Name: "padding.bin", Method: zip.Store})
	noise := make([]byte, 4<<20)
	rng := rand.New(rand.NewPCG(seed, seed))
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	f.Write(noise)
}

// bomb is a zip whose X_train header claims (5,000,000, 2, 50) float64 (4 GB)
// with a payload of zeros that deflate to a few megabytes, beside y_train of
// length ylen.
func bomb(t *testing.T, ylen int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, err := zw.CreateHeader(&zip.FileHeader{Name: "X_train.npy", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	f.Write(npyBytes("<f8", false, []int{5_000_000, 2, 50}, nil))
	pad(zw, 1)
	g, _ := zw.Create("y_train.npy")
	y := make([]int64, ylen)
	for i := range y {
		y[i] = 1 - 2*int64(i%2)
	}
	g.Write(npyBytes("<i8", false, []int{ylen}, i8(y...)))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadNPZBomb: headers are checked against each other and against the
// memory limit before any array is decompressed.
func TestReadNPZBomb(t *testing.T) {
	b := bomb(t, 10)
	_, err := ReadNPZMax(bytes.NewReader(b), int64(len(b)), 1<<30)
	if err == nil || !strings.Contains(err.Error(), "y_train has shape [10], want (5000000,)") {
		t.Fatalf("bomb with a 10-element y_train: %v, want the shape mismatch", err)
	}
	b = bomb(t, 5_000_000)
	_, err = ReadNPZMax(bytes.NewReader(b), int64(len(b)), 1<<30)
	if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "more than the limit of 1 GiB") {
		t.Fatalf("bomb with a matching y_train: %v, want the memory limit", err)
	}
}

// TestReadNPZDuplicateMember: a member stored twice is refused (NumPy would
// take the last, this reader the first), as is name beside name.npy.
func TestReadNPZDuplicateMember(t *testing.T) {
	x := npyBytes("<f8", false, []int{2, 2, 3}, f8(x2...))
	y := npyBytes("<i8", false, []int{2}, i8(1, -1))
	build := func(names ...string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range names {
			f, _ := zw.Create(n)
			if strings.HasPrefix(n, "X") {
				f.Write(x)
			} else {
				f.Write(y)
			}
		}
		zw.Close()
		return buf.Bytes()
	}
	for _, tt := range []struct {
		names []string
		want  string
	}{
		{[]string{"X_train.npy", "y_train.npy", "y_train.npy"}, "member y_train.npy appears twice"},
		{[]string{"X_train.npy", "X_train", "y_train.npy"}, "both X_train and X_train.npy"},
	} {
		_, err := readBytes(build(tt.names...))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.names, err, tt.want)
		}
	}
}

// TestReadNPZOneClass: labels of one class only are refused (the probes of
// the missing class would be ±Inf); unbalanced labels of both classes are
// read.
func TestReadNPZOneClass(t *testing.T) {
	x := npyBytes("<f8", false, []int{2, 2, 3}, f8(x2...))
	_, err := readBytes(zipOf(t, map[string][]byte{"X_train": x, "y_train": npyBytes("<i8", false, []int{2}, i8(1, 1))}))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "y_train has no -1 labels (all 2 are +1)") {
		t.Fatalf("one-class labels: %v", err)
	}
	x4 := npyBytes("<f8", false, []int{4, 2, 3}, f8(append(append([]float64{}, x2...), x2...)...))
	set, err := readBytes(zipOf(t, map[string][]byte{"X_train": x4, "y_train": npyBytes("<i8", false, []int{4}, i8(1, 1, 1, -1))}))
	if err != nil || set.N() != 4 {
		t.Fatalf("unbalanced labels: %v", err)
	}
}

// TestDrawCancelled: generation stops with the context's error.
func TestDrawCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pm := PatchModel{D: 100, S: 10, SigmaP: 1, Alpha: 0.1}
	if _, err := pm.TrainContext(ctx, 1_000_000, rand.New(rand.NewPCG(1, 2))); !errors.Is(err, context.Canceled) {
		t.Errorf("TrainContext after cancel: %v", err)
	}
	if _, err := pm.TestContext(ctx, 1_000_000, rand.New(rand.NewPCG(1, 2))); !errors.Is(err, context.Canceled) {
		t.Errorf("TestContext after cancel: %v", err)
	}
}

// TestReadNPZSparseHeadersFirst: in the sparse layout too, y_train's and
// noise_index's headers are checked against noise_value's before any array
// is read, and so is the memory the arrays need.
func TestReadNPZSparseHeadersFirst(t *testing.T) {
	build := func(ylen int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		add := func(name string, b []byte) {
			f, _ := zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: zip.Deflate})
			f.Write(b)
		}
		add("feature", npyBytes("<f8", false, []int{100}, f8(make([]float64, 100)...)))
		add("noise_value", npyBytes("<f8", false, []int{500_000, 100}, nil))
		add("noise_index", npyBytes("<i8", false, []int{500_000, 100}, nil))
		y := make([]int64, ylen)
		add("y_train", npyBytes("<i8", false, []int{ylen}, i8(y...)))
		pad(zw, 2)
		zw.Close()
		return buf.Bytes()
	}
	b := build(10)
	if _, err := ReadNPZMax(bytes.NewReader(b), int64(len(b)), 1<<30); err == nil || !strings.Contains(err.Error(), "y_train has shape [10], want (500000,)") {
		t.Fatalf("short y_train: %v", err)
	}
	b = build(500_000)
	if _, err := ReadNPZMax(bytes.NewReader(b), int64(len(b)), 1<<28); err == nil || !strings.Contains(err.Error(), "more than the limit of 0.25 GiB") {
		t.Fatalf("over the memory limit: %v", err)
	}
}
