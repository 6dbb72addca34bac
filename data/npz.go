package data

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/internal/npzfile"
)

// Layout says which arrays WriteNPZLayout writes.
type Layout int

const (
	// LayoutAuto writes the sparse arrays, and X_train as well when it has
	// at most DenseLimit values (the paper's size has 400,000).
	LayoutAuto Layout = iota
	// LayoutDense writes the sparse arrays and X_train whatever its size.
	LayoutDense
	// LayoutSparse writes the sparse arrays only.
	LayoutSparse
)

// DenseLimit is the largest X_train, in values n·2·d, that LayoutAuto
// writes: 2²² values, 32 MiB of float64.
const DenseLimit = 1 << 22

// Layouts lists the names of the layouts, in the order of their values.
func Layouts() []string { return []string{"auto", "dense", "sparse"} }

// String returns the layout's name: auto, dense or sparse.
func (l Layout) String() string {
	if l < 0 || int(l) >= len(Layouts()) {
		return fmt.Sprintf("Layout(%d)", int(l))
	}
	return Layouts()[l]
}

// ParseLayout returns the layout called name.
func ParseLayout(name string) (Layout, error) {
	if i := slices.Index(Layouts(), name); i >= 0 {
		return Layout(i), nil
	}
	return 0, fmt.Errorf("%w: data_layout=%q is unknown; allowed: auto, dense, sparse", ErrInvalid, name)
}

// WriteNPZ writes the set to w in LayoutAuto (see WriteNPZLayout).
func (s *Set) WriteNPZ(w io.Writer) error { return s.WriteNPZLayout(w, LayoutAuto) }

// arrays names the arrays of one set in an NPZ file.
type arrays struct {
	x, y, yClean, index, value string
}

// trainArrays are the training set's arrays, testArrays the test set's.
var (
	trainArrays = arrays{x: "X_train", y: "y_train", yClean: "y_train_clean", index: "noise_index", value: "noise_value"}
	testArrays  = arrays{x: "X_test", y: "y_test", yClean: "y_test_clean", index: "noise_index_test", value: "noise_value_test"}
)

// WriteNPZLayout writes the set to w as NumPy arrays:
//
//	y_train        int64   (n,)     labels in {−1,+1}, trained on
//	y_train_clean  int64   (n,)     the labels the examples were drawn with,
//	                                when label noise flipped some (Set.Clean)
//	feature        float64 (d,)     μ: patch 0 of example i is (clean yᵢ)·μ
//	noise_index    int64   (n, k)   coordinates of the non-zeros of patch 1 (ξᵢ), increasing
//	noise_value    float64 (n, k)   their values
//	X_train        float64 (n,2,d)  the same examples dense (patch 0 = x₁, patch 1 = x₂),
//	                                as the layout asks
//
// k is the number of non-zeros of a noise patch (s+1 for generated sparse
// noise with α ≠ 0, s for α = 0, d−1 or d for Gaussian noise). A set the
// sparse arrays cannot hold (patch 0 not yᵢ·μ for one μ, the noise in
// patch 0, or noise patches with different numbers of non-zeros, as data
// read from a dense file may be) is written as X_train and y_train only,
// whatever the layout.
func (s *Set) WriteNPZLayout(w io.Writer, layout Layout) error {
	return WriteNPZSets(w, layout, s, nil)
}

