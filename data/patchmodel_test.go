package data

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// checkPatches verifies the layout of every example of a generated set:
// the feature patch is exactly y·e₀; the noise patch has exactly s distinct
// support coordinates in [1, d−1] and, at index 0, exactly −α·y (absent
// when α = 0). It returns the noise values and the support counts per
// coordinate.
func checkPatches(t *testing.T, pm PatchModel, set *Set) (noise []float64, counts []int) {
	t.Helper()
	counts = make([]int, pm.D)
	if set.D != pm.D {
		t.Fatalf("set has d=%d, want %d", set.D, pm.D)
	}
	for i, y := range set.Y {
		if y != 1 && y != -1 {
			t.Fatalf("y[%d] = %d, want ±1", i, y)
		}
		if set.NoisePatch[i] != 1 {
			t.Fatalf("example %d: noise in patch %d, generated data has it in patch 1", i, set.NoisePatch[i])
		}
		idx, val := set.Patch(2 * i)
		if !slices.Equal(idx, []int32{0}) || !slices.Equal(val, []float64{float64(y)}) {
			t.Fatalf("example %d: feature patch idx=%v val=%v, want exactly y·e₀ = [0]:[%d]", i, idx, val, y)
		}
		idx, val = set.Patch(2*i + 1)
		support := idx
		if pm.Alpha != 0 {
			if len(idx) == 0 || idx[0] != 0 {
				t.Fatalf("example %d: noise patch idx=%v lacks coordinate 0", i, idx)
			}
			if want := -pm.Alpha * float64(y); val[0] != want {
				t.Fatalf("example %d: ξ[0] = %v, want −α·y = %v exactly", i, val[0], want)
			}
			support, val = idx[1:], val[1:]
		}
		if len(support) != pm.S {
			t.Fatalf("example %d: %d support coordinates outside index 0, want s=%d", i, len(support), pm.S)
		}
		seen := map[int32]bool{}
		for e, k := range support {
			if k < 1 || int(k) > pm.D-1 {
				t.Fatalf("example %d: support coordinate %d outside [1, d-1=%d]", i, k, pm.D-1)
			}
			if seen[k] {
				t.Fatalf("example %d: support coordinate %d appears twice", i, k)
			}
			seen[k] = true
			counts[k]++
			if val[e] == 0 {
				t.Fatalf("example %d: a stored noise value is exactly 0", i)
			}
		}
		noise = append(noise, val...)
	}
	return noise, counts
}

