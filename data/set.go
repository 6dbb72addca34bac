package data

import (
	"fmt"
	"slices"
)

// Set is a labelled data set of two-patch examples stored sparsely.
//
// Patch p = 2i+k is patch k ∈ {0,1} of example i. Rows (PatchPtr, Idx, Val)
// are in compressed sparse row form; the same entries in compressed sparse
// column form are in (ColPtr, ColPatch, ColVal), so a per-coordinate
// gradient is a gather with no scatter and no zeroing. A Set is read-only
// once built and may be shared by concurrent runs. Build one with Builder,
// FromDense, PatchModel or ReadNPZ; a Set assembled by hand must pass
// Validate, which package model checks before its kernels use the set.
type Set struct {
	D int    // patch dimension
	Y []int8 // labels in {−1, +1}: the labels trained on and tested against
	// Clean holds the labels the examples were drawn with where label
	// noise flipped some of Y (Flip); nil when Y is clean. The signal patch
	// of example i is Clean[i]·μ.
	Clean []int8
	// NoisePatch[i] ∈ {0,1} names the patch of example i that holds ξᵢ; the
	// probes of noise memorisation read it. Generated data has the noise in
	// patch 1.
	NoisePatch []uint8

	PatchPtr []int32 // len 2n+1; patch p is Idx[PatchPtr[p]:PatchPtr[p+1]]
	Idx      []int32
	Val      []float64

	ColPtr   []int32 // len d+1; column k is ColPatch[ColPtr[k]:ColPtr[k+1]]
	ColPatch []int32
	ColVal   []float64
}

// N returns the number of examples.
func (s *Set) N() int { return len(s.Y) }

// Patch returns the indices and values of patch p = 2i+k.
func (s *Set) Patch(p int) ([]int32, []float64) {
	a, b := s.PatchPtr[p], s.PatchPtr[p+1]
	return s.Idx[a:b], s.Val[a:b]
}

// Dense returns the examples as an n×2×d array, patch 0 = x₁, patch 1 = x₂.
func (s *Set) Dense() [][][]float64 {
	out := make([][][]float64, s.N())
	for i := range out {
		out[i] = make([][]float64, 2)
		for k := range 2 {
			row := make([]float64, s.D)
			idx, val := s.Patch(2*i + k)
			for e, j := range idx {
				row[j] = val[e]
			}
			out[i][k] = row
		}
	}
	return out
}

// Builder assembles a Set patch by patch.
type Builder struct {
	set  *Set
	open int // patches added for the current example
}

// NewBuilder returns a Builder for examples of patch dimension d; n is a
// capacity hint.
func NewBuilder(d, n int) *Builder {
	return &Builder{set: &Set{
		D:          d,
		Y:          make([]int8, 0, n),
		NoisePatch: make([]uint8, 0, n),
		PatchPtr:   append(make([]int32, 0, 2*n+1), 0),
	}}
}

// grow makes room for entries more non-zeros without reallocating.
func (b *Builder) grow(entries int) {
	b.set.Idx = slices.Grow(b.set.Idx, entries)
	b.set.Val = slices.Grow(b.set.Val, entries)
}

// AddPatch appends the next patch, given by its non-zero entries. Indices
// must be distinct and in [0, d); it panics otherwise (a programmer error).
func (b *Builder) AddPatch(idx []int32, val []float64) {
	if len(idx) != len(val) {
		panic("data: AddPatch: idx and val differ in length")
	}
	if b.open == 2 {
		panic("data: AddPatch: third patch before AddLabel")
	}
	for _, k := range idx {
		if k < 0 || int(k) >= b.set.D {
			panic(fmt.Sprintf("data: AddPatch: index %d out of [0,%d)", k, b.set.D))
		}
	}
	b.set.Idx = append(b.set.Idx, idx...)
	b.set.Val = append(b.set.Val, val...)
	b.set.PatchPtr = append(b.set.PatchPtr, int32(len(b.set.Idx)))
	b.open++
}

// AddLabel closes the current example (two patches) with label y ∈ {−1,+1}
// and the index of its noise patch.
func (b *Builder) AddLabel(y int8, noisePatch uint8) {
	if b.open != 2 {
		panic("data: AddLabel: an example needs exactly two patches")
	}
	b.set.Y = append(b.set.Y, y)
	b.set.NoisePatch = append(b.set.NoisePatch, noisePatch)
	b.open = 0
}

// Build computes the column form and returns the Set.
func (b *Builder) Build() *Set {
	s := b.BuildRows()
	if s.ColPtr != nil {
		return s
	}
	s.ColPtr = make([]int32, s.D+1)
	for _, k := range s.Idx {
		s.ColPtr[k+1]++
	}
	for k := range s.D {
		s.ColPtr[k+1] += s.ColPtr[k]
	}
	next := append([]int32(nil), s.ColPtr[:s.D]...)
	s.ColPatch = make([]int32, len(s.Idx))
	s.ColVal = make([]float64, len(s.Idx))
	for p := range len(s.PatchPtr) - 1 {
		for e := s.PatchPtr[p]; e < s.PatchPtr[p+1]; e++ {
			k := s.Idx[e]
			s.ColPatch[next[k]] = int32(p)
			s.ColVal[next[k]] = s.Val[e]
			next[k]++
		}
	}
	return s
}

// BuildRows returns the Set without its column form (ColPtr, ColPatch and
// ColVal nil): enough to evaluate a network on it (model.CNN.Errors), not
// to take a gradient. It halves the memory of a large test set.
func (b *Builder) BuildRows() *Set {
	if b.open != 0 {
		panic("data: Build: unfinished example")
	}
	return b.set
}

// FromDense builds a Set from an n×2×d array and labels in {−1,+1}, keeping
// only non-zero entries. The noise patch of each example is the patch that
// is not exactly y·e₀ (patch 1 when neither or both are).
func FromDense(x [][][]float64, y []int8) *Set {
	d := 0
	if len(x) > 0 {
		d = len(x[0][0])
	}
	b := NewBuilder(d, len(x))
	var idx []int32
	var val []float64
	for i, ex := range x {
		for _, patch := range ex {
			idx, val = idx[:0], val[:0]
			for k, v := range patch {
				if v != 0 {
					idx = append(idx, int32(k))
					val = append(val, v)
				}
			}
			b.AddPatch(idx, val)
		}
		noise := uint8(1)
		if isFeature(ex[1], y[i]) && !isFeature(ex[0], y[i]) {
			noise = 0
		}
		b.AddLabel(y[i], noise)
	}
	return b.Build()
}

func isFeature(patch []float64, y int8) bool {
	if patch[0] != float64(y) {
		return false
	}
	for _, v := range patch[1:] {
		if v != 0 {
			return false
		}
	}
	return true
}
