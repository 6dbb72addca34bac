package data

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestColumnFormMatchesRows: the compressed sparse column form holds
// exactly the entries of the row form, each column ordered by patch.
func TestColumnFormMatchesRows(t *testing.T) {
	for _, pm := range []PatchModel{
		{D: 15, S: 4, SigmaP: 1, Alpha: 0.3},
		{D: 8, S: 7, SigmaP: 0.5, Alpha: 0},
		{D: 2, S: 1, SigmaP: 1, Alpha: 1},
	} {
		set, err := pm.Train(12, rand.New(rand.NewPCG(uint64(pm.D), 0)))
		if err != nil {
			t.Fatal(err)
		}
		if len(set.ColPtr) != set.D+1 || set.ColPtr[0] != 0 || int(set.ColPtr[set.D]) != len(set.Idx) {
			t.Fatalf("%+v: ColPtr has length %d, ends %d..%d; want d+1=%d, 0..%d", pm, len(set.ColPtr), set.ColPtr[0], set.ColPtr[len(set.ColPtr)-1], set.D+1, len(set.Idx))
		}
		type entry struct {
			p, k int32
			v    float64
		}
		var rows, cols []entry
		for p := range int32(2 * set.N()) {
			idx, val := set.Patch(int(p))
			for e, k := range idx {
				rows = append(rows, entry{p, k, val[e]})
			}
		}
		for k := range int32(set.D) {
			a, b := set.ColPtr[k], set.ColPtr[k+1]
			if b < a {
				t.Fatalf("%+v: ColPtr decreases at column %d", pm, k)
			}
			for e := a; e < b; e++ {
				if e > a && set.ColPatch[e] <= set.ColPatch[e-1] {
					t.Errorf("%+v: column %d not ordered by patch", pm, k)
				}
				cols = append(cols, entry{set.ColPatch[e], k, set.ColVal[e]})
			}
		}
		cmp := func(x, y entry) int {
			if x.p != y.p {
				return int(x.p - y.p)
			}
			return int(x.k - y.k)
		}
		slices.SortFunc(rows, cmp)
		slices.SortFunc(cols, cmp)
		if !slices.Equal(rows, cols) {
			t.Errorf("%+v: column form holds %d entries that differ from the %d of the row form", pm, len(cols), len(rows))
		}
	}
}

func TestDenseRoundTrip(t *testing.T) {
	pm := PatchModel{D: 9, S: 3, SigmaP: 1, Alpha: 0.25}
	set, err := pm.Train(10, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	x := set.Dense()
	for i, y := range set.Y {
		if len(x[i]) != 2 || len(x[i][0]) != pm.D || len(x[i][1]) != pm.D {
			t.Fatalf("Dense()[%d] has the wrong shape", i)
		}
		if x[i][1][0] != -pm.Alpha*float64(y) {
			t.Errorf("Dense()[%d][1][0] = %v, want −α·y = %v", i, x[i][1][0], -pm.Alpha*float64(y))
		}
	}
	back := FromDense(x, set.Y)
	if !slices.Equal(back.PatchPtr, set.PatchPtr) || !slices.Equal(back.Idx, set.Idx) || !slices.Equal(back.Val, set.Val) ||
		!slices.Equal(back.ColPtr, set.ColPtr) || !slices.Equal(back.ColPatch, set.ColPatch) || !slices.Equal(back.ColVal, set.ColVal) {
		t.Errorf("FromDense(Dense()) differs from the generated set")
	}
	if !slices.Equal(back.NoisePatch, set.NoisePatch) {
		t.Errorf("FromDense found noise patches %v, want %v", back.NoisePatch, set.NoisePatch)
	}
}

// TestFromDenseNoisePatch: the noise patch is the one that is not y·e₀.
func TestFromDenseNoisePatch(t *testing.T) {
	x := [][][]float64{
		{{1, 0, 0}, {-0.2, 0.5, 0}},  // feature first
		{{0.2, 0, 0.1}, {-1, 0, 0}},  // feature second
		{{1, 0, 0}, {1, 0, 0}},       // both: patch 1 by convention
		{{0, 0.3, 0}, {0.1, 0, 0.2}}, // neither: patch 1
	}
	y := []int8{1, -1, 1, -1}
	set := FromDense(x, y)
	if want := []uint8{1, 0, 1, 1}; !slices.Equal(set.NoisePatch, want) {
		t.Errorf("NoisePatch = %v, want %v", set.NoisePatch, want)
	}
}

// TestTestSetRowsOnly: a test set has the row form only; its rows are those
// of the same draw with the column form.
func TestTestSetRowsOnly(t *testing.T) {
	pm := PatchModel{D: 9, S: 3, SigmaP: 1, Alpha: 0.25}
	set, err := pm.Test(10, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	if set.ColPtr != nil || set.ColPatch != nil || set.ColVal != nil {
		t.Errorf("test set has a column form")
	}
	full := FromDense(set.Dense(), set.Y)
	if !slices.Equal(full.PatchPtr, set.PatchPtr) || !slices.Equal(full.Idx, set.Idx) || !slices.Equal(full.Val, set.Val) {
		t.Errorf("test set rows differ from FromDense(Dense())")
	}
}