// WriteNPZSets writes a training set as WriteNPZLayout does and, when test
// is not nil, a test set beside it under the names X_test, y_test,
// y_test_clean, noise_index_test and noise_value_test (the same layout
// rules; the sparse form shares feature with the training set, so a test
// set whose μ differs is written dense). ReadNPZSets reads both back.
func WriteNPZSets(w io.Writer, layout Layout, train, test *Set) error {
	zw := npzfile.NewWriter(w)
	feature, err := train.writeArrays(zw, trainArrays, layout, nil)
	if err != nil {
		return err
	}
	if test != nil {
		if test.D != train.D {
			return fmt.Errorf("%w: npz: the test set has d=%d, the training set d=%d", ErrShape, test.D, train.D)
		}
		if _, err := test.writeArrays(zw, testArrays, layout, feature); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeArrays writes one set's arrays named by a. With feature nil it
// writes "feature" when the sparse form holds the set; else the set's
// sparse form must have that feature vector (it is written dense
// otherwise). It returns the feature vector written, if any.
func (s *Set) writeArrays(zw *npzfile.Writer, a arrays, layout Layout, shared []float64) ([]float64, error) {
	n := s.N()
	labels := func(name string, v []int8) error {
		y := make([]int64, n)
		for i, e := range v {
			y[i] = int64(e)
		}
		return zw.Int64(name, []int{n}, y)
	}
	if err := labels(a.y, s.Y); err != nil {
		return nil, err
	}
	if s.Clean != nil {
		if err := labels(a.yClean, s.Clean); err != nil {
			return nil, err
		}
	}
	feature, k, ok := s.sparseForm()
	if ok && shared != nil && !slices.Equal(feature, shared) {
		ok = false
	}
	dense := !ok || layout == LayoutDense || (layout == LayoutAuto && n*2*s.D <= DenseLimit)
	if ok {
		// Noise patch i is entries PatchPtr[2i+1] … PatchPtr[2i+1]+k−1.
		at := func(e int) int { return int(s.PatchPtr[2*(e/k)+1]) + e%k }
		if shared == nil {
			if err := zw.Float64("feature", []int{s.D}, feature); err != nil {
				return nil, err
			}
		}
		if err := zw.Int64From(a.index, []int{n, k}, n*k, func(e int) int64 { return int64(s.Idx[at(e)]) }); err != nil {
			return nil, err
		}
		if err := zw.Float64From(a.value, []int{n, k}, n*k, func(e int) float64 { return s.Val[at(e)] }); err != nil {
			return nil, err
		}
	}
	if dense {
		// The examples streamed patch by patch, one dense row at a time.
		row := make([]float64, s.D)
		p := -1
		at := func(e int) float64 {
			if q := e / s.D; q != p {
				clear(row)
				p = q
				idx, val := s.Patch(p)
				for j, c := range idx {
					row[c] = val[j]
				}
			}
			return row[e%s.D]
		}
		if err := zw.Float64From(a.x, []int{n, 2, s.D}, n*2*s.D, at); err != nil {
			return nil, err
		}
	}
	if ok {
		return feature, nil
	}
	return nil, nil
}

// sparseForm returns the feature vector v and the number k of non-zeros of
// every noise patch when patch 0 of every example is yᵢ·v and patch 1 is
// its noise patch, each with k ≥ 1 non-zeros; ok is false otherwise.
func (s *Set) sparseForm() (feature []float64, k int, ok bool) {
	if s.N() == 0 {
		return nil, 0, false
	}
	y := s.CleanLabels() // the signal patch carries the clean label
	feature = make([]float64, s.D)
	fi, fv := s.Patch(0)
	for e, j := range fi {
		feature[j] = float64(y[0]) * fv[e]
	}
	k = int(s.PatchPtr[2] - s.PatchPtr[1])
	for i := range s.N() {
		if s.NoisePatch[i] != 1 || int(s.PatchPtr[2*i+2]-s.PatchPtr[2*i+1]) != k {
			return nil, 0, false
		}
		pi, pv := s.Patch(2 * i)
		if len(pi) != len(fi) {
			return nil, 0, false
		}
		for e, j := range pi {
			if j != fi[e] || pv[e] != float64(y[i])*feature[j] {
				return nil, 0, false
			}
		}
	}
	return feature, k, k >= 1
}

// SaveNPZ writes the set to the file path atomically in LayoutAuto (see
// WriteNPZLayout).
func (s *Set) SaveNPZ(path string) error { return s.SaveNPZLayout(path, LayoutAuto) }

// SaveNPZLayout writes the set to the file path atomically (see
// WriteNPZLayout).
func (s *Set) SaveNPZLayout(path string, layout Layout) error {
	return atomicfile.Write(path, func(w io.Writer) error { return s.WriteNPZLayout(w, layout) })
}

// ReadNPZ reads a set written by WriteNPZLayout, or made elsewhere in either
// layout, from r of the given size: the sparse arrays (noise_index,
// noise_value, feature, y_train), or X_train and y_train, or both, which
// must then hold the same examples. It checks shapes, dtypes, index ranges,
// that no noise patch names a coordinate twice, that labels are ±1 and that
// every value is finite. Zero values are dropped, as the dense reader does.
func ReadNPZ(r io.ReaderAt, size int64) (*Set, error) {
	return ReadNPZMax(r, size, math.MaxInt64)
}

// ReadNPZMax is ReadNPZ that refuses, before reading any array, a file
// whose headers disagree with each other (y_train's length, noise_index's
// shape, against X_train's or noise_value's n) or whose arrays would take
// more than maxBytes to read (the arrays and the set built from them). The
// set must hold both labels. A test set in the file is not read.
func ReadNPZMax(r io.ReaderAt, size int64, maxBytes int64) (*Set, error) {
	zr, err := npz.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("npz: not a readable NPZ file: %w", err)
	}
	return readSet(zr, trainArrays, size, maxBytes)
}

// ReadNPZSets reads the training set as ReadNPZMax does and the test set
// written by WriteNPZSets, or made elsewhere: X_test (n_test,2,d) and
// y_test, or noise_index_test and noise_value_test (with the file's
// feature) and y_test, or both; y_test_clean, optional, holds the clean
// labels of a test set with label noise. test is nil when the file holds
// no test set; maxBytes bounds each set's reading.
func ReadNPZSets(r io.ReaderAt, size int64, maxBytes int64) (train, test *Set, err error) {
	zr, err := npz.NewReader(r, size)
	if err != nil {
		return nil, nil, fmt.Errorf("npz: not a readable NPZ file: %w", err)
	}
	if train, err = readSet(zr, trainArrays, size, maxBytes); err != nil {
		return nil, nil, err
	}
	if !hasKey(zr, testArrays.y) && !hasKey(zr, testArrays.x) && !hasKey(zr, testArrays.value) {
		return train, nil, nil
	}
	if test, err = readSet(zr, testArrays, size, maxBytes); err != nil {
		return nil, nil, err
	}
	if test.D != train.D {
		return nil, nil, fmt.Errorf("%w: npz: the test set has d=%d, the training set d=%d", ErrShape, test.D, train.D)
	}
	return train, test, nil
}

func hasKey(zr *npz.Reader, name string) bool {
	return slices.Contains(zr.Keys(), name) || slices.Contains(zr.Keys(), name+".npy")
}

// readSet reads the set named by a, in either layout or both.
func readSet(zr *npz.Reader, a arrays, size, maxBytes int64) (*Set, error) {
	var sparse, dense *Set
	var err error
	if hasKey(zr, a.index) || hasKey(zr, a.value) {
		if sparse, err = readSparse(zr, a, size, maxBytes); err != nil {
			return nil, err
		}
	}
	if hasKey(zr, a.x) || sparse == nil {
		if dense, err = readDense(zr, a, size, maxBytes); err != nil {
			return nil, err
		}
	}
	switch {
	case sparse == nil:
		return dense, nil
	case dense == nil:
		return sparse, nil
	}
	if err := sameSet(a, dense, sparse); err != nil {
		return nil, err
	}
	return sparse, nil
}

// sameSet reports where two sets differ, as an error naming X_train.
func sameSet(a arrays, dense, sparse *Set) error {
	if dense.D != sparse.D || dense.N() != sparse.N() {
		return fmt.Errorf("%w: npz: %s has n=%d, d=%d but the sparse arrays n=%d, d=%d", ErrShape, a.x, dense.N(), dense.D, sparse.N(), sparse.D)
	}
	for p := range 2 * dense.N() {
		ai, av := dense.Patch(p)
		bi, bv := sparse.Patch(p)
		if !slices.Equal(ai, bi) || !slices.Equal(av, bv) || dense.NoisePatch[p/2] != sparse.NoisePatch[p/2] {
			return fmt.Errorf("%w: npz: %s[%d,%d] differs from the sparse arrays (feature, %s, %s); keep one layout or make them agree", ErrInvalid, a.x, p/2, p%2, a.index, a.value)
		}
	}
	return nil
}

// fits reports whether a file of size bytes can hold values items of
// itemSize bytes: deflate expands at most about 1032:1, so a header that
// promises more is refused before anything is allocated.
func fits(values, itemSize int, size int64) bool {
	return float64(values)*float64(itemSize) <= 1100*float64(size)
}

func readDense(zr *npz.Reader, a arrays, size int64, maxBytes int64) (*Set, error) {
	kx, hx, err := npzfile.Entry(zr, a.x)
	if err != nil {
		return nil, err
	}
	shape := hx.Descr.Shape
	if len(shape) != 3 || shape[0] < 1 || shape[1] != 2 || shape[2] < 2 {
		return nil, fmt.Errorf("%w: npz: %s has shape %v, want (n, 2, d) with n >= 1, d >= 2", ErrShape, a.x, shape)
	}
	if hx.Descr.Fortran {
		return nil, fmt.Errorf("%w: npz: %s is in Fortran order; save it C-contiguous (np.ascontiguousarray)", ErrShape, a.x)
	}
	if npzfile.DType(hx) != "<f8" {
		return nil, fmt.Errorf("%w: npz: %s has dtype %s, want float64 (<f8)", ErrShape, a.x, npzfile.DType(hx))
	}
	n, d := shape[0], shape[2]
	if n > math.MaxInt32/(2*d) {
		return nil, fmt.Errorf("%w: npz: %s of shape %v is too large", ErrShape, a.x, shape)
	}
	if !fits(n*2*d, 8, size) {
		return nil, fmt.Errorf("%w: npz: %s of shape %v cannot fit in a file of %d bytes", ErrShape, a.x, shape, size)
	}
	if err := checkLabelsHeader(zr, a, n, a.x); err != nil {
		return nil, err
	}
	// The dense array, then up to 24 bytes per entry of the sparse set.
	if err := checkMemory(a.x, shape, float64(n)*float64(2*d)*(8+24), maxBytes); err != nil {
		return nil, err
	}
	var flat []float64
	if err := npzfile.Read(zr, kx, &flat); err != nil {
		return nil, fmt.Errorf("npz: could not read %s: %w", a.x, err)
	}
	if len(flat) != n*2*d {
		return nil, fmt.Errorf("%w: npz: %s holds %d values, want %d", ErrShape, a.x, len(flat), n*2*d)
	}
	for e, v := range flat {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: npz: %s[%d,%d,%d]=%v is not finite", ErrInvalid, a.x, e/(2*d), e/d%2, e%d, v)
		}
	}
	y, clean, err := readAllLabels(zr, a, n, a.x)
	if err != nil {
		return nil, err
	}
	x := make([][][]float64, n)
	for i := range x {
		x[i] = [][]float64{flat[(2*i)*d : (2*i+1)*d], flat[(2*i+1)*d : (2*i+2)*d]}
	}
	set := FromDense(x, y)
	set.Clean = clean
	return set, nil
}