func TestGeneratorStatistics(t *testing.T) {
	tests := []struct {
		name  string
		pm    PatchModel
		n     int
		train bool
	}{
		{"train paper-like", PatchModel{D: 200, S: 20, SigmaP: 0.1, Alpha: 0.2}, 2000, true},
		{"test", PatchModel{D: 200, S: 20, SigmaP: 0.7, Alpha: 0.05}, 2001, false},
		{"no feature noise", PatchModel{D: 101, S: 30, SigmaP: 2, Alpha: 0}, 1500, true},
		{"full support", PatchModel{D: 12, S: 11, SigmaP: 1, Alpha: 1.5}, 400, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(42, 7))
			var set *Set
			var err error
			if tt.train {
				set, err = tt.pm.Train(tt.n, rng)
			} else {
				set, err = tt.pm.Test(tt.n, rng)
			}
			if err != nil {
				t.Fatal(err)
			}
			if set.N() != tt.n {
				t.Fatalf("N() = %d, want %d", set.N(), tt.n)
			}
			noise, counts := checkPatches(t, tt.pm, set)

			// Variance: with N values of N(0, σp²), Σv²/N has mean σp² and
			// standard deviation σp²·√(2/N); the mean has sd σp/√N. Five
			// standard deviations: a false alarm has probability < 1e-6.
			N := float64(len(noise))
			var sum, sum2 float64
			for _, v := range noise {
				sum += v
				sum2 += v * v
			}
			s2 := tt.pm.SigmaP * tt.pm.SigmaP
			if got, tol := sum2/N, 5*s2*math.Sqrt(2/N); math.Abs(got-s2) > tol {
				t.Errorf("noise variance %.5g, want σp² = %.5g ± %.2g (distance %.3g)", got, s2, tol, math.Abs(got-s2))
			}
			if got, tol := sum/N, 5*tt.pm.SigmaP/math.Sqrt(N); math.Abs(got) > tol {
				t.Errorf("noise mean %.3g, want 0 ± %.2g", got, tol)
			}

			// Coordinate usage: coordinate k ∈ [1, d−1] is in a patch's
			// support with probability p = s/(d−1), independently across
			// patches, so its count is Binomial(n, p). X = Σ (c−np)²/(np(1−p))
			// is approximately χ² with about d−2 degrees of freedom (the counts
			// sum to n·s); allow six standard deviations √(2·dof) either side.
			// A deterministic or skewed support makes X far too small or large.
			if tt.pm.S < tt.pm.D-1 {
				p := float64(tt.pm.S) / float64(tt.pm.D-1)
				mean, vr := float64(tt.n)*p, float64(tt.n)*p*(1-p)
				var chi2 float64
				for _, c := range counts[1:] {
					chi2 += (float64(c) - mean) * (float64(c) - mean) / vr
				}
				dof := float64(tt.pm.D - 2)
				if lo, hi := dof-6*math.Sqrt(2*dof), dof+6*math.Sqrt(2*dof); chi2 < lo || chi2 > hi {
					t.Errorf("coordinate usage χ² = %.1f, want within [%.1f, %.1f] (dof %.0f)", chi2, lo, hi, dof)
				}
			} else {
				for k, c := range counts[1:] {
					if c != tt.n {
						t.Errorf("s = d−1: coordinate %d used %d times, want every patch (%d)", k+1, c, tt.n)
					}
				}
			}

			// Labels: training labels are exactly balanced; test labels are
			// Binomial(n, 1/2), within five standard deviations √n/2.
			pos := 0
			for _, y := range set.Y {
				if y > 0 {
					pos++
				}
			}
			if tt.train && pos != tt.n/2 {
				t.Errorf("training set has %d positive labels of %d, want exactly n/2", pos, tt.n)
			}
			if tol := 5 * math.Sqrt(float64(tt.n)) / 2; !tt.train && math.Abs(float64(pos)-float64(tt.n)/2) > tol {
				t.Errorf("test set has %d positive labels of %d, want n/2 ± %.0f", pos, tt.n, tol)
			}
		})
	}
}

