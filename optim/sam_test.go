package optim

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/adamgap/adamgap/internal/testenv"
)

// samStep is the loop's use of a Perturber[float64]: the gradient at w, the
// perturbed point, the gradient there, the step.
func samStep(o Perturber[float64], w []float64, grad func(g, w []float64)) {
	g, wp := make([]float64, len(w)), make([]float64, len(w))
	grad(g, w)
	o.Perturb(wp, w, g)
	grad(g, wp)
	o.Step(w, g)
}

// TestSAMHandStep: one SAM step on L(w) = ½‖w‖² (∇L = w) from w = (3, 4)
// with ρ = 0.5, η = 0.1, worked by hand: ‖g‖ = 5, wp = w + 0.1·(3, 4) =
// (3.3, 4.4), w ← w − 0.1·(3.3, 4.4) = (2.67, 3.56). With momentum 0.9 the
// second step's direction is 0.9·(first gradient at wp) + the second.
func TestSAMHandStep(t *testing.T) {
	id := func(g, w []float64) { copy(g, w) }
	w := []float64{3, 4}
	o := &SAM{LR: 0.1, Radius: 0.5}
	samStep(o, w, id)
	if !scalar.EqualWithinAbsOrRel(w[0], 2.67, 1e-15, 1e-15) || !scalar.EqualWithinAbsOrRel(w[1], 3.56, 1e-15, 1e-15) {
		t.Errorf("SAM step: w = %v, want (2.67, 3.56)", w)
	}
	// Momentum: step 1 as above (b = (3.3, 4.4)); step 2 from (2.67, 3.56):
	// ‖g‖ = 4.45, wp = w·(1 + 0.5/4.45), b = 0.9·(3.3, 4.4) + wp.
	w = []float64{3, 4}
	o = &SAM{LR: 0.1, Radius: 0.5, Momentum: 0.9}
	samStep(o, w, id)
	samStep(o, w, id)
	f := 1 + 0.5/4.45
	want := []float64{2.67 - 0.1*(0.9*3.3+2.67*f), 3.56 - 0.1*(0.9*4.4+3.56*f)}
	for i := range w {
		if !scalar.EqualWithinAbsOrRel(w[i], want[i], 1e-14, 1e-14) {
			t.Errorf("SAM with momentum, two steps: w = %v, want %v", w, want)
		}
	}
}

// TestSAMZeroRadiusIsGD: ρ = 0 takes GD's steps bit for bit (the second
// gradient is taken at w itself), and a zero gradient leaves wp = w.
func TestSAMZeroRadiusIsGD(t *testing.T) {
	grad := func(g, w []float64) {
		for i, v := range w {
			g[i] = math.Sin(3*v) + 0.1*v*v
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	w1 := make([]float64, 17)
	for i := range w1 {
		w1[i] = rng.NormFloat64()
	}
	w2 := append([]float64(nil), w1...)
	sam, gd := &SAM{LR: 0.05}, &GD{LR: 0.05}
	g := make([]float64, len(w1))
	for range 20 {
		samStep(sam, w1, grad)
		grad(g, w2)
		gd.Step(w2, g)
	}
	for i := range w1 {
		if w1[i] != w2[i] {
			t.Fatalf("ρ = 0: w[%d] = %v, GD %v", i, w1[i], w2[i])
		}
	}
	wp := make([]float64, 3)
	(&SAM{Radius: 1}).Perturb(wp, []float64{1, 2, 3}, make([]float64, 3))
	if wp[0] != 1 || wp[1] != 2 || wp[2] != 3 {
		t.Errorf("zero gradient: wp = %v, want w", wp)
	}
}

// TestSAMAgainstPyTorch: SAM on an ℓ₂-regularised logistic regression,
// the gradients from autograd in PyTorch and from the formula here, both
// float64, for plain and momentum base steps, to 1e-12 relative.
func TestSAMAgainstPyTorch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Python and PyTorch")
	}
	testenv.NeedPython(t, "torch")
	const n, d, steps, lambda = 12, 5, 30, 0.01
	rng := rand.New(rand.NewPCG(5, 9))
	X := make([][]float64, n)
	y := make([]float64, n)
	for i := range X {
		X[i] = make([]float64, d)
		for k := range X[i] {
			X[i][k] = rng.NormFloat64()
		}
		y[i] = float64(2*(i%2) - 1)
	}
	w0 := make([]float64, d)
	for k := range w0 {
		w0[k] = 0.5 * rng.NormFloat64()
	}
	grad := func(g, w []float64) {
		for k := range g {
			g[k] = lambda * w[k]
		}
		for i, x := range X {
			var z float64
			for k, v := range x {
				z += v * w[k]
			}
			s := -y[i] / (1 + math.Exp(y[i]*z)) / n // d/dz of softplus(−y z)/n
			for k, v := range x {
				g[k] += s * v
			}
		}
	}
	for _, mom := range []float64{0, 0.9} {
		o := &SAM{LR: 0.3, Radius: 0.2, Momentum: mom}
		in, _ := json.Marshal(map[string]any{"w0": w0, "X": X, "y": y, "lambda": lambda, "lr": o.LR, "radius": o.Radius, "momentum": mom, "steps": steps})
		out := testenv.RunPython(t, in, "testdata/torch_sam.py")
		var want [][]float64
		if err := json.Unmarshal(out, &want); err != nil {
			t.Fatal(err)
		}
		w := append([]float64(nil), w0...)
		moved := 0.0
		for s := range steps {
			samStep(o, w, grad)
			for k := range w {
				if !scalar.EqualWithinAbsOrRel(w[k], want[s][k], 1e-12, 1e-12) {
					t.Fatalf("momentum %v, step %d: w[%d] = %.17g, PyTorch %.17g", mom, s+1, k, w[k], want[s][k])
				}
			}
		}
		for k := range w {
			moved = math.Max(moved, math.Abs(w[k]-w0[k]))
		}
		if moved < 0.05 {
			t.Errorf("momentum %v: weights moved only %.3g; the comparison says little", mom, moved)
		}
	}
}