// readSparse reads the sparse layout of WriteNPZLayout.
func readSparse(zr *npz.Reader, a arrays, size int64, maxBytes int64) (*Set, error) {
	if err := checkSparseHeaders(zr, a, size, maxBytes); err != nil {
		return nil, err
	}
	feature, err := readFloats(zr, size, "feature", 1)
	if err != nil {
		return nil, err
	}
	d := len(feature.v)
	if d < 2 || d > math.MaxInt32 {
		return nil, fmt.Errorf("%w: npz: feature has shape %v, want (d,) with d >= 2", ErrShape, feature.shape)
	}
	for j, v := range feature.v {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: npz: feature[%d]=%v is not finite", ErrInvalid, j, v)
		}
	}
	val, err := readFloats(zr, size, a.value, 2)
	if err != nil {
		return nil, err
	}
	n, k := val.shape[0], val.shape[1]
	if n < 1 || k < 1 || k > d {
		return nil, fmt.Errorf("%w: npz: %s has shape %v, want (n, k) with n >= 1, 1 <= k <= d=%d", ErrShape, a.value, val.shape, d)
	}
	idx, err := readIndex(zr, a, size, n, k)
	if err != nil {
		return nil, err
	}
	if n > math.MaxInt32/(2*(k+d)) {
		return nil, fmt.Errorf("%w: npz: %s of shape %v is too large", ErrShape, a.value, val.shape)
	}
	y, clean, err := readAllLabels(zr, a, n, a.value)
	if err != nil {
		return nil, err
	}

	b := NewBuilder(d, n)
	var fi []int32
	var fv []float64
	for j, v := range feature.v {
		if v != 0 {
			fi = append(fi, int32(j))
			fv = append(fv, v)
		}
	}
	b.grow(n * (len(fi) + k))
	type entry struct {
		j int64
		v float64
	}
	row := make([]entry, k)
	pi, pv := make([]int32, 0, len(fi)), make([]float64, 0, len(fi))
	ni, nv := make([]int32, 0, k), make([]float64, 0, k)
	for i := range n {
		pi, pv = pi[:0], pv[:0]
		yc := y[i] // the signal patch carries the clean label
		if clean != nil {
			yc = clean[i]
		}
		for e, j := range fi {
			pi = append(pi, j)
			pv = append(pv, float64(yc)*fv[e])
		}
		b.AddPatch(pi, pv)
		for e := range k {
			j, v := idx[i*k+e], val.v[i*k+e]
			if j < 0 || j >= int64(d) {
				return nil, fmt.Errorf("%w: npz: %s[%d,%d]=%d is out of [0, d=%d)", ErrInvalid, a.index, i, e, j, d)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: npz: %s[%d,%d]=%v is not finite", ErrInvalid, a.value, i, e, v)
			}
			row[e] = entry{j, v}
		}
		slices.SortFunc(row, func(a, b entry) int { return cmp.Compare(a.j, b.j) })
		ni, nv = ni[:0], nv[:0]
		for e, x := range row {
			if e > 0 && x.j == row[e-1].j {
				return nil, fmt.Errorf("%w: npz: %s[%d] names coordinate %d twice; each noise patch lists distinct coordinates", ErrInvalid, a.index, i, x.j)
			}
			if x.v != 0 {
				ni = append(ni, int32(x.j))
				nv = append(nv, x.v)
			}
		}
		b.AddPatch(ni, nv)
		b.AddLabel(y[i], 1)
	}
	set := b.Build()
	set.Clean = clean
	return set, nil
}

