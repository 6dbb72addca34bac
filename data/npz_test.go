package data

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/adamgap/adamgap/internal/npzfile"
)

// npyBytes builds a .npy file by hand (format 1.0), so tests can write
// dtypes, orders and broken headers that npyio's writer never makes.
func npyBytes(descr string, fortran bool, shape []int, payload []byte) []byte {
	dims := make([]string, len(shape))
	for i, s := range shape {
		dims[i] = fmt.Sprint(s)
	}
	sh := "(" + strings.Join(dims, ", ")
	if len(shape) == 1 {
		sh += ","
	}
	sh += ")"
	order := "False"
	if fortran {
		order = "True"
	}
	return npyRawHeader(fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, order, sh), payload)
}

// npyRawHeader wraps a header dictionary text and a payload in the .npy
// framing (magic, version 1.0, length, padding to 64 bytes, newline).
func npyRawHeader(dict string, payload []byte) []byte {
	pad := 64 - (10+len(dict)+1)%64
	hdr := dict + strings.Repeat(" ", pad) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(hdr)))
	b.WriteString(hdr)
	b.Write(payload)
	return b.Bytes()
}

func f8(v ...float64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

func i8(v ...int64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
	}
	return b
}

// zipOf stores the named entries (".npy" is appended) in a zip archive.
func zipOf(t testing.TB, entries map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := slices.Sorted(maps.Keys(entries))
	for _, n := range names {
		f, err := zw.Create(n + ".npy")
		if err != nil {
			t.Fatal(err)
		}
		f.Write(entries[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// x2 is a valid X_train of shape (2, 2, 3) and its C-order values.
var x2 = []float64{1, 0, 0, -0.2, 0.5, 0, -1, 0, 0, 0.2, 0, -0.7}

func readBytes(b []byte) (*Set, error) { return ReadNPZ(bytes.NewReader(b), int64(len(b))) }

func TestNPZRoundTrip(t *testing.T) {
	pm := PatchModel{D: 11, S: 4, SigmaP: 0.4, Alpha: 0.2}
	set, err := pm.Train(8, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := set.WriteNPZ(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := readBytes(buf.Bytes())
	if err != nil {
		t.Fatalf("ReadNPZ of WriteNPZ: %v", err)
	}
	if back.D != set.D || !slices.Equal(back.Y, set.Y) || !slices.Equal(back.NoisePatch, set.NoisePatch) ||
		!slices.Equal(back.Idx, set.Idx) || !slices.Equal(back.Val, set.Val) || !slices.Equal(back.ColVal, set.ColVal) {
		t.Errorf("round trip changed the set")
	}
	// The layout other tools read: X_train float64 (n,2,d), y_train int64 (n,).
	zr, err := npz.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if h := zr.Header("X_train"); !slices.Equal(h.Descr.Shape, []int{8, 2, 11}) || npzfile.DType(h) != "<f8" {
		t.Errorf("X_train: shape %v dtype %s, want [8 2 11] <f8", h.Descr.Shape, h.Descr.Type)
	}
	if h := zr.Header("y_train"); !slices.Equal(h.Descr.Shape, []int{8}) || npzfile.DType(h) != "<i8" {
		t.Errorf("y_train: shape %v dtype %s, want [8] <i8", h.Descr.Shape, h.Descr.Type)
	}
}

// TestReadNPZLabelTypes: labels made by NumPy may be int64, int32 or float64.
func TestReadNPZLabelTypes(t *testing.T) {
	x := npyBytes("<f8", false, []int{2, 2, 3}, f8(x2...))
	for _, y := range [][]byte{
		npyBytes("<i8", false, []int{2}, i8(1, -1)),
		npyBytes("<i4", false, []int{2}, []byte{1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}),
		npyBytes("<f8", false, []int{2}, f8(1, -1)),
	} {
		set, err := readBytes(zipOf(t, map[string][]byte{"X_train": x, "y_train": y}))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(set.Y, []int8{1, -1}) {
			t.Errorf("labels %v, want [1 -1]", set.Y)
		}
		if set.D != 3 || !slices.Equal(set.Dense()[1][1], []float64{0.2, 0, -0.7}) {
			t.Errorf("X_train read wrongly: %v", set.Dense())
		}
	}
}

// rejectCase is a file that reading must refuse with an error containing
// want.
type rejectCase struct {
	name string
	file []byte
	want string
}

// rejects checks that readBytes refuses every file of tests with its error.
func rejects(t *testing.T, tests []rejectCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := readBytes(tt.file)
			if err == nil {
				t.Fatalf("accepted (n=%d); want an error containing %q", set.N(), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestReadNPZRejects(t *testing.T) {
	x := npyBytes("<f8", false, []int{2, 2, 3}, f8(x2...))
	y := npyBytes("<i8", false, []int{2}, i8(1, -1))
	withX := func(b []byte) []byte { return zipOf(t, map[string][]byte{"X_train": b, "y_train": y}) }
	withY := func(b []byte) []byte { return zipOf(t, map[string][]byte{"X_train": x, "y_train": b}) }
	nan := slices.Clone(x2)
	nan[10] = math.NaN()
	inf := slices.Clone(x2)
	inf[3] = math.Inf(1)
	tests := []rejectCase{
		{"empty", nil, "not a readable NPZ"},
		{"garbage", []byte("definitely not a zip"), "not a readable NPZ"},
		{"X missing", zipOf(t, map[string][]byte{"y_train": y}), "X_train is missing"},
		{"y missing", zipOf(t, map[string][]byte{"X_train": x}), "y_train is missing"},
		{"X 2-d", withX(npyBytes("<f8", false, []int{2, 6}, f8(x2...))), "X_train has shape [2 6]"},
		{"X three patches", withX(npyBytes("<f8", false, []int{2, 3, 2}, f8(x2...))), "X_train has shape [2 3 2]"},
		{"X d=1", withX(npyBytes("<f8", false, []int{2, 2, 1}, f8(1, 0, -1, 0))), "X_train has shape [2 2 1]"},
		{"X n=0", withX(npyBytes("<f8", false, []int{0, 2, 3}, nil)), "X_train has shape [0 2 3]"},
		{"X negative dim", withX(npyBytes("<f8", false, []int{2, 2, -3}, nil)), "X_train has shape [2 2 -3]"},
		{"X float32", withX(npyBytes("<f4", false, []int{2, 2, 3}, make([]byte, 48))), "dtype <f4"},
		{"X big-endian", withX(npyBytes(">f8", false, []int{2, 2, 3}, f8(x2...))), "dtype >f8"},
		{"X int64", withX(npyBytes("<i8", false, []int{2, 2, 3}, make([]byte, 96))), "dtype <i8"},
		{"X Fortran order", withX(npyBytes("<f8", true, []int{2, 2, 3}, f8(x2...))), "Fortran order"},
		{"X truncated", withX(npyBytes("<f8", false, []int{2, 2, 3}, f8(x2[:7]...))), "X_train"},
		{"X huge shape", withX(npyBytes("<f8", false, []int{1 << 40, 2, 3}, nil)), "too large"},
		{"X NaN", withX(npyBytes("<f8", false, []int{2, 2, 3}, f8(nan...))), "X_train[1,1,1]=NaN"},
		{"X Inf", withX(npyBytes("<f8", false, []int{2, 2, 3}, f8(inf...))), "X_train[0,1,0]=+Inf"},
		{"y wrong length", withY(npyBytes("<i8", false, []int{3}, i8(1, -1, 1))), "y_train has shape [3]"},
		{"y 2-d", withY(npyBytes("<i8", false, []int{2, 1}, i8(1, -1))), "y_train has shape [2 1]"},
		{"y label 0", withY(npyBytes("<i8", false, []int{2}, i8(1, 0))), "y_train[1]=0"},
		{"y label 2", withY(npyBytes("<i8", false, []int{2}, i8(2, -1))), "y_train[0]=2"},
		{"y label 0.5", withY(npyBytes("<f8", false, []int{2}, f8(1, 0.5))), "y_train[1]=0.5"},
		{"y label NaN", withY(npyBytes("<f8", false, []int{2}, f8(math.NaN(), 1))), "y_train[0]=NaN"},
		{"y bool", withY(npyBytes("|b1", false, []int{2}, []byte{1, 0})), "y_train has dtype |b1"},
		{"y truncated", withY(npyBytes("<i8", false, []int{2}, i8(1))), "y_train"},
		{"not npy", withX([]byte("plain text, no magic")), "X_train"},
		{"header without newline", withX([]byte("\x93NUMPY\x01\x00\x04\x00abcd")), "X_train"},
		{"header without keys", withX(npyRawHeader("{}", nil)), "X_train"},
		{"header keys reversed", withX(npyRawHeader("{'shape': (2, 2, 3), 'fortran_order': False, 'descr': '<f8', }", f8(x2...))), "X_train"},
		{"header shape not a tuple", withX(npyRawHeader("{'descr': '<f8', 'fortran_order': False, 'shape': , }", nil)), "X_train"},
		{"header huge length", withX([]byte("\x93NUMPY\x02\x00\xff\xff\xff\x7f")), "X_train"},
		{"bad major version", withX([]byte("\x93NUMPY\x07\x00\x04\x00abc\n")), "X_train"},
	}
	rejects(t, tests)
}

func TestReadNPZErrorKinds(t *testing.T) {
	x := npyBytes("<f8", false, []int{2, 2, 3}, f8(x2...))
	for _, tt := range []struct {
		y    []byte
		want error
	}{
		{npyBytes("<i8", false, []int{3}, i8(1, -1, 1)), ErrShape},
		{npyBytes("<i8", false, []int{2}, i8(1, 3)), ErrInvalid},
	} {
		_, err := readBytes(zipOf(t, map[string][]byte{"X_train": x, "y_train": tt.y}))
		if !errors.Is(err, tt.want) {
			t.Errorf("error %v does not wrap %v", err, tt.want)
		}
	}
}

// FuzzReadNPZ: whatever the bytes, ReadNPZ returns an error or a set that
// satisfies the Set invariants: labels ±1, every value finite, indices in
// range, row and column forms of the same size. It never panics.
func FuzzReadNPZ(f *testing.F) {
	set, err := PatchModel{D: 5, S: 2, SigmaP: 1, Alpha: 0.2}.Train(4, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := set.WriteNPZ(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	x := npyBytes("<f8", false, []int{2, 2, 3}, f8(x2...))
	f.Add(zipOf(f, map[string][]byte{"X_train": x, "y_train": npyBytes("<f8", false, []int{2}, f8(1, -1))}))
	f.Add(zipOf(f, map[string][]byte{"X_train": x, "y_train": npyBytes("<i4", false, []int{2}, make([]byte, 8))}))
	f.Add(zipOf(f, map[string][]byte{"X_train": x}))
	var sparse bytes.Buffer
	if err := set.WriteNPZLayout(&sparse, LayoutSparse); err != nil {
		f.Fatal(err)
	}
	f.Add(sparse.Bytes())
	f.Add([]byte("PK\x05\x06"))
	f.Fuzz(func(t *testing.T, b []byte) {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("ReadNPZ panicked: %v", p)
			}
		}()
		s, err := readBytes(b)
		if err != nil {
			return
		}
		if s.N() < 1 || s.D < 2 || len(s.PatchPtr) != 2*s.N()+1 || len(s.ColPtr) != s.D+1 || len(s.ColVal) != len(s.Val) {
			t.Fatalf("accepted a malformed set: n=%d d=%d", s.N(), s.D)
		}
		for i, y := range s.Y {
			if y != 1 && y != -1 {
				t.Fatalf("accepted y[%d] = %d", i, y)
			}
		}
		for e, v := range s.Val {
			if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 || s.Idx[e] < 0 || int(s.Idx[e]) >= s.D {
				t.Fatalf("accepted entry %d: index %d value %v", e, s.Idx[e], v)
			}
		}
	})
}

func i4(v ...int32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
	}
	return b
}

// keys returns the array names of an NPZ file in sorted order.
func keys(t *testing.T, b []byte) []string {
	t.Helper()
	zr, err := npz.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	k := slices.Clone(zr.Keys())
	for i := range k {
		k[i] = strings.TrimSuffix(k[i], ".npy")
	}
	slices.Sort(k)
	return k
}

func sameSets(a, b *Set) bool {
	return a.D == b.D && slices.Equal(a.Y, b.Y) && slices.Equal(a.NoisePatch, b.NoisePatch) &&
		slices.Equal(a.PatchPtr, b.PatchPtr) && slices.Equal(a.Idx, b.Idx) && slices.Equal(a.Val, b.Val) &&
		slices.Equal(a.ColPtr, b.ColPtr) && slices.Equal(a.ColPatch, b.ColPatch) && slices.Equal(a.ColVal, b.ColVal)
}

// TestNPZLayouts: every layout reads back to the same set; auto writes
// X_train only up to DenseLimit values; the sparse arrays have the shapes
// and dtypes the README's NumPy lines expect.
func TestNPZLayouts(t *testing.T) {
	for _, alpha := range []float64{0.2, 0} {
		pm := PatchModel{D: 11, S: 4, SigmaP: 0.4, Alpha: alpha}
		set, err := pm.Train(8, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		k := 4
		if alpha != 0 {
			k = 5
		}
		for _, tt := range []struct {
			layout Layout
			want   []string
		}{
			{LayoutAuto, []string{"X_train", "feature", "noise_index", "noise_value", "y_train"}},
			{LayoutDense, []string{"X_train", "feature", "noise_index", "noise_value", "y_train"}},
			{LayoutSparse, []string{"feature", "noise_index", "noise_value", "y_train"}},
		} {
			var buf bytes.Buffer
			if err := set.WriteNPZLayout(&buf, tt.layout); err != nil {
				t.Fatal(err)
			}
			if got := keys(t, buf.Bytes()); !slices.Equal(got, tt.want) {
				t.Errorf("alpha=%v %v: arrays %v, want %v", alpha, tt.layout, got, tt.want)
			}
			back, err := readBytes(buf.Bytes())
			if err != nil {
				t.Fatalf("alpha=%v %v: %v", alpha, tt.layout, err)
			}
			if !sameSets(back, set) {
				t.Errorf("alpha=%v %v: round trip changed the set", alpha, tt.layout)
			}
			zr, _ := npz.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			for name, want := range map[string]string{"noise_index": "<i8", "noise_value": "<f8"} {
				if h := zr.Header(name); !slices.Equal(h.Descr.Shape, []int{8, k}) || npzfile.DType(h) != want {
					t.Errorf("%s: shape %v dtype %s, want [8 %d] %s", name, h.Descr.Shape, h.Descr.Type, k, want)
				}
			}
			if h := zr.Header("feature"); !slices.Equal(h.Descr.Shape, []int{11}) {
				t.Errorf("feature: shape %v, want [11]", h.Descr.Shape)
			}
		}
	}
	// Above DenseLimit, auto leaves X_train out.
	big, err := PatchModel{D: DenseLimit/4 + 1, S: 3, SigmaP: 1, Alpha: 0.2}.Train(2, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := big.WriteNPZ(&buf); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, buf.Bytes()); slices.Contains(got, "X_train") {
		t.Errorf("n·2·d = %d > DenseLimit, yet X_train was written (%v)", 2*2*big.D, got)
	}
	back, err := readBytes(buf.Bytes())
	if err != nil || !sameSets(back, big) {
		t.Errorf("sparse round trip above DenseLimit: %v", err)
	}
}

// TestNPZIrregularIsDense: a set the sparse arrays cannot hold (the noise
// in patch 0) is written as X_train and y_train only, and reads back.
func TestNPZIrregularIsDense(t *testing.T) {
	x := [][][]float64{{{0, 0.5, 0}, {1, 0, 0}}, {{-1, 0, 0}, {0, 0, 0.3}}}
	set := FromDense(x, []int8{1, -1})
	var buf bytes.Buffer
	if err := set.WriteNPZLayout(&buf, LayoutSparse); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, buf.Bytes()); !slices.Equal(got, []string{"X_train", "y_train"}) {
		t.Errorf("arrays %v, want [X_train y_train]", got)
	}
	back, err := readBytes(buf.Bytes())
	if err != nil || !sameSets(back, set) {
		t.Errorf("round trip: %v", err)
	}
}

// TestReadNPZSparse: the sparse layout as NumPy writes it — int32 or int64
// indices in any order, zero values — reads to the set X_train describes.
func TestReadNPZSparse(t *testing.T) {
	y := npyBytes("<i8", false, []int{2}, i8(1, -1))
	feat := npyBytes("<f8", false, []int{3}, f8(1, 0, 0))
	val := npyBytes("<f8", false, []int{2, 2}, f8(0.5, -0.2, 0.2, -0.7))
	for _, idx := range [][]byte{
		npyBytes("<i8", false, []int{2, 2}, i8(1, 0, 0, 2)),
		npyBytes("<i4", false, []int{2, 2}, i4(1, 0, 0, 2)),
	} {
		set, err := readBytes(zipOf(t, map[string][]byte{"y_train": y, "feature": feat, "noise_index": idx, "noise_value": val}))
		if err != nil {
			t.Fatal(err)
		}
		want, err := readBytes(zipOf(t, map[string][]byte{"X_train": npyBytes("<f8", false, []int{2, 2, 3}, f8(x2...)), "y_train": y}))
		if err != nil {
			t.Fatal(err)
		}
		if !sameSets(set, want) {
			t.Errorf("sparse %v, want %v", set.Dense(), want.Dense())
		}
	}
	// A zero value is dropped, as in the dense layout.
	zero := npyBytes("<f8", false, []int{2, 2}, f8(0.5, 0, 0.2, -0.7))
	set, err := readBytes(zipOf(t, map[string][]byte{"y_train": y, "feature": feat, "noise_index": npyBytes("<i8", false, []int{2, 2}, i8(1, 0, 0, 2)), "noise_value": zero}))
	if err != nil {
		t.Fatal(err)
	}
	if idx, _ := set.Patch(1); !slices.Equal(idx, []int32{1}) {
		t.Errorf("noise patch 0 has indices %v, want [1] (the zero dropped)", idx)
	}
}

func TestReadNPZSparseRejects(t *testing.T) {
	y := npyBytes("<i8", false, []int{2}, i8(1, -1))
	feat := npyBytes("<f8", false, []int{3}, f8(1, 0, 0))
	idx := npyBytes("<i8", false, []int{2, 2}, i8(1, 0, 0, 2))
	val := npyBytes("<f8", false, []int{2, 2}, f8(0.5, -0.2, 0.2, -0.7))
	with := func(name string, b []byte) []byte {
		m := map[string][]byte{"y_train": y, "feature": feat, "noise_index": idx, "noise_value": val}
		if b == nil {
			delete(m, name)
		} else {
			m[name] = b
		}
		return zipOf(t, m)
	}
	otherX := slices.Clone(x2)
	otherX[4] = 0.6
	tests := []rejectCase{
		{"index missing", with("noise_index", nil), "noise_index is missing"},
		{"value missing", with("noise_value", nil), "noise_value is missing"},
		{"feature missing", with("feature", nil), "feature is missing"},
		{"y missing", with("y_train", nil), "y_train is missing"},
		{"index out of range", with("noise_index", npyBytes("<i8", false, []int{2, 2}, i8(1, 0, 0, 3))), "noise_index[1,1]=3 is out of [0, d=3)"},
		{"index negative", with("noise_index", npyBytes("<i8", false, []int{2, 2}, i8(-1, 0, 0, 2))), "noise_index[0,0]=-1"},
		{"index twice", with("noise_index", npyBytes("<i8", false, []int{2, 2}, i8(1, 1, 0, 2))), "noise_index[0] names coordinate 1 twice"},
		{"index shape", with("noise_index", npyBytes("<i8", false, []int{2, 1}, i8(1, 0))), "noise_index has shape [2 1], want (2, 2)"},
		{"index float", with("noise_index", npyBytes("<f8", false, []int{2, 2}, f8(1, 0, 0, 2))), "noise_index has dtype <f8"},
		{"index truncated", with("noise_index", npyBytes("<i8", false, []int{2, 2}, i8(1, 0, 0))), "noise_index"},
		{"value 1-d", with("noise_value", npyBytes("<f8", false, []int{4}, f8(0.5, -0.2, 0.2, -0.7))), "noise_value has shape [4]"},
		{"value too wide", with("noise_value", npyBytes("<f8", false, []int{1, 4}, f8(0.5, -0.2, 0.2, -0.7))), "noise_value has shape [1 4]"},
		{"value NaN", with("noise_value", npyBytes("<f8", false, []int{2, 2}, f8(0.5, -0.2, math.NaN(), -0.7))), "noise_value[1,0]=NaN"},
		{"value float32", with("noise_value", npyBytes("<f4", false, []int{2, 2}, make([]byte, 16))), "noise_value has dtype <f4"},
		{"value huge", with("noise_value", npyBytes("<f8", false, []int{1 << 20, 1 << 10}, nil)), "cannot fit"},
		{"value Fortran", with("noise_value", npyBytes("<f8", true, []int{2, 2}, f8(0.5, -0.2, 0.2, -0.7))), "Fortran order"},
		{"feature 2-d", with("feature", npyBytes("<f8", false, []int{1, 3}, f8(1, 0, 0))), "feature has shape [1 3]"},
		{"feature d=1", with("feature", npyBytes("<f8", false, []int{1}, f8(1))), "feature has shape [1]"},
		{"feature Inf", with("feature", npyBytes("<f8", false, []int{3}, f8(1, math.Inf(-1), 0))), "feature[1]=-Inf"},
		{"y wrong length", with("y_train", npyBytes("<i8", false, []int{3}, i8(1, -1, 1))), "y_train has shape [3], want (2,) to match noise_value"},
		{"y label 0", with("y_train", npyBytes("<i8", false, []int{2}, i8(1, 0))), "y_train[1]=0"},
		{"X disagrees", with("X_train", npyBytes("<f8", false, []int{2, 2, 3}, f8(otherX...))), "X_train[0,1] differs"},
		{"X other shape", with("X_train", npyBytes("<f8", false, []int{2, 2, 4}, make([]byte, 128))), "X_train has n=2, d=4"},
	}
	rejects(t, tests)
	// Both layouts, agreeing, are read.
	if _, err := readBytes(with("X_train", npyBytes("<f8", false, []int{2, 2, 3}, f8(x2...)))); err != nil {
		t.Errorf("agreeing X_train and sparse arrays refused: %v", err)
	}
}
