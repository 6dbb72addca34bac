package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// TestCoordPlan: the plan holds every entry of the patches once, its groups
// are ordered by coordinate block and then by patch, each group's entries
// are one patch's entries of one block in the patch's order, and sets too
// sparse for it get none.
func TestCoordPlan(t *testing.T) {
	for _, sz := range []struct{ d, n, s, p0, p1 int }{
		{1000, 200, 100, 0, 400}, {300, 40, 30, 0, 80}, {300, 40, 30, 10, 31}, {145, 6, 144, 0, 12},
	} {
		pm := data.PatchModel{D: sz.d, S: sz.s, SigmaP: 0.1, Alpha: 0.2}
		set, err := pm.Train(sz.n, rand.New(rand.NewPCG(5, 1)))
		if err != nil {
			t.Fatal(err)
		}
		pl := newCoordPlan(set, sz.p0, sz.p1, 40)
		if pl == nil {
			t.Fatalf("%+v: no plan", sz)
		}
		// Rebuild each patch's entries from the groups.
		got := make([][]int32, sz.p1-sz.p0)
		gotV := make([][]float64, sz.p1-sz.p0)
		lastBlock, lastPatch, next := -1, -1, int32(0)
		for g := 0; g < len(pl.grp); g += 3 {
			p, a, b := int(pl.grp[g]), pl.grp[g+1], pl.grp[g+2]
			if first := p < 0; first {
				p = -1 - p
				if got[p] != nil {
					t.Fatalf("%+v: group %d marks patch %d's first group, but it has one", sz, g/3, p+sz.p0)
				}
			} else if got[p] == nil {
				t.Fatalf("%+v: group %d is patch %d's first, unmarked", sz, g/3, p+sz.p0)
			}
			if a != next || b <= a {
				t.Fatalf("%+v: group %d covers [%d,%d), want to start at %d and be non-empty", sz, g/3, a, b, next)
			}
			next = b
			bl := int(pl.idx[a]) / coordBlock
			for _, k := range pl.idx[a:b] {
				if int(k)/coordBlock != bl {
					t.Fatalf("%+v: group %d mixes blocks", sz, g/3)
				}
			}
			if bl < lastBlock || (bl == lastBlock && p <= lastPatch) {
				t.Fatalf("%+v: group %d (block %d, patch %d) out of order after (%d, %d)", sz, g/3, bl, p, lastBlock, lastPatch)
			}
			lastBlock, lastPatch = bl, p
			got[p] = append(got[p], pl.idx[a:b]...)
			gotV[p] = append(gotV[p], pl.val[a:b]...)
		}
		if int(next) != len(pl.idx) {
			t.Fatalf("%+v: groups cover %d of %d entries", sz, next, len(pl.idx))
		}
		for p := sz.p0; p < sz.p1; p++ {
			idx, val := set.Patch(p)
			// The patch's entries, stably sorted by block.
			order := make([]int, len(idx))
			for i := range order {
				order[i] = i
			}
			slices.SortStableFunc(order, func(i, j int) int { return int(idx[i])/coordBlock - int(idx[j])/coordBlock })
			for i, e := range order {
				if got[p-sz.p0][i] != idx[e] || gotV[p-sz.p0][i] != val[e] {
					t.Fatalf("%+v: patch %d entry %d: plan has (%d, %v), want (%d, %v)", sz, p, i, got[p-sz.p0][i], gotV[p-sz.p0][i], idx[e], val[e])
				}
			}
		}
	}
	// A patch without entries is listed in empty.
	bld := data.NewBuilder(300, 4)
	for i := range 4 {
		bld.AddPatch([]int32{0}, []float64{0.5})
		if i == 2 {
			bld.AddPatch(nil, nil)
		} else {
			idx, val := make([]int32, 20), make([]float64, 20)
			for j := range idx {
				idx[j], val[j] = int32(1+j), float64(j)
			}
			bld.AddPatch(idx, val)
		}
		bld.AddLabel(int8(1-2*(i%2)), 1)
	}
	if pl := newCoordPlan(bld.Build(), 0, 8, 40); pl == nil || !slices.Equal(pl.empty, []int32{5}) {
		t.Errorf("a set whose patch 5 is empty: plan %+v, want empty = [5]", pl)
	}
	// Too sparse (about one entry per block and patch) or too narrow: none.
	pm := data.PatchModel{D: 20000, S: 100, SigmaP: 0.1, Alpha: 0.2}
	set, err := pm.Train(20, rand.New(rand.NewPCG(5, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if newCoordPlan(set, 0, 40, 40) != nil {
		t.Error("a plan for d = 20000, s = 100, whose groups average about one entry")
	}
	if newCoordPlan(set, 0, 40, 39) != nil {
		t.Error("a plan for rows of 39 columns")
	}
}

// TestForwardCoord: the blocked forward pass agrees with the per-patch one
// (forwardAVX512) to rounding, relative to Σ|v·w|, for row widths of one
// and two full blocks and with a masked or chunked tail, on the paper's
// data and on a set with empty patches (rows no group writes), and leaves
// z past the patches untouched. z starts as NaN: a row left unwritten
// shows.
func TestForwardCoord(t *testing.T) {
	if !kernel.Available {
		t.Skip("no AVX-512 kernels in this build or on this CPU")
	}
	pm := data.PatchModel{D: 700, S: 90, SigmaP: 0.1, Alpha: 0.2}
	paper, err := pm.Train(30, rand.New(rand.NewPCG(5, 3)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 4))
	bld := data.NewBuilder(700, 8)
	for i := range 8 {
		if i == 3 {
			bld.AddPatch(nil, nil)
		} else {
			bld.AddPatch([]int32{0}, []float64{0.5})
		}
		var idx []int32
		var val []float64
		if i != 5 {
			for _, k := range rng.Perm(700)[:60] {
				idx, val = append(idx, int32(k)), append(val, rng.NormFloat64())
			}
		}
		bld.AddPatch(idx, val)
		bld.AddLabel(int8(1-2*(i%2)), 1)
	}
	holes := bld.Build()
	for _, tc := range []struct {
		name   string
		set    *data.Set
		ranges [][2]int
	}{{"paper", paper, [][2]int{{0, 60}, {7, 33}}}, {"empty patches", holes, [][2]int{{0, 16}, {5, 12}}}} {
		set := tc.set
		for _, wd := range []int{40, 46, 80, 100, 64} {
			for _, pr := range tc.ranges {
				p0, p1 := pr[0], pr[1]
				pl := newCoordPlan(set, p0, p1, wd)
				if pl == nil {
					t.Fatalf("%s wd=%d: no plan", tc.name, wd)
				}
				w := make([]float64, set.D*wd)
				for i := range w {
					w[i] = rng.NormFloat64()
				}
				want := make([]float64, (p1-p0)*wd)
				forwardAVX512(want, w, set, p0, p1, wd)
				got := make([]float64, (p1-p0+1)*wd)
				for i := range got {
					got[i] = math.NaN()
				}
				forwardCoord(pl, got, w, set, p0, p1, wd)
				for i, v := range got[(p1-p0)*wd:] {
					if !math.IsNaN(v) {
						t.Fatalf("%s wd=%d: z past the patches written at %d", tc.name, wd, i)
					}
				}
				for p := p0; p < p1; p++ {
					idx, val := set.Patch(p)
					for c := range wd {
						var scale float64
						for e, k := range idx {
							scale += math.Abs(val[e] * w[int(k)*wd+c])
						}
						a, b := got[(p-p0)*wd+c], want[(p-p0)*wd+c]
						if math.IsNaN(a) || math.Abs(a-b) > 1e-14*scale {
							t.Fatalf("%s wd=%d patches [%d,%d): z[%d][%d] = %v, per patch %v (scale %v)", tc.name, wd, p0, p1, p, c, a, b, scale)
						}
					}
				}
			}
		}
	}
}