// floats is a float64 array read from an NPZ file and its shape.
type floats struct {
	v     []float64
	shape []int
}

// readFloats reads the C-ordered float64 array name of rank dims.
func readFloats(zr *npz.Reader, size int64, name string, dims int) (floats, error) {
	key, h, err := npzfile.Entry(zr, name)
	if err != nil {
		return floats{}, err
	}
	shape := h.Descr.Shape
	want := map[int]string{1: "(d,)", 2: "(n, k)"}[dims]
	if len(shape) != dims {
		return floats{}, fmt.Errorf("%w: npz: %s has shape %v, want %s", ErrShape, name, shape, want)
	}
	count := 1
	for _, s := range shape {
		if s < 0 || (s > 0 && count > math.MaxInt32/s) {
			return floats{}, fmt.Errorf("%w: npz: %s has shape %v, want %s", ErrShape, name, shape, want)
		}
		count *= s
	}
	if h.Descr.Fortran && dims > 1 {
		return floats{}, fmt.Errorf("%w: npz: %s is in Fortran order; save it C-contiguous (np.ascontiguousarray)", ErrShape, name)
	}
	if npzfile.DType(h) != "<f8" {
		return floats{}, fmt.Errorf("%w: npz: %s has dtype %s, want float64 (<f8)", ErrShape, name, npzfile.DType(h))
	}
	if !fits(count, 8, size) {
		return floats{}, fmt.Errorf("%w: npz: %s of shape %v cannot fit in a file of %d bytes", ErrShape, name, shape, size)
	}
	var v []float64
	if err := npzfile.Read(zr, key, &v); err != nil {
		return floats{}, err
	}
	if len(v) != count {
		return floats{}, fmt.Errorf("%w: npz: %s holds %d values, want %d", ErrShape, name, len(v), count)
	}
	return floats{v, shape}, nil
}

