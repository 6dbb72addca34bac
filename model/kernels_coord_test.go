package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/cputime"
	"github.com/adamgap/adamgap/internal/kernel"
)

// TestCoordPlan: the plan holds every entry of the patches once, its groups
// are ordered by coordinate block and then by patch, each group's entries
// are one patch's entries of one block in the patch's order; a set too
// sparse for blocks of coordBlock rows but not for coordBlockL2 rows gets a
// wide plan of the latter (62× the paper's work, and TestKernelsAgree's
// d = 1400 with blocks of 300 rows), and sets too sparse for both get none.
func TestCoordPlan(t *testing.T) {
	defer func(rows int) { coordBlockL2 = rows }(coordBlockL2)
	for _, sz := range []struct {
		d, n, s, p0, p1 int
		l2, rows        int // coordBlockL2; the plan's block (coordBlock: an L1-sized plan)
	}{
		{1000, 200, 100, 0, 400, 1000, coordBlock}, {300, 40, 30, 0, 80, 1000, coordBlock}, {300, 40, 30, 10, 31, 1000, coordBlock}, {145, 6, 144, 0, 12, 1000, coordBlock},
		{20000, 10, 500, 0, 20, 1000, 1000}, {1400, 40, 30, 0, 80, 300, 300}, {1400, 40, 30, 15, 50, 300, 300},
	} {
		coordBlockL2 = sz.l2
		pm := data.PatchModel{D: sz.d, S: sz.s, SigmaP: 0.1, Alpha: 0.2}
		set, err := pm.Train(sz.n, rand.New(rand.NewPCG(5, 1)))
		if err != nil {
			t.Fatal(err)
		}
		pl := newCoordPlan(set, sz.p0, sz.p1, 40)
		if pl == nil {
			t.Fatalf("%+v: no plan", sz)
		}
		if pl.rows != sz.rows || pl.wide != (sz.rows != coordBlock) {
			t.Fatalf("%+v: a plan of %d rows a block (wide %v), want %d", sz, pl.rows, pl.wide, sz.rows)
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
			bl := int(pl.idx[a]) / pl.rows
			for _, k := range pl.idx[a:b] {
				if int(k)/pl.rows != bl {
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
			slices.SortStableFunc(order, func(i, j int) int { return int(idx[i])/pl.rows - int(idx[j])/pl.rows })
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
	// Too sparse (about one entry per block and patch with blocks of
	// coordBlock rows, about 2.5 with blocks of coordBlockL2) or too
	// narrow: none.
	coordBlockL2 = 1000
	pm := data.PatchModel{D: 20000, S: 50, SigmaP: 0.1, Alpha: 0.2}
	set, err := pm.Train(20, rand.New(rand.NewPCG(5, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if newCoordPlan(set, 0, 40, 40) != nil {
		t.Error("a plan for d = 20000, s = 50, whose groups average at most 2.5 entries")
	}
	if newCoordPlan(set, 0, 40, 39) != nil {
		t.Error("a plan for rows of 39 columns")
	}
}

// TestForwardCoord: the blocked forward pass agrees with the per-patch one
// (forwardAVX512) to rounding, relative to Σ|v·w|, for row widths of one
// and two full blocks and with a masked or chunked tail, in plans of
// L1-sized blocks and wide plans (120-column passes, blocks of 40, masked
// last blocks), on the paper's
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
		for _, wd := range []int{40, 46, 80, 100, 64, 81, 120, 121, 170, 250} {
			for _, pr := range tc.ranges {
				for _, wide := range []bool{false, true} {
					p0, p1 := pr[0], pr[1]
					pl := newCoordPlan(set, p0, p1, wd)
					if wide {
						// Blocks of 100 rows, in the wide plan's order.
						pl = buildCoordPlan(set, p0, p1, 100, true, coordGroups(set, p0, p1, 100))
					}
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
								t.Fatalf("%s wd=%d wide=%v patches [%d,%d): z[%d][%d] = %v, per patch %v (scale %v)", tc.name, wd, wide, p0, p1, p, c, a, b, scale)
							}
						}
					}
				}
			}
		}
	}
}

// BenchmarkCoordForward is the full-batch float64 forward pass alone at 62×
// and 100× the paper's work, per patch (forwardAVX512) and in wide plans of
// 500, 1000 (coordBlockL2) and 2000 rows a block, thread CPU time:
//
//	go test ./model -run '^$' -bench CoordForward -benchtime 10x -count 3
func BenchmarkCoordForward(b *testing.B) {
	if !kernel.Available {
		b.Skip("no AVX-512 kernels in this build or on this CPU")
	}
	for _, sz := range []struct {
		name       string
		d, n, s, m int
	}{{"62x", 20000, 1000, 500, 50}, {"100x", 100000, 2000, 1000, 50}} {
		pm := data.PatchModel{D: sz.d, S: sz.s, SigmaP: 0.1, Alpha: 0.2}
		set, err := pm.Train(sz.n, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			b.Fatal(err)
		}
		wd, np := 2*sz.m, len(set.PatchPtr)-1
		w, z := make([]float64, sz.d*wd), make([]float64, np*wd)
		rng := rand.New(rand.NewPCG(1, 3))
		for i := range w {
			w[i] = 0.01 * rng.NormFloat64()
		}
		b.Run(sz.name+"/per-patch", func(b *testing.B) {
			cputime.Loop(b, func() { forwardAVX512(z, w, set, 0, np, wd) })
		})
		for _, rows := range []int{500, 1000, 2000} {
			pl := buildCoordPlan(set, 0, np, rows, true, coordGroups(set, 0, np, rows))
			b.Run(fmt.Sprintf("%s/rows=%d", sz.name, rows), func(b *testing.B) {
				cputime.Loop(b, func() { forwardCoord(pl, z, w, set, 0, np, wd) })
			})
		}
	}
}
