package data

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// familyFaults checks a set drawn from the family's distribution pm (every
// kind of noise, any ‖μ‖, any label noise) and returns what is wrong with
// it, one line per fault: nothing for a correct generator. The checks are
// exact where the definition is exact and statistical (5 standard errors,
// so a correct generator fails about once in 10⁶ runs per check) where it
// is random:
//
//   - the signal patch is exactly (clean y)·‖μ‖·e₁; the clean labels are
//     n/2 per class (training sets);
//   - Gaussian noise: ξ[0] is exactly −α·(clean y), so with α = 0 the
//     noise is orthogonal to μ exactly; every other coordinate is present;
//   - every coordinate k ≥ 1 of ξ/σp has mean 0 and variance 1, and
//     neighbouring coordinates are uncorrelated;
//   - the fraction of flipped labels is p, in each clean class.
func familyFaults(pm PatchModel, set *Set, balanced bool) []string {
	var faults []string
	fault := func(format string, args ...any) { faults = append(faults, fmt.Sprintf(format, args...)) }
	n, d := set.N(), pm.D
	clean := set.CleanLabels()
	if pm.LabelNoise == 0 && set.Clean != nil {
		fault("label_noise=0 but the set has clean labels apart from Y")
	}
	perClass := map[int8]int{}
	flips := map[int8]int{}
	sum := make([]float64, d)
	sq := make([]float64, d)
	cross := make([]float64, d) // ξ_k·ξ_{k+1}
	row := make([]float64, d)
	for i := range n {
		yc := clean[i]
		perClass[yc]++
		if set.Y[i] != yc {
			flips[yc]++
		}
		idx, val := set.Patch(2 * i)
		if !slices.Equal(idx, []int32{0}) || !slices.Equal(val, []float64{float64(yc) * pm.Mu()}) {
			if len(faults) < 20 {
				fault("example %d: signal patch %v:%v, want exactly clean y·‖μ‖·e₁ = [0]:[%v]", i, idx, val, float64(yc)*pm.Mu())
			}
		}
		clear(row)
		idx, val = set.Patch(2*i + 1)
		for e, k := range idx {
			row[k] = val[e]
		}
		if want := -pm.Alpha * float64(yc); row[0] != want && len(faults) < 20 {
			fault("example %d: ξ[0] = %v, want −α·(clean y) = %v exactly (the noise must be orthogonal to μ before feature noise)", i, row[0], want)
		}
		if pm.noise() == Gaussian {
			if want := d - 1 + min(1, int(math.Ceil(pm.Alpha))); len(idx) != want && len(faults) < 20 {
				fault("example %d: Gaussian noise patch has %d entries, want %d", i, len(idx), want)
			}
		}
		for k := 1; k < d; k++ {
			z := row[k] / pm.SigmaP
			sum[k] += z
			sq[k] += z * z
			if k+1 < d {
				cross[k] += z * row[k+1] / pm.SigmaP
			}
		}
	}
	if balanced && (perClass[1] != n/2 || perClass[-1] != n/2) {
		fault("clean labels: %d of +1 and %d of −1, want n/2=%d each", perClass[1], perClass[-1], n/2)
	}
	if pm.noise() == Gaussian {
		// ξ_k/σp ~ N(0,1): the mean has standard error 1/√n, the second
		// moment √(2/n), the neighbour product 1/√n.
		se := 1 / math.Sqrt(float64(n))
		for k := 1; k < d; k++ {
			mean, m2 := sum[k]/float64(n), sq[k]/float64(n)
			if math.Abs(mean) > 5*se {
				fault("coordinate %d: mean of ξ/σp %.4f, want 0 ± %.4f", k, mean, 5*se)
			}
			if math.Abs(m2-1) > 5*math.Sqrt2*se {
				fault("coordinate %d: variance of ξ/σp %.4f, want 1 ± %.4f", k, m2, 5*math.Sqrt2*se)
			}
			if c := cross[k] / float64(n); k+1 < d && math.Abs(c) > 5*se {
				fault("coordinates %d, %d: correlation of ξ/σp %.4f, want 0 ± %.4f", k, k+1, c, 5*se)
			}
		}
	}
	for _, c := range []int8{1, -1} {
		m := float64(perClass[c])
		if m == 0 {
			continue
		}
		se := math.Sqrt(pm.LabelNoise * (1 - pm.LabelNoise) / m)
		if rate := float64(flips[c]) / m; math.Abs(rate-pm.LabelNoise) > 5*se+1e-12 {
			fault("class %+d: %.4f of the labels flipped, want p=%v ± %.4f", c, rate, pm.LabelNoise, 5*se)
		}
	}
	return faults
}

func familyModels() []PatchModel {
	return []PatchModel{
		{D: 40, SigmaP: 0.5, Noise: Gaussian},
		{D: 40, SigmaP: 0.5, Alpha: 0.3, Noise: Gaussian, SignalNorm: 2.5, LabelNoise: 0.1},
		{D: 40, S: 5, SigmaP: 0.5, Alpha: 0.2, SignalNorm: 0.5, LabelNoise: 0.3},
		{D: 40, S: 5, SigmaP: 0.5, Alpha: 0.2},
	}
}