// readIndex reads noise_index, int64 or int32 of shape (n, k).
func readIndex(zr *npz.Reader, a arrays, size int64, n, k int) ([]int64, error) {
	key, h, err := npzfile.Entry(zr, a.index)
	if err != nil {
		return nil, err
	}
	if s := h.Descr.Shape; len(s) != 2 || s[0] != n || s[1] != k {
		return nil, fmt.Errorf("%w: npz: %s has shape %v, want (%d, %d) to match %s", ErrShape, a.index, s, n, k, a.value)
	}
	if h.Descr.Fortran {
		return nil, fmt.Errorf("%w: npz: %s is in Fortran order; save it C-contiguous (np.ascontiguousarray)", ErrShape, a.index)
	}
	if !fits(n*k, 4, size) {
		return nil, fmt.Errorf("%w: npz: %s of shape (%d, %d) cannot fit in a file of %d bytes", ErrShape, a.index, n, k, size)
	}
	var out []int64
	switch npzfile.DType(h) {
	case "<i8":
		if err := npzfile.Read(zr, key, &out); err != nil {
			return nil, err
		}
	case "<i4":
		var err error
		if out, err = readAs[int32, int64](zr, key); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: npz: %s has dtype %s, want int64 or int32", ErrShape, a.index, npzfile.DType(h))
	}
	if len(out) != n*k {
		return nil, fmt.Errorf("%w: npz: %s holds %d values, want %d", ErrShape, a.index, len(out), n*k)
	}
	return out, nil
}

