package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"

	"github.com/adamgap/adamgap/data"
)

// gaussianSet is the family's data in small: a signal patch y·μ (1-sparse)
// and a dense noise patch N(0, σ²) on coordinates 1…d−1 with −α·y on
// coordinate 0, the noise in patch 0 or 1 by example.
func gaussianSet(n, d int, sigma, alpha float64, seed uint64) *data.Set {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([][][]float64, n)
	y := make([]int8, n)
	for i := range x {
		y[i] = int8(2*(i%2) - 1)
		feat := make([]float64, d)
		feat[0] = 1.5 * float64(y[i])
		noise := make([]float64, d)
		noise[0] = -alpha * float64(y[i])
		for k := 1; k < d; k++ {
			noise[k] = sigma * rng.NormFloat64()
		}
		x[i] = [][]float64{feat, noise}
		if i%3 == 1 {
			x[i] = [][]float64{noise, feat}
		}
	}
	return data.FromDense(x, y)
}

// TestDensePath: on Gaussian data Net[float64] takes the dense path, and
// its loss, gradient, norms and error counts agree with the sparse
// kernels on the same set (to 1e-13), on every kernel path, for widths
// that are and are not multiples of the 40-column block and numbers of
// dense patches that are and are not multiples of 4; the gradient also
// agrees with central finite differences.
func TestDensePath(t *testing.T) {
	defer UseKernel(Kernel())
	for _, path := range Kernels() {
		UseKernel(path)
		for _, sh := range []struct{ n, d, m int }{{6, 30, 3}, {10, 57, 20}, {7, 41, 25}, {4, 100, 2}} {
			t.Run(fmt.Sprintf("%s/n=%d,d=%d,m=%d", path, sh.n, sh.d, sh.m), func(t *testing.T) {
				set := gaussianSet(sh.n, sh.d, 1/math.Sqrt(float64(sh.d)), 0.2, uint64(sh.d))
				for _, out := range OutputScales {
					cnn := CNN{D: sh.d, M: sh.m, Q: 1, Lambda: 0.01, Output: out}
					w := cnn.Init(0.5, rand.New(rand.NewPCG(3, uint64(sh.m))))
					ws := NewNet[float64](cnn, set)
					g := make([]float64, len(w))
					ev := ws.LossGrad(g, w)
					if ws.lay.dense == nil || len(ws.lay.dense.rows) != sh.n {
						t.Fatalf("dense path not taken (%v)", ws.lay.dense)
					}
					sparse := NewNet[float64](cnn, set)
					sparse.lay.denseDone = true // no dense patches: the sparse kernels
					gs := make([]float64, len(w))
					evs := sparse.LossGrad(gs, w)
					scale := floats.Norm(gs, math.Inf(1))
					if dist := floats.Distance(g, gs, math.Inf(1)); dist > 1e-13*scale {
						t.Errorf("%s: ‖g_dense − g_sparse‖∞ = %.3g (‖g‖∞ = %.3g)", out, dist, scale)
					}
					rel := func(a, b float64) float64 { return math.Abs(a-b) / math.Max(math.Abs(b), 1e-300) }
					if rel(ev.Loss, evs.Loss) > 1e-13 || rel(ev.GradL1, evs.GradL1) > 1e-13 || rel(ev.GradL2Sq, evs.GradL2Sq) > 1e-13 || ev.Errors != evs.Errors {
						t.Errorf("%s: dense %+v, sparse %+v", out, ev, evs)
					}
					if noGrad := ws.LossGrad(nil, w).Loss; noGrad != ev.Loss {
						t.Errorf("%s: loss without gradient %v, with %v", out, noGrad, ev.Loss)
					}
					if e, es := cnn.Errors(w, set), ev.Errors; e != es {
						t.Errorf("%s: CNN.Errors %d, LossGrad %d", out, e, es)
					}
					f := func(v []float64) float64 { return NewNet[float64](cnn, set).LossGrad(nil, v).Loss }
					want := fd.Gradient(nil, f, w, &fd.Settings{Formula: fd.Central, Step: 1e-6})
					if dist := floats.Distance(g, want, math.Inf(1)); dist > 1e-7*math.Max(1, floats.Norm(want, math.Inf(1))) {
						t.Errorf("%s: ‖analytic − finite differences‖∞ = %.3g", out, dist)
					}
				}
			})
		}
	}
}

// TestDenseOutputs: Outputs and ClassErrors on a dense set (the dense
// patches gathered chunk by chunk) equal the outputs written from their
// definition to rounding, over more than one chunk.
func TestDenseOutputs(t *testing.T) {
	const n, d, m = errorChunk + 37, 24, 5
	set := gaussianSet(n, d, 0.3, 0.1, 9)
	cnn := CNN{D: d, M: m, Q: 2, Output: OutputMean}
	w := cnn.Init(0.3, rand.New(rand.NewPCG(4, 4)))
	got := cnn.Outputs(w, set)
	x := set.Dense()
	tw := cnn.ToTensor(w)
	wrong := 0
	for i := range n {
		var f [2]float64
		for j := range 2 {
			for r := range m {
				for _, patch := range x[i] {
					f[j] += naiveSigma(cnn, floats.Dot(tw[j][r], patch))
				}
			}
			f[j] /= m
			if math.Abs(got[i][j]-f[j]) > 1e-13*math.Max(1, math.Abs(f[j])) {
				t.Fatalf("example %d class %d: Outputs %v, definition %v", i, j, got[i][j], f[j])
			}
		}
		yi := (int(set.Y[i]) + 1) / 2
		if f[yi] <= f[1-yi] {
			wrong++
		}
	}
	if e := cnn.Errors(w, set); e != wrong {
		t.Errorf("Errors = %d, definition %d", e, wrong)
	}
}
