package data

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// validSet returns a freshly built set of 6 examples, d = 9.
func validSet(t *testing.T) *Set {
	t.Helper()
	set, err := PatchModel{D: 9, S: 3, SigmaP: 1, Alpha: 0.2}.Train(6, rand.New(rand.NewPCG(4, 0)))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestValidateAcceptsBuiltSets: what Builder, FromDense and the patch model
// make is well formed, including an empty set.
func TestValidateAcceptsBuiltSets(t *testing.T) {
	set := validSet(t)
	for name, s := range map[string]*Set{
		"train":      set,
		"from dense": FromDense(set.Dense(), set.Y),
		"empty":      NewBuilder(5, 0).Build(),
	} {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestValidateRejects: each way of breaking a built set is reported, naming
// the field and the value.
func TestValidateRejects(t *testing.T) {
	for _, c := range []struct {
		name    string
		corrupt func(s *Set)
		want    string
	}{
		{"index = d", func(s *Set) { s.Idx[3] = int32(s.D) }, "Idx[3]=9 out of [0, d=9)"},
		{"index far out", func(s *Set) { s.Idx[0] = 1 << 30 }, "Idx[0]=1073741824 out of [0, d=9)"},
		{"negative index", func(s *Set) { s.Idx[1] = -1 }, "Idx[1]=-1 out of [0, d=9)"},
		{"column patch = 2n", func(s *Set) { s.ColPatch[2] = 12 }, "ColPatch[2]=12 out of [0, 2n=12)"},
		{"d = 0", func(s *Set) { s.D = 0 }, "d=0 must be at least 1"},
		{"label 0", func(s *Set) { s.Y[2] = 0 }, "Y[2]=0 must be -1 or +1"},
		{"noise patch 2", func(s *Set) { s.NoisePatch[1] = 2 }, "NoisePatch[1]=2 must be 0 or 1"},
		{"noise patches short", func(s *Set) { s.NoisePatch = s.NoisePatch[:5] }, "len(NoisePatch)=5, want n=6"},
		{"row pointer short", func(s *Set) { s.PatchPtr = s.PatchPtr[:12] }, "len(PatchPtr)=12, want 2n+1=13"},
		{"row pointer decreasing", func(s *Set) { s.PatchPtr[4], s.PatchPtr[5] = s.PatchPtr[5], s.PatchPtr[4] }, "PatchPtr[5]="},
		{"row pointer past the end", func(s *Set) { s.PatchPtr[12]++ }, "PatchPtr[12]="},
		{"row pointer not from 0", func(s *Set) { s.PatchPtr[0] = 1 }, "PatchPtr[0]=1, want 0"},
		{"values short", func(s *Set) { s.Val = s.Val[:len(s.Val)-1] }, "len(Val)="},
		{"column pointer short", func(s *Set) { s.ColPtr = s.ColPtr[:9] }, "len(ColPtr)=9, want d+1=10"},
		{"column pointer decreasing", func(s *Set) { s.ColPtr[3] = s.ColPtr[4] + 1 }, "ColPtr[4]="},
		{"column values short", func(s *Set) { s.ColVal = s.ColVal[:2] }, "len(ColVal)=2"},
		{"column value changed", func(s *Set) { s.ColVal[5] += 1 }, "column form disagrees with the rows"},
		{"row value changed", func(s *Set) { s.Val[5] *= 2 }, "column form disagrees with the rows"},
		{"row index moved", func(s *Set) {
			// Move an entry of the noise patch to a coordinate it does not
			// touch: in range, but the columns no longer match.
			idx, _ := s.Patch(1)
			for k := int32(1); k < int32(s.D); k++ {
				if !slices.Contains(idx, k) {
					idx[0] = k
					return
				}
			}
		}, "column form disagrees with the rows"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := validSet(t)
			c.corrupt(s)
			err := s.Validate()
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrShape) || !strings.HasPrefix(err.Error(), "data: set: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want ErrShape and %q", err, c.want)
			}
		})
	}
}
