package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"

	"github.com/adamgap/adamgap/data"
)

// TestBatchWholeSetMatchesLossGrad: the batch of every example in order is
// the full objective, so loss, errors, gradient and its norms agree with
// Net.LossGrad (to rounding: the kernels may sum in another order).
func TestBatchWholeSetMatchesLossGrad(t *testing.T) {
	const tol = 1e-12
	for _, c := range gradCases() {
		t.Run(c.String(), func(t *testing.T) {
			cnn, _, _, set, w := c.problem()
			want := make([]float64, len(w))
			we := NewNet[float64](cnn, set).LossGrad(want, w)
			all := make([]int32, set.N())
			for i := range all {
				all[i] = int32(i)
			}
			got := make([]float64, len(w))
			bw := NewNet[float64](cnn, set)
			ge := bw.BatchLossGrad(got, w, all)
			if !scalar.EqualWithinAbsOrRel(ge.Loss, we.Loss, tol, tol) {
				t.Errorf("loss = %.17g, LossGrad = %.17g", ge.Loss, we.Loss)
			}
			if ge.Errors != we.Errors {
				t.Errorf("errors = %d, LossGrad = %d", ge.Errors, we.Errors)
			}
			scale := math.Max(1e-300, floats.Norm(want, math.Inf(1)))
			if d := floats.Distance(got, want, math.Inf(1)); d > tol*scale {
				t.Errorf("‖g_batch − g_full‖∞ = %.3g > %.1g", d, tol*scale)
			}
			if !scalar.EqualWithinAbsOrRel(ge.GradL1, we.GradL1, tol, tol) || !scalar.EqualWithinAbsOrRel(ge.GradL2Sq, we.GradL2Sq, tol, tol) {
				t.Errorf("norms (%.17g, %.17g), LossGrad (%.17g, %.17g)", ge.GradL1, ge.GradL2Sq, we.GradL1, we.GradL2Sq)
			}
			// Without a gradient the loss is the same.
			if le := bw.BatchLossGrad(nil, w, all); le.Loss != ge.Loss || le.Errors != ge.Errors {
				t.Errorf("without gradient: loss %.17g errors %d; with: %.17g %d", le.Loss, le.Errors, ge.Loss, ge.Errors)
			}
		})
	}
}

// TestBatchIsMeanOfExamples: L_B − (λ/2)‖W‖² is the mean of the examples'
// cross-entropies, so L_B is the mean of the one-example objectives L_{i},
// and likewise for the gradient; repeats count twice.
func TestBatchIsMeanOfExamples(t *testing.T) {
	const tol = 1e-12
	for _, c := range gradCases()[:8] {
		t.Run(c.String(), func(t *testing.T) {
			cnn, _, _, set, w := c.problem()
			bw := NewNet[float64](cnn, set)
			batch := []int32{int32(set.N() - 1), 0, 2, 0}
			g := make([]float64, len(w))
			e := bw.BatchLossGrad(g, w, batch)
			var loss float64
			mean := make([]float64, len(w))
			gi := make([]float64, len(w))
			errs := 0
			for _, i := range batch {
				ei := bw.BatchLossGrad(gi, w, []int32{i})
				loss += ei.Loss / float64(len(batch))
				floats.AddScaled(mean, 1/float64(len(batch)), gi)
				errs += ei.Errors
			}
			if !scalar.EqualWithinAbsOrRel(e.Loss, loss, tol, tol) {
				t.Errorf("L_B = %.17g, mean of L_i = %.17g", e.Loss, loss)
			}
			if e.Errors != errs {
				t.Errorf("errors = %d, sum over examples = %d", e.Errors, errs)
			}
			scale := math.Max(1, floats.Norm(mean, math.Inf(1)))
			if d := floats.Distance(g, mean, math.Inf(1)); d > tol*scale {
				t.Errorf("‖∇L_B − mean ∇L_i‖∞ = %.3g", d)
			}
		})
	}
}

func TestBatchFiniteDifferences(t *testing.T) {
	// Same budget as TestLossGradFiniteDifferences.
	const tol = 1e-7
	for _, c := range gradCases() {
		t.Run(c.String(), func(t *testing.T) {
			cnn, _, _, set, w := c.problem()
			batch := []int32{1, int32(set.N() - 2), 3}
			g := make([]float64, len(w))
			NewNet[float64](cnn, set).BatchLossGrad(g, w, batch)
			f := func(x []float64) float64 { return NewNet[float64](cnn, set).BatchLossGrad(nil, x, batch).Loss }
			want := fd.Gradient(nil, f, w, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			dist := floats.Distance(g, want, math.Inf(1))
			scale := math.Max(1, floats.Norm(want, math.Inf(1)))
			if dist > tol*scale {
				t.Errorf("‖analytic − finite differences‖∞ = %.3g > %.1g", dist, tol*scale)
			}
			// A batch that leaves examples out differs from the full
			// gradient, so the test would see a batch ignored.
			full := make([]float64, len(w))
			NewNet[float64](cnn, set).LossGrad(full, w)
			if floats.Distance(g, full, math.Inf(1)) < 1e-9 {
				t.Errorf("batch gradient equals the full gradient; the batch was not used")
			}
		})
	}
}

func TestBatchPanics(t *testing.T) {
	cnn, _, _, set, w := gradCases()[0].problem()
	bw := NewNet[float64](cnn, set)
	for _, tc := range []struct {
		name  string
		g, w  []float64
		batch []int32
		want  string
	}{
		{"empty batch", nil, w, nil, "empty batch"},
		{"index too large", nil, w, []int32{int32(set.N())}, "out of range"},
		{"negative index", nil, w, []int32{-1}, "out of range"},
		{"short w", nil, w[1:], []int32{0}, "len(w)"},
		{"short g", make([]float64, 3), w, []int32{0}, "len(g)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), tc.want) {
					t.Errorf("panic %v, want a message containing %q", r, tc.want)
				}
			}()
			bw.BatchLossGrad(tc.g, tc.w, tc.batch)
		})
	}
}

// BenchmarkBatchLossGrad is one mini-batch gradient at the paper's setting
// (d=1000, n=200, s=100, m=20) for batch sizes 2, 20 and 100: the forward
// and scatter cost B·2·(s+1)·2m each, the λW pass 2m·d.
func BenchmarkBatchLossGrad(b *testing.B) {
	pm := data.PatchModel{D: 1000, S: 100, SigmaP: 0.1, Alpha: 0.2}
	set, err := pm.Train(200, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	c := CNN{D: 1000, M: 20, Q: 3, Lambda: 1e-5}
	w := c.Init(0.01, rand.New(rand.NewPCG(1, 3)))
	g := make([]float64, len(w))
	perm := rand.New(rand.NewPCG(1, 4)).Perm(200)
	for _, size := range []int{2, 20, 100} {
		batch := make([]int32, size)
		for i := range batch {
			batch[i] = int32(perm[i])
		}
		b.Run(fmt.Sprintf("B=%d", size), func(b *testing.B) {
			bw := NewNet[float64](c, set)
			for b.Loop() {
				bw.BatchLossGrad(g, w, batch)
			}
		})
	}
}