// TestFamilyGenerator: the training and test sets of every member of the
// family pass familyFaults.
func TestFamilyGenerator(t *testing.T) {
	n := 6000
	if testing.Short() {
		n = 2000
	}
	for _, pm := range familyModels() {
		t.Run(pm.String(), func(t *testing.T) {
			tr, err := pm.TrainFlips(context.Background(), n, rand.New(rand.NewPCG(1, 1)), rand.New(rand.NewPCG(1, 5)))
			if err != nil {
				t.Fatal(err)
			}
			if err := tr.Validate(); err != nil {
				t.Fatal(err)
			}
			for _, f := range familyFaults(pm, tr, true) {
				t.Error("train: " + f)
			}
			te, err := pm.TestFlips(context.Background(), n, Coin, rand.New(rand.NewPCG(1, 2)), rand.New(rand.NewPCG(1, 6)))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range familyFaults(pm, te, false) {
				t.Error("test: " + f)
			}
			if got, want := tr.Flipped(), flipCount(tr); got != want {
				t.Errorf("Flipped() = %d, want %d", got, want)
			}
		})
	}
}

func flipCount(s *Set) int {
	k := 0
	for i := range s.Clean {
		if s.Clean[i] != s.Y[i] {
			k++
		}
	}
	return k
}

// TestFamilyFaultsCatchMutants: familyFaults fails sets drawn by wrong
// generators — each mutant is the right set with one part of the
// definition broken, as a bug in draw or Flip would break it.
func TestFamilyFaultsCatchMutants(t *testing.T) {
	pm := PatchModel{D: 40, SigmaP: 0.5, Alpha: 0, Noise: Gaussian, SignalNorm: 2, LabelNoise: 0.1}
	n := 2000
	draw := func() *Set {
		s, err := pm.TrainFlips(context.Background(), n, rand.New(rand.NewPCG(3, 1)), rand.New(rand.NewPCG(3, 5)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if f := familyFaults(pm, draw(), true); len(f) != 0 {
		t.Fatalf("the right generator fails: %v", f)
	}
	g := rand.New(rand.NewPCG(9, 9))
	mutants := []struct {
		name, want string
		mutate     func(s *Set)
	}{
		{"g not projected: ξ[0] = σp·g₀", "orthogonal to μ", func(s *Set) {
			for i := range s.N() {
				// Coordinate 1's entry becomes a coordinate-0 draw.
				p := 2*i + 1
				s.Idx[s.PatchPtr[p]] = 0
				s.Val[s.PatchPtr[p]] = pm.SigmaP * g.NormFloat64()
			}
		}},
		{"noise scaled by σp² instead of σp", "variance", func(s *Set) {
			for i := range s.N() {
				_, val := s.Patch(2*i + 1)
				for e := range val {
					val[e] *= 1.15
				}
			}
		}},
		{"two coordinates share a draw", "correlation", func(s *Set) {
			for i := range s.N() {
				_, val := s.Patch(2*i + 1)
				val[10] = val[9]
			}
		}},
		{"signal patch carries the flipped label", "signal patch", func(s *Set) {
			for i := range s.N() {
				_, val := s.Patch(2 * i)
				val[0] = float64(s.Y[i]) * pm.Mu()
			}
		}},
		{"signal of norm 1 whatever signal_norm", "signal patch", func(s *Set) {
			for i := range s.N() {
				_, val := s.Patch(2 * i)
				val[0] = float64(s.Clean[i])
			}
		}},
		{"labels flipped with probability 1.4·p", "flipped", func(s *Set) {
			r := rand.New(rand.NewPCG(4, 4))
			for i := range s.Y {
				s.Y[i] = s.Clean[i]
				if r.Float64() < 1.4*pm.LabelNoise {
					s.Y[i] = -s.Y[i]
				}
			}
		}},
		{"clean labels lost", "clean labels", func(s *Set) { s.Clean = nil }},
	}
	for _, m := range mutants {
		s := draw()
		m.mutate(s)
		f := familyFaults(pm, s, true)
		if len(f) == 0 {
			t.Errorf("%s: familyFaults found nothing wrong", m.name)
			continue
		}
		if !strings.Contains(strings.Join(f, "\n"), m.want) {
			t.Errorf("%s: faults %q do not mention %q", m.name, f[:min(3, len(f))], m.want)
		}
	}
}

// TestFamilyStreams: the examples do not depend on the label noise (the
// flips come from their own stream), p = 0 flips nothing, and flipped
// training sets stay n/2 per clean class.
func TestFamilyStreams(t *testing.T) {
	base := PatchModel{D: 30, SigmaP: 0.3, Alpha: 0.1, Noise: Gaussian}
	noisy := base
	noisy.LabelNoise = 0.25
	a, err := base.TrainFlips(context.Background(), 200, rand.New(rand.NewPCG(7, 1)), rand.New(rand.NewPCG(7, 5)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := noisy.TrainFlips(context.Background(), 200, rand.New(rand.NewPCG(7, 1)), rand.New(rand.NewPCG(7, 5)))
	if err != nil {
		t.Fatal(err)
	}
	if a.Clean != nil || a.Flipped() != 0 {
		t.Errorf("p=0: Clean=%v, Flipped=%d, want nil and 0", a.Clean != nil, a.Flipped())
	}
	if !slices.Equal(a.Val, b.Val) || !slices.Equal(a.Idx, b.Idx) || !slices.Equal(a.Y, b.Clean) {
		t.Error("label noise changed the examples or the clean labels")
	}
	if b.Flipped() == 0 || slices.Equal(a.Y, b.Y) {
		t.Error("p=0.25 flipped no label of 200")
	}
}

// TestFamilyNPZ: clean labels and a test set survive WriteNPZSets and
// ReadNPZSets in every layout; a file without a test set reads test = nil.
func TestFamilyNPZ(t *testing.T) {
	for _, pm := range familyModels() {
		tr, err := pm.TrainFlips(context.Background(), 20, rand.New(rand.NewPCG(2, 1)), rand.New(rand.NewPCG(2, 5)))
		if err != nil {
			t.Fatal(err)
		}
		te, err := pm.TestFlips(context.Background(), 14, Coin, rand.New(rand.NewPCG(2, 2)), rand.New(rand.NewPCG(2, 6)))
		if err != nil {
			t.Fatal(err)
		}
		for _, layout := range []Layout{LayoutAuto, LayoutDense, LayoutSparse} {
			name := pm.String() + "/" + layout.String()
			var buf bytes.Buffer
			if err := WriteNPZSets(&buf, layout, tr, te); err != nil {
				t.Fatal(err)
			}
			r := bytes.NewReader(buf.Bytes())
			gotTr, gotTe, err := ReadNPZSets(r, int64(buf.Len()), math.MaxInt64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, c := range []struct {
				what      string
				got, want *Set
			}{{"train", gotTr, tr}, {"test", gotTe, te}} {
				if c.got == nil {
					t.Fatalf("%s: %s set missing", name, c.what)
				}
				if !slices.Equal(c.got.Y, c.want.Y) || !slices.Equal(c.got.Clean, c.want.Clean) ||
					!slices.Equal(c.got.Idx, c.want.Idx) || !slices.Equal(c.got.Val, c.want.Val) {
					t.Errorf("%s: %s set changed in the round trip", name, c.what)
				}
			}
			if only, err := ReadNPZ(bytes.NewReader(buf.Bytes()), int64(buf.Len())); err != nil || !slices.Equal(only.Val, tr.Val) {
				t.Errorf("%s: ReadNPZ of a file with a test set: %v", name, err)
			}
		}
		var buf bytes.Buffer
		if err := tr.WriteNPZ(&buf); err != nil {
			t.Fatal(err)
		}
		if _, te, err := ReadNPZSets(bytes.NewReader(buf.Bytes()), int64(buf.Len()), math.MaxInt64); err != nil || te != nil {
			t.Errorf("no test set in the file: test=%v err=%v", te, err)
		}
	}
}

// TestFamilyRejects: the new parameters out of range are errors naming
// them.
func TestFamilyRejects(t *testing.T) {
	for _, c := range []struct {
		pm   PatchModel
		want string
	}{
		{PatchModel{D: 10, SigmaP: 1, Noise: "dense"}, `noise="dense" must be one of [sparse gaussian]`},
		{PatchModel{D: 10, S: 2, SigmaP: 1, SignalNorm: -1}, "signal_norm=-1 must be a finite number > 0"},
		{PatchModel{D: 10, S: 2, SigmaP: 1, LabelNoise: 0.5}, "label_noise=0.5 must be in [0, 0.5)"},
		{PatchModel{D: 10, S: 2, SigmaP: 1, LabelNoise: -0.1}, "label_noise=-0.1 must be in [0, 0.5)"},
		{PatchModel{D: 10, S: 0, SigmaP: 1}, "s=0 must be in [1, d-1=9]"},
	} {
		err := c.pm.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want %q", c.pm, err, c.want)
		}
	}
	// s is not a parameter of Gaussian noise.
	if err := (PatchModel{D: 10, SigmaP: 1, Noise: Gaussian}).Validate(); err != nil {
		t.Errorf("gaussian with s=0: %v", err)
	}
	if _, err := ParseNoise("Gaussian"); err == nil {
		t.Error(`ParseNoise("Gaussian") accepted`)
	}
	if got := (PatchModel{D: 100, SigmaP: 0.5, SignalNorm: 2}).SNR(); math.Abs(got-0.4) > 1e-15 {
		t.Errorf("SNR = %v, want 2/(0.5·10) = 0.4", got)
	}
}
