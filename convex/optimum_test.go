package convex

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/adamgap/adamgap/data"
)

// problem draws data of Definition 3.1 (small), a test set and a start w₀.
func problem(t *testing.T, d, n, s int, lambda float64) (Linear, *data.Set, *data.Set, []float64) {
	t.Helper()
	pm := data.PatchModel{D: d, S: s, SigmaP: 1 / math.Sqrt(float64(s)), Alpha: 0.2}
	train, err := pm.Train(n, rand.New(rand.NewPCG(11, 1)))
	if err != nil {
		t.Fatal(err)
	}
	test, err := pm.Test(500, rand.New(rand.NewPCG(11, 2)))
	if err != nil {
		t.Fatal(err)
	}
	l := Linear{D: d, Lambda: lambda}
	w0 := make([]float64, l.Size())
	rng := rand.New(rand.NewPCG(11, 3))
	for i := range w0 {
		w0[i] = 0.01 * rng.NormFloat64()
	}
	return l, train, test, w0
}

func TestMinimizeStationary(t *testing.T) {
	for _, lambda := range []float64{1e-3, 1e-2, 0.3} {
		l, train, _, w0 := problem(t, 100, 40, 10, lambda)
		opt, err := Minimize(l, train, w0, 0)
		if err != nil {
			t.Fatalf("λ=%v: %v", lambda, err)
		}
		g := make([]float64, len(opt.W))
		l.LossGrad(g, opt.W, train)
		if gi := floats.Norm(g, math.Inf(1)); gi >= 1e-12 || gi != opt.GradInf {
			t.Errorf("λ=%v: ‖∇L(w*)‖_∞ = %.3g (reported %.3g), want < 1e-12", lambda, gi, opt.GradInf)
		}
		// The status is W's, whatever L-BFGS's own status says.
		if wantMethod := map[bool]string{true: "L-BFGS + Newton", false: "L-BFGS"}[opt.Newton > 0]; opt.Method != wantMethod ||
			!strings.HasPrefix(opt.WStatus, "converged: ‖∇L‖_∞ = ") || !strings.Contains(opt.WStatus, "L-BFGS status "+opt.Status) {
			t.Errorf("λ=%v: method %q status %q (L-BFGS %s, %d Newton steps)", lambda, opt.Method, opt.WStatus, opt.Status, opt.Newton)
		}
		// Strong convexity: any other start reaches the same point, to
		// within ‖∇L‖₂/λ of each.
		other := make([]float64, len(w0))
		for i := range other {
			other[i] = float64(i%7) - 3
		}
		opt2, err := Minimize(l, train, other, 0)
		if err != nil {
			t.Fatalf("λ=%v from another start: %v", lambda, err)
		}
		if d, bound := floats.Distance(opt.W, opt2.W, 2), (opt.GradL2+opt2.GradL2)/lambda; d > bound {
			t.Errorf("λ=%v: two starts give minimisers %.3g apart, more than ‖∇L‖/λ = %.3g", lambda, d, bound)
		}
		// Every coordinate no example touches decays to 0: w*[k] = 0 for the
		// feature patch's coordinates k ≥ 1.
		if v := floats.Norm(opt.W[1:l.D], math.Inf(1)); v > 1e-12/lambda {
			t.Errorf("λ=%v: untouched coordinates of w* up to %.3g, want 0", lambda, v)
		}
	}
}

func TestMinimizeErrors(t *testing.T) {
	l, train, _, w0 := problem(t, 20, 4, 2, 0)
	if _, err := Minimize(l, train, w0, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("λ = 0: err = %v, want ErrInvalid (no unique minimiser)", err)
	}
	l.Lambda = -1
	if _, err := Minimize(l, train, w0, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("λ = −1: err = %v, want ErrInvalid", err)
	}
}

func TestHessianFiniteDifferences(t *testing.T) {
	l, train, _, _ := problem(t, 12, 6, 3, 0.1)
	rng := rand.New(rand.NewPCG(5, 5))
	w := make([]float64, l.Size())
	for i := range w {
		w[i] = rng.NormFloat64()
	}
	pos := make([]int, l.Size())
	for k := range pos {
		pos[k] = k
	}
	h := mat.NewSymDense(l.Size(), nil)
	l.hessian(h, w, train, pos)
	want := mat.NewDense(l.Size(), l.Size(), nil)
	fd.Jacobian(want, func(g, x []float64) { l.LossGrad(g, x, train) }, w, &fd.JacobianSettings{Formula: fd.Central, Step: 1e-5})
	var diff mat.Dense
	diff.Sub(h, want)
	if d := mat.Norm(&diff, math.Inf(1)); d > 1e-8 {
		t.Errorf("‖Hessian − finite differences of the gradient‖_∞ = %.3g", d)
	}
}
