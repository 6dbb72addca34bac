package data

import (
	"fmt"
	"math"
)

// Validate reports the first way in which the set is not well formed, or
// nil. A well-formed set is what Builder.Build and FromDense make:
//
//   - D ≥ 1; Y holds labels in {−1, +1} and NoisePatch one entry in {0, 1}
//     per example;
//   - PatchPtr has 2n+1 non-decreasing entries from 0 to len(Idx), Val is as
//     long as Idx, and every index is in [0, D);
//   - ColPtr has D+1 non-decreasing entries from 0 to len(Idx), ColPatch and
//     ColVal are as long as Idx, and (ColPatch, ColVal) hold exactly the
//     entries of the rows, column by column, in increasing patch order.
//
// The fields of a Set are exported for reading; the assembly kernels of
// package model index memory with them without bounds checks, so
// model.NewNet calls Validate before it uses a set (a set built by hand
// with an index ≥ D would otherwise read outside the weights), and
// model.ClassErrors and CNN.Outputs, which run the forward pass only, call
// ValidateRows. Validate costs about 3 ns an entry (the transpose
// check reads the columns out of order), ValidateRows a fraction of that.
func (s *Set) Validate() error {
	if err := s.ValidateRows(); err != nil {
		return err
	}
	n := len(s.Y)
	switch {
	case len(s.ColPtr) != s.D+1:
		return bad("len(ColPtr)=%d, want d+1=%d", len(s.ColPtr), s.D+1)
	case len(s.ColPatch) != len(s.Idx) || len(s.ColVal) != len(s.Idx):
		return bad("len(ColPatch)=%d, len(ColVal)=%d, want len(Idx)=%d", len(s.ColPatch), len(s.ColVal), len(s.Idx))
	}
	if err := checkPtr("ColPtr", s.ColPtr, len(s.Idx)); err != nil {
		return bad("%v", err)
	}
	if e := firstOutside(s.ColPatch, 2*n); e >= 0 {
		return bad("ColPatch[%d]=%d out of [0, 2n=%d)", e, s.ColPatch[e], 2*n)
	}
	// The columns must be the transpose of the rows: walking the rows in
	// patch order meets each column's entries in its stored order.
	next := make([]int32, s.D)
	copy(next, s.ColPtr[:s.D])
	for p := range 2 * n {
		for e := s.PatchPtr[p]; e < s.PatchPtr[p+1]; e++ {
			k := s.Idx[e]
			c := next[k]
			if c >= s.ColPtr[k+1] || s.ColPatch[c] != int32(p) || math.Float64bits(s.ColVal[c]) != math.Float64bits(s.Val[e]) {
				return bad("column form disagrees with the rows at patch %d, coordinate %d (rebuild it with Builder)", p, k)
			}
			next[k]++
		}
	}
	return nil
}

// ValidateRows reports the first way in which the labels or the row form
// (PatchPtr, Idx, Val) are not well formed, or nil: the part of Validate
// that a forward pass relies on, in one sequential pass.
func (s *Set) ValidateRows() error {
	n := len(s.Y)
	switch {
	case s.D < 1:
		return bad("d=%d must be at least 1", s.D)
	case len(s.NoisePatch) != n:
		return bad("len(NoisePatch)=%d, want n=%d (one per label)", len(s.NoisePatch), n)
	case len(s.PatchPtr) != 2*n+1:
		return bad("len(PatchPtr)=%d, want 2n+1=%d", len(s.PatchPtr), 2*n+1)
	case len(s.Val) != len(s.Idx):
		return bad("len(Val)=%d, want len(Idx)=%d", len(s.Val), len(s.Idx))
	case len(s.Idx) > math.MaxInt32:
		return bad("%d entries, at most %d allowed", len(s.Idx), math.MaxInt32)
	}
	if s.Clean != nil && len(s.Clean) != n {
		return bad("len(Clean)=%d, want n=%d (one per label, or none)", len(s.Clean), n)
	}
	for i, y := range s.Y {
		if y != -1 && y != 1 {
			return bad("Y[%d]=%d must be -1 or +1", i, y)
		}
		if s.Clean != nil && s.Clean[i] != -1 && s.Clean[i] != 1 {
			return bad("Clean[%d]=%d must be -1 or +1", i, s.Clean[i])
		}
		if s.NoisePatch[i] > 1 {
			return bad("NoisePatch[%d]=%d must be 0 or 1", i, s.NoisePatch[i])
		}
	}
	if err := checkPtr("PatchPtr", s.PatchPtr, len(s.Idx)); err != nil {
		return bad("%v", err)
	}
	if e := firstOutside(s.Idx, s.D); e >= 0 {
		return bad("Idx[%d]=%d out of [0, d=%d)", e, s.Idx[e], s.D)
	}
	return nil
}

// bad is a Validate error: "data: set: Idx[3]=9 out of [0, d=9): wrong
// array shape", wrapping ErrShape.
func bad(format string, args ...any) error {
	return fmt.Errorf("data: set: "+format+": %w", append(args, ErrShape)...)
}

// firstOutside returns the position of the first value of a outside
// [0, limit), or −1. The scan keeps the largest value as unsigned (a
// negative one becomes larger than any limit), without a branch per value.
func firstOutside(a []int32, limit int) int {
	// Four running maxima: four independent dependency chains.
	var t0, t1, t2, t3 uint32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		t0 = max(t0, uint32(a[i]))
		t1 = max(t1, uint32(a[i+1]))
		t2 = max(t2, uint32(a[i+2]))
		t3 = max(t3, uint32(a[i+3]))
	}
	for ; i < len(a); i++ {
		t0 = max(t0, uint32(a[i]))
	}
	if top := max(t0, t1, t2, t3); uint64(top) < uint64(limit) {
		return -1
	}
	for e, v := range a {
		if v < 0 || int(v) >= limit {
			return e
		}
	}
	return -1
}

// checkPtr checks a compressed-storage pointer array: it starts at 0, never
// decreases and ends at nnz.
func checkPtr(name string, ptr []int32, nnz int) error {
	if ptr[0] != 0 {
		return fmt.Errorf("%s[0]=%d, want 0", name, ptr[0])
	}
	for i := 1; i < len(ptr); i++ {
		if ptr[i] < ptr[i-1] {
			return fmt.Errorf("%s[%d]=%d is less than %s[%d]=%d", name, i, ptr[i], name, i-1, ptr[i-1])
		}
	}
	if last := len(ptr) - 1; int(ptr[last]) != nnz {
		return fmt.Errorf("%s[%d]=%d, want len(Idx)=%d", name, last, ptr[last], nnz)
	}
	return nil
}