// TestTestLabelsIndependent: test labels are drawn, not alternating or
// blocked: the number of label changes between neighbours is
// Binomial(n−1, 1/2).
func TestTestLabelsIndependent(t *testing.T) {
	const n = 4000
	set, err := PatchModel{D: 10, S: 3, SigmaP: 1, Alpha: 0.1}.Test(n, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	changes := 0
	for i := 1; i < n; i++ {
		if set.Y[i] != set.Y[i-1] {
			changes++
		}
	}
	if tol := 5 * math.Sqrt(n-1) / 2; math.Abs(float64(changes)-(n-1)/2.0) > tol {
		t.Errorf("%d label changes in %d neighbours, want %.0f ± %.0f", changes, n-1, (n-1)/2.0, tol)
	}
}

func TestGeneratorDeterministic(t *testing.T) {
	pm := PatchModel{D: 30, S: 5, SigmaP: 0.3, Alpha: 0.2}
	a, err := pm.Train(20, rand.New(rand.NewPCG(9, 1)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pm.Train(20, rand.New(rand.NewPCG(9, 1)))
	c, _ := pm.Train(20, rand.New(rand.NewPCG(9, 2)))
	if !slices.Equal(a.Idx, b.Idx) || !slices.Equal(a.Val, b.Val) || !slices.Equal(a.Y, b.Y) {
		t.Errorf("the same generator state gave different sets")
	}
	if slices.Equal(a.Val, c.Val) {
		t.Errorf("different generator states gave the same noise values")
	}
}

func TestGeneratorRejects(t *testing.T) {
	good := PatchModel{D: 10, S: 3, SigmaP: 0.1, Alpha: 0.2}
	with := func(f func(*PatchModel)) PatchModel { p := good; f(&p); return p }
	tests := []struct {
		name string
		pm   PatchModel
		n    int
		test bool
		want string
	}{
		{"odd n", good, 7, false, "n=7"},
		{"zero n", good, 0, false, "n=0"},
		{"negative n", good, -2, false, "n=-2"},
		{"test size 0", good, 0, true, "test_size=0"},
		{"s > d-1", with(func(p *PatchModel) { p.S = 10 }), 4, false, "s=10 must be in [1, d-1=9]"},
		{"s = 0", with(func(p *PatchModel) { p.S = 0 }), 4, false, "s=0"},
		{"d = 1", with(func(p *PatchModel) { p.D, p.S = 1, 1 }), 4, false, "d=1"},
		{"sigma_p = 0", with(func(p *PatchModel) { p.SigmaP = 0 }), 4, false, "sigma_p=0"},
		{"sigma_p < 0", with(func(p *PatchModel) { p.SigmaP = -0.1 }), 4, true, "sigma_p=-0.1"},
		{"sigma_p NaN", with(func(p *PatchModel) { p.SigmaP = math.NaN() }), 4, false, "sigma_p=NaN"},
		{"sigma_p Inf", with(func(p *PatchModel) { p.SigmaP = math.Inf(1) }), 4, false, "sigma_p=+Inf"},
		{"alpha < 0", with(func(p *PatchModel) { p.Alpha = -1 }), 4, false, "alpha=-1"},
		{"alpha NaN", with(func(p *PatchModel) { p.Alpha = math.NaN() }), 4, true, "alpha=NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.test {
				_, err = tt.pm.Test(tt.n, rand.New(rand.NewPCG(1, 1)))
			} else {
				_, err = tt.pm.Train(tt.n, rand.New(rand.NewPCG(1, 1)))
			}
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

// TestLabelSchemes: each scheme gives the labels it names, and the features
// follow the labels.
func TestLabelSchemes(t *testing.T) {
	pm := PatchModel{D: 10, S: 3, SigmaP: 1, Alpha: 0.1}
	for _, tt := range []struct {
		labels   Labels
		pos, neg int
	}{{Balanced, 4, 3}, {Positive, 7, 0}, {Negative, 0, 7}} {
		set, err := pm.TestLabels(7, tt.labels, rand.New(rand.NewPCG(2, 2)))
		if err != nil {
			t.Fatal(err)
		}
		pos, neg := 0, 0
		for i, y := range set.Y {
			if y > 0 {
				pos++
			} else {
				neg++
			}
			if idx, val := set.Patch(2 * i); idx[0] != 0 || val[0] != float64(y) {
				t.Errorf("%s: example %d feature %v, label %d", tt.labels, i, val, y)
			}
		}
		if pos != tt.pos || neg != tt.neg {
			t.Errorf("%s: %d / %d labels per class, want %d / %d", tt.labels, pos, neg, tt.pos, tt.neg)
		}
	}
	a, _ := pm.Test(50, rand.New(rand.NewPCG(2, 2)))
	b, _ := pm.TestLabels(50, Coin, rand.New(rand.NewPCG(2, 2)))
	if !slices.Equal(a.Y, b.Y) || !slices.Equal(a.Val, b.Val) {
		t.Error("Test and TestLabels(Coin) differ")
	}
	if _, err := pm.TestLabels(5, "half", rand.New(rand.NewPCG(2, 2))); err == nil || !strings.Contains(err.Error(), `test_labels="half" must be one of`) {
		t.Errorf("unknown scheme: %v", err)
	}
}