// readAllLabels reads the labels a.y and, when the file has it, the clean
// labels a.yClean (nil otherwise).
func readAllLabels(zr *npz.Reader, a arrays, n int, against string) (y, clean []int8, err error) {
	if y, err = readLabels(zr, a.y, n, against); err != nil {
		return nil, nil, err
	}
	if hasKey(zr, a.yClean) {
		if clean, err = readLabels(zr, a.yClean, n, against); err != nil {
			return nil, nil, err
		}
	}
	return y, clean, nil
}

// readAs reads the entry key, stored as From, and returns its values
// converted to To.
func readAs[From, To int32 | int64 | float64](zr *npz.Reader, key string) ([]To, error) {
	var v []From
	if err := npzfile.Read(zr, key, &v); err != nil {
		return nil, err
	}
	out := make([]To, len(v))
	for i, e := range v {
		out[i] = To(e)
	}
	return out, nil
}

func readLabels(zr *npz.Reader, name string, n int, against string) ([]int8, error) {
	ky, hy, err := npzfile.Entry(zr, name)
	if err != nil {
		return nil, err
	}
	if s := hy.Descr.Shape; len(s) != 1 || s[0] != n {
		return nil, fmt.Errorf("%w: npz: %s has shape %v, want (%d,) to match %s", ErrShape, name, s, n, against)
	}
	var raw []float64
	switch npzfile.DType(hy) {
	case "<i8":
		raw, err = readAs[int64, float64](zr, ky)
	case "<i4":
		raw, err = readAs[int32, float64](zr, ky)
	case "<f8":
		raw, err = readAs[float64, float64](zr, ky)
	default:
		return nil, fmt.Errorf("%w: npz: %s has dtype %s, want int64, int32 or float64", ErrShape, name, npzfile.DType(hy))
	}
	if err != nil {
		return nil, err
	}
	if len(raw) != n {
		return nil, fmt.Errorf("%w: npz: %s holds %d values, want %d", ErrShape, name, len(raw), n)
	}
	y := make([]int8, n)
	count := map[int8]int{}
	for i, v := range raw {
		if v != 1 && v != -1 {
			return nil, fmt.Errorf("%w: npz: %s[%d]=%v, labels must be -1 or +1", ErrInvalid, name, i, v)
		}
		y[i] = int8(v)
		count[y[i]]++
	}
	for _, c := range []int8{1, -1} {
		if count[c] == 0 {
			return nil, fmt.Errorf("%w: npz: %s has no %+d labels (all %d are %+d); training and the per-class probes need examples of both classes", ErrInvalid, name, c, n, -c)
		}
	}
	return y, nil
}

