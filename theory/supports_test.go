package theory

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/adamgap/adamgap/data"
)

func TestSupportsExactByHand(t *testing.T) {
	tests := []struct {
		p    Supports
		want float64
		why  string
	}{
		{Supports{N: 1, S: 3, D: 10}, 1, "one support is always disjoint"},
		{Supports{N: 2, S: 1, D: 3}, 0.5, "two draws from {1,2}: C(1,1)/C(2,1)"},
		{Supports{N: 2, S: 2, D: 6}, 3.0 / 10, "C(3,2)/C(5,2)"},
		{Supports{N: 3, S: 1, D: 4}, 2.0 / 3 * 1.0 / 3, "birthday problem on 3 coordinates"},
		{Supports{N: 3, S: 2, D: 6}, 0, "n·s = 6 > d−1 = 5"},
	}
	for _, tt := range tests {
		if got := tt.p.Exact(); !scalar.EqualWithinAbsOrRel(got, tt.want, 1e-12, 1e-12) {
			t.Errorf("%+v.Exact() = %v, want %v (%s)", tt.p, got, tt.want, tt.why)
		}
	}
}

// TestSupportsExactByEnumeration checks Exact against counting every
// assignment of supports on small cases.
func TestSupportsExactByEnumeration(t *testing.T) {
	for _, p := range []Supports{{N: 2, S: 2, D: 7}, {N: 3, S: 1, D: 6}, {N: 3, S: 2, D: 8}, {N: 2, S: 3, D: 8}} {
		subsets := kSubsets(p.D-1, p.S)
		total, disjoint := 0, 0
		var rec func(i int, used uint64)
		rec = func(i int, used uint64) {
			if i == p.N {
				total++
				if used != ^uint64(0) {
					disjoint++
				}
				return
			}
			for _, m := range subsets {
				if used == ^uint64(0) || used&m != 0 {
					rec(i+1, ^uint64(0))
				} else {
					rec(i+1, used|m)
				}
			}
		}
		rec(0, 0)
		want := float64(disjoint) / float64(total)
		if got := p.Exact(); !scalar.EqualWithinAbsOrRel(got, want, 1e-12, 1e-12) {
			t.Errorf("%+v.Exact() = %v, enumeration gives %d/%d = %v", p, got, disjoint, total, want)
		}
	}
}

// kSubsets returns the k-subsets of {0, …, u−1} as bit masks.
func kSubsets(u, k int) []uint64 {
	var out []uint64
	for m := uint64(0); m < 1<<u; m++ {
		if popcount(m) == k {
			out = append(out, m)
		}
	}
	return out
}

func popcount(m uint64) int {
	c := 0
	for ; m != 0; m &= m - 1 {
		c++
	}
	return c
}

func TestSupportsMonteCarloMatchesExact(t *testing.T) {
	trials := 20000
	if testing.Short() {
		trials = 4000
	}
	for i, p := range []Supports{{N: 2, S: 1, D: 3}, {N: 5, S: 2, D: 40}, {N: 10, S: 3, D: 500}, {N: 20, S: 1, D: 400}} {
		got, se := p.MonteCarlo(trials, rand.New(rand.NewPCG(7, uint64(i))))
		want := p.Exact()
		if se == 0 {
			se = 1 / float64(trials)
		}
		if math.Abs(got-want) > 5*se {
			t.Errorf("%+v: Monte Carlo %v ± %v, exact %v: %.1f standard errors apart", p, got, se, want, math.Abs(got-want)/se)
		}
	}
}

func TestSupportsBounds(t *testing.T) {
	p := Supports{N: 2, S: 1, D: 3}
	if got, want := p.UnionBound(), 2*1*(1-0.25); !scalar.EqualWithinAbsOrRel(got, want, 1e-14, 1e-14) {
		t.Errorf("UnionBound = %v, want n·s·(1−(1−s/(d−1))ⁿ) = %v", got, want)
	}
	// Where the lemma's assumption holds, its bounds must bound the exact
	// failure probability, and the failure probability must be ≤ n⁻².
	for _, p := range []Supports{{N: 4, S: 1, D: 1024}, {N: 5, S: 2, D: 10000}, {N: 10, S: 1, D: 40000}} {
		if r := p.SparsityRatio(); r > 1 {
			t.Fatalf("%+v: test case violates s ≤ √d/(2n²) (ratio %v)", p, r)
		}
		fail := 1 - p.Exact()
		if fail > p.UnionBound() || p.UnionBound() > p.LemmaBound() || p.LemmaBound() > 1/float64(p.N*p.N) {
			t.Errorf("%+v: want failure %v ≤ union bound %v ≤ 4n²s²/d %v ≤ n⁻² %v", p, fail, p.UnionBound(), p.LemmaBound(), 1/float64(p.N*p.N))
		}
	}
	paper := Supports{N: 200, S: 100, D: 1000}
	if got, want := paper.MeanSharing(), 200.0*100/999; got != want {
		t.Errorf("paper MeanSharing = %v, want %v", got, want)
	}
	if paper.Exact() != 0 {
		t.Errorf("paper: n·s = 20000 > d−1, Exact = %v, want 0", paper.Exact())
	}
}

func TestSupportsValidate(t *testing.T) {
	for _, p := range []Supports{{N: 0, S: 1, D: 3}, {N: 2, S: 0, D: 3}, {N: 2, S: 3, D: 3}, {N: 2, S: 1, D: 1}} {
		if err := p.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v.Validate() = %v, want ErrInvalid", p, err)
		}
	}
	if err := (Supports{N: 2, S: 2, D: 3}).Validate(); err != nil {
		t.Errorf("valid supports: %v", err)
	}
}

func TestMeasureSharing(t *testing.T) {
	// Three examples on d = 5; noise supports {1,2}, {2,3}, {4}.
	x := [][][]float64{
		{{1, 0, 0, 0, 0}, {-0.2, 0.5, -0.1, 0, 0}},
		{{1, 0, 0, 0, 0}, {-0.2, 0, 0.3, 0.4, 0}},
		{{-1, 0, 0, 0, 0}, {0.2, 0, 0, 0, 0.7}},
	}
	set := data.FromDense(x, []int8{1, 1, -1})
	got := MeasureSharing(set)
	want := Sharing{Coordinates: 4, Mean: 5.0 / 4, Max: 2, Alone: 1.0 / 3}
	if got != want {
		t.Errorf("MeasureSharing = %+v, want %+v", got, want)
	}
}

func TestMeasureSharingPaperData(t *testing.T) {
	pm := data.PatchModel{D: 1000, S: 100, SigmaP: 0.1, Alpha: 0.2}
	set, err := pm.Train(200, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	sh := MeasureSharing(set)
	want := Supports{N: 200, S: 100, D: 1000}.MeanSharing()
	// Every coordinate is in some support (P(unused) = (1 − s/(d−1))ⁿ ≈ 1e−9),
	// so the measured mean is close to n·s/(d−1).
	if sh.Coordinates != 999 || math.Abs(sh.Mean-want) > 1e-9*want+0.5 || sh.Alone != 0 {
		t.Errorf("paper data: %+v, want all 999 coordinates used, mean ≈ %v, no example alone", sh, want)
	}
}
