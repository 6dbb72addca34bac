package model

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"

	"github.com/adamgap/adamgap/data"
)

func to32(w []float64) []float32 { return round[float32](w) }

func to64(w []float32) []float64 {
	out := make([]float64, len(w))
	for i, v := range w {
		out[i] = float64(v)
	}
	return out
}

// maxRelDist is ‖a − b‖∞ / max(‖b‖∞, floor).
func maxRelDist(a, b []float64, floor float64) float64 {
	return floats.Distance(a, b, math.Inf(1)) / math.Max(floats.Norm(b, math.Inf(1)), floor)
}

// batchOf is a mini-batch with a repeat, in no particular order.
func batchOf(n int) []int32 { return []int32{int32(n - 1), 0, int32(n - 1), 1} }

// evalNet evaluates net at w, full batch or on batchOf(n) (mode "full" or
// "batch"), with the gradient in g.
func evalNet[T Float](net *Net[T], mode string, g, w []T, n int) Eval {
	if mode == "full" {
		return net.LossGrad(g, w)
	}
	return net.BatchLossGrad(g, w, batchOf(n))
}

// TestNetFloat32MatchesFloat64: at the same (float32) weights, the float32
// path's loss and gradient are the float64 path's to float32 rounding. Its
// unit roundoff is 6e-8; the sums have at most a few hundred terms, so 1e-4
// leaves a margin of 100 while a wrong term is O(1e-2).
func TestNetFloat32MatchesFloat64(t *testing.T) {
	const tol = 1e-4
	worst := 0.0
	for _, c := range gradCases() {
		t.Run(c.String(), func(t *testing.T) {
			cnn, _, _, set, w := c.problem()
			w32 := to32(w)
			w = to64(w32)
			net := NewNet[float32](cnn, set)
			for _, mode := range []string{"full", "batch"} {
				g32, want := make([]float32, len(w)), make([]float64, len(w))
				got, ev := evalNet(net, mode, g32, w32, c.n), evalNet(NewNet[float64](cnn, set), mode, want, w, c.n)
				if !scalar.EqualWithinRel(got.Loss, ev.Loss, tol) || !scalar.EqualWithinRel(got.GradL1, ev.GradL1, tol) {
					t.Errorf("%s: float32 %+v, float64 %+v", mode, got, ev)
				}
				d := maxRelDist(to64(g32), want, 1e-300)
				worst = math.Max(worst, d)
				if d > tol {
					t.Errorf("%s: float32 gradient differs from float64's by %.3g relative", mode, d)
				}
			}
		})
	}
	t.Logf("largest relative distance of the float32 gradient: %.3g", worst)
}

// TestNetFloat32FiniteDifferences checks the float32 gradient against
// central differences of the float32 path's own loss. With weights and
// activations rounded to float32 (unit roundoff 6e-8) the loss carries
// noise of about 1e-7·|L|, so the step is 1e-3 (rounding error ≈ 1e-4,
// truncation ≈ 1e-6·|L”'|); 2e-3 relative leaves a margin of 10 while a
// wrong factor or a missed term is O(1e-2) or more.
func TestNetFloat32FiniteDifferences(t *testing.T) {
	const tol = 2e-3
	worst := 0.0
	for _, c := range gradCases() {
		t.Run(c.String(), func(t *testing.T) {
			cnn, _, _, set, w := c.problem()
			w32 := to32(w)
			g32 := make([]float32, len(w))
			NewNet[float32](cnn, set).LossGrad(g32, w32)
			net := NewNet[float32](cnn, set)
			f := func(x []float64) float64 { return net.LossGrad(nil, to32(x)).Loss }
			want := fd.Gradient(nil, f, to64(w32), &fd.Settings{Formula: fd.Central, Step: 1e-3})
			d := maxRelDist(to64(g32), want, 1)
			worst = math.Max(worst, d)
			if d > tol {
				t.Errorf("‖analytic − finite differences‖∞ = %.3g relative > %.1g", d, tol)
			}
		})
	}
	t.Logf("largest relative distance to finite differences: %.3g", worst)
}

// errorsOf is ClassErrors' total.
func errorsOf[T Float](c CNN, w []T, set *data.Set) int {
	cc, err := ClassErrors(context.Background(), c, w, set)
	if err != nil {
		panic(err)
	}
	return cc.Total()
}

// TestErrorsOf: ClassErrors counts what CNN.Errors counts, in either
// precision, on a set with no column form too.
func TestClassErrorsPrecisions(t *testing.T) {
	for _, c := range gradCases() {
		cnn, _, _, set, w := c.problem()
		want := cnn.Errors(w, set)
		if got := errorsOf(cnn, w, set); got != want {
			t.Errorf("%v: ClassErrors[float64] = %d, CNN.Errors = %d", c, got, want)
		}
		if got, want := errorsOf(cnn, to32(w), set), cnn.Errors(to64(to32(w)), set); got != want {
			t.Errorf("%v: ClassErrors[float32] = %d, CNN.Errors = %d", c, got, want)
		}
	}
}

// TestNetFloat32Kernels: the AVX-512 float32 kernels and the portable loop
// give the same loss, errors and gradient to float32 rounding (they sum in
// other orders), full batch and mini-batch, for widths that are and are not
// multiples of 16 and 48.
func TestNetFloat32Kernels(t *testing.T) {
	defer UseKernel(Kernel())
	if !UseKernel("avx512") {
		t.Skip("no AVX-512 kernels in this build or on this CPU")
	}
	const tol = 1e-5
	for _, c := range append(gradCases(), gradCase{d: 40, n: 6, s: 5, m: 25, q: 3, lambda: 0.1, alpha: 0.2, seed: 3}, gradCase{d: 40, n: 6, s: 5, m: 8, q: 2, lambda: 0.1, alpha: 0.2, seed: 4}) {
		cnn, _, _, set, w := c.problem()
		w32 := to32(w)
		var evs [2][2]Eval
		var gs [2][2][]float64
		for k, kern := range []string{"portable", "avx512"} {
			UseKernel(kern)
			net := NewNet[float32](cnn, set)
			g := make([]float32, len(w))
			evs[k][0] = net.LossGrad(g, w32)
			gs[k][0] = to64(g)
			evs[k][1] = net.BatchLossGrad(g, w32, batchOf(c.n))
			gs[k][1] = to64(g)
			if got := errorsOf(cnn, w32, set); got != evs[k][0].Errors {
				t.Errorf("%v %s: ClassErrors %d, LossGrad %d", c, kern, got, evs[k][0].Errors)
			}
		}
		for mode := range 2 {
			a, b := evs[0][mode], evs[1][mode]
			if a.Errors != b.Errors || !scalar.EqualWithinRel(a.Loss, b.Loss, tol) || !scalar.EqualWithinRel(a.GradL1, b.GradL1, tol) {
				t.Errorf("%v mode %d: portable %+v, avx512 %+v", c, mode, a, b)
			}
			if d := maxRelDist(gs[1][mode], gs[0][mode], 1e-300); d > tol {
				t.Errorf("%v mode %d: gradients differ by %.3g relative", c, mode, d)
			}
		}
	}
}