// checkLabelsHeader checks y_train's header against n, the number of
// examples of the array named against, before any array is read.
func checkLabelsHeader(zr *npz.Reader, a arrays, n int, against string) error {
	_, hy, err := npzfile.Entry(zr, a.y)
	if err != nil {
		return err
	}
	if s := hy.Descr.Shape; len(s) != 1 || s[0] != n {
		return fmt.Errorf("%w: npz: %s has shape %v, want (%d,) to match %s", ErrShape, a.y, s, n, against)
	}
	return nil
}

// checkSparseHeaders checks the headers of the sparse layout against each
// other (noise_index and y_train against noise_value) and the memory they
// need against maxBytes, before any array is read; readSparse checks the
// rest as it reads.
func checkSparseHeaders(zr *npz.Reader, a arrays, size, maxBytes int64) error {
	_, hv, err := npzfile.Entry(zr, a.value)
	if err != nil {
		return err
	}
	_, hf, err := npzfile.Entry(zr, "feature")
	if err != nil {
		return err
	}
	sv, sf := hv.Descr.Shape, hf.Descr.Shape
	if len(sv) != 2 || len(sf) != 1 || sv[0] < 1 || sv[1] < 1 || sf[0] < 0 {
		return nil // readSparse says what is wrong with the shapes
	}
	n, k, d := sv[0], sv[1], sf[0]
	if k > d || n > math.MaxInt32/k || !fits(n*k, 8, size) {
		return nil // readSparse refuses these shapes before reading them
	}
	_, hi, err := npzfile.Entry(zr, a.index)
	if err != nil {
		return err
	}
	if s := hi.Descr.Shape; len(s) != 2 || s[0] != n || s[1] != k {
		return fmt.Errorf("%w: npz: %s has shape %v, want (%d, %d) to match %s", ErrShape, a.index, s, n, k, a.value)
	}
	if err := checkLabelsHeader(zr, a, n, a.value); err != nil {
		return err
	}
	// Values and indices (8 bytes each), then 24 bytes per entry of the set
	// (k noise entries and, for the usual feature e₀, one feature entry per
	// example) and the feature vector.
	need := float64(n)*float64(k)*(8+8) + float64(n)*float64(k+1)*24 + float64(d)*8
	return checkMemory(a.value, sv, need, maxBytes)
}

// checkMemory refuses to read an array whose reading needs more than
// maxBytes.
func checkMemory(name string, shape []int, need float64, maxBytes int64) error {
	if need > float64(maxBytes) {
		return fmt.Errorf("%w: npz: reading %s of shape %v needs about %.3g GiB, more than the limit of %.3g GiB; raise --max-memory or use a smaller file",
			ErrShape, name, shape, need/(1<<30), float64(maxBytes)/(1<<30))
	}
	return nil
}
