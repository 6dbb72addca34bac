package convex

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/adamgap/adamgap/data"
)

// Optimum is the minimiser w* of L as Minimize found it.
type Optimum struct {
	W       []float64
	Loss    float64
	GradInf float64 // ‖∇L(w*)‖_∞
	GradL2  float64 // ‖∇L(w*)‖₂; w* is within GradL2/λ of the true minimiser
	Active  int     // coordinates some training example touches; the others are 0 in w*
	Iters   int     // L-BFGS major iterations
	Status  string  // gonum's termination status of L-BFGS (of its point, not of W)
	Newton  int     // Newton steps taken after L-BFGS
	// Method says what produced W ("L-BFGS", or "L-BFGS + Newton" when
	// Newton steps refined it) and WStatus whether W is the minimiser to
	// the tolerance: "converged: ‖∇L‖_∞ = … < tol" or why not. L-BFGS can
	// end with status Failure (its line search cannot see decreases below
	// L's rounding) while the Newton refinement converges.
	Method, WStatus string
}

// Minimize returns the minimiser of L on set from the start w0 (not
// modified), to ‖∇L‖_∞ < tol (tol ≤ 0: 1e-12). It returns an error if λ ≤ 0
// (no unique minimiser) or if tol is not reached.
//
// A coordinate no training example touches has ∂L/∂w_k = λ·w_k, so it is 0
// at w*; the others ("active") are found by gonum's L-BFGS and then refined
// by plain Newton steps, H·Δ = −∇L with H = λI + (1/n)Σᵢ σ(mᵢ)(1−σ(mᵢ))xᵢxᵢᵀ
// solved by Cholesky (gonum/mat). The Newton steps need no line search:
// near w* they converge quadratically, where a line search on L can no
// longer see decreases below L's rounding (≈1e−17·L) and stalls L-BFGS at
// ‖∇L‖ ≈ 1e−11.
func Minimize(l Linear, set *data.Set, w0 []float64, tol float64) (*Optimum, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if !(l.Lambda > 0) {
		return nil, fmt.Errorf("%w: lambda=%v must be > 0 for a unique minimiser (the loss is then strongly convex)", ErrInvalid, l.Lambda)
	}
	if tol <= 0 {
		tol = 1e-12
	}
	l.check(w0, set)

	// The active coordinates and, per example, its entries as positions in
	// the active list.
	pos := make([]int, l.Size())
	for k := range pos {
		pos[k] = -1
	}
	var active []int
	for p := range 2 * set.N() {
		idx, _ := set.Patch(p)
		for _, j := range idx {
			if k := (p%2)*l.D + int(j); pos[k] < 0 {
				pos[k] = 0
				active = append(active, k)
			}
		}
	}
	slices.Sort(active)
	for a, k := range active {
		pos[k] = a
	}
	full := make([]float64, l.Size())
	g := make([]float64, l.Size())
	expand := func(x []float64) []float64 {
		for a, k := range active {
			full[k] = x[a]
		}
		return full
	}
	gather := func(dst []float64) {
		for a, k := range active {
			dst[a] = g[k]
		}
	}
	x := make([]float64, len(active))
	for a, k := range active {
		x[a] = w0[k]
	}

	p := optimize.Problem{
		Func: func(x []float64) float64 { return l.LossGrad(nil, expand(x), set) },
		Grad: func(dst, x []float64) {
			l.LossGrad(g, expand(x), set)
			gather(dst)
		},
	}
	settings := &optimize.Settings{
		GradientThreshold: tol,
		Converger:         optimize.NeverTerminate{},
		MajorIterations:   100000,
	}
	o := &Optimum{Active: len(active)}
	res, err := optimize.Minimize(p, x, settings, &optimize.LBFGS{Store: 30, GradStopThreshold: tol})
	if res == nil {
		return nil, fmt.Errorf("convex: L-BFGS failed: %w", err)
	}
	o.Iters, o.Status = res.MajorIterations, res.Status.String()
	x = res.X

	// Newton refinement.
	ga := make([]float64, len(x))
	step := make([]float64, len(x))
	gradInf := func() float64 {
		l.LossGrad(g, expand(x), set)
		gather(ga)
		return floats.Norm(ga, math.Inf(1))
	}
	h := mat.NewSymDense(len(x), nil)
	var chol mat.Cholesky
	for gi := gradInf(); gi >= tol && o.Newton < 20; o.Newton++ {
		l.hessian(h, expand(x), set, pos)
		if !chol.Factorize(h) {
			return nil, fmt.Errorf("convex: Hessian not positive definite at the L-BFGS point (λ=%v)", l.Lambda)
		}
		sv := mat.NewVecDense(len(x), step)
		if err := chol.SolveVecTo(sv, mat.NewVecDense(len(x), ga)); err != nil {
			return nil, fmt.Errorf("convex: Newton step: %w", err)
		}
		prev := slices.Clone(x)
		floats.Sub(x, step)
		next := gradInf()
		if !(next < gi) { // at rounding level: keep the better point
			copy(x, prev)
			gradInf()
			break
		}
		gi = next
	}

	o.W = slices.Clone(expand(x))
	o.Loss = l.LossGrad(g, o.W, set)
	o.GradInf = floats.Norm(g, math.Inf(1))
	o.GradL2 = floats.Norm(g, 2)
	o.Method = "L-BFGS"
	if o.Newton > 0 {
		o.Method = "L-BFGS + Newton"
	}
	o.WStatus = fmt.Sprintf("converged: ‖∇L‖_∞ = %.3g < tol %.3g (L-BFGS status %s after %d iterations, then Newton steps: %d)",
		o.GradInf, tol, o.Status, o.Iters, o.Newton)
	if !(o.GradInf < tol) {
		o.WStatus = fmt.Sprintf("not converged: ‖∇L‖_∞ = %.3g ≥ tol %.3g", o.GradInf, tol)
		return o, fmt.Errorf("convex: minimiser not found: ‖∇L‖_∞ = %.3g, not below %.3g (L-BFGS iterations: %d, status %s; then Newton steps: %d)",
			o.GradInf, tol, o.Iters, o.Status, o.Newton)
	}
	return o, nil
}

// hessian writes the Hessian of L at w restricted to the active coordinates
// (pos[k] = index of coordinate k in h, −1 if inactive) to h.
func (l Linear) hessian(h *mat.SymDense, w []float64, set *data.Set, pos []int) {
	n := h.SymmetricDim()
	h.Zero()
	for a := range n {
		h.SetSym(a, a, l.Lambda)
	}
	var ks []int
	var vs []float64
	for i, y := range set.Y {
		m := float64(y) * l.Output(w, set, i)
		c := sigmoid(m) * sigmoid(-m) / float64(set.N())
		ks, vs = ks[:0], vs[:0]
		for k := range 2 {
			idx, val := set.Patch(2*i + k)
			for e, j := range idx {
				ks = append(ks, pos[k*l.D+int(j)])
				vs = append(vs, val[e])
			}
		}
		for e, a := range ks {
			for f, b := range ks[:e+1] {
				h.SetSym(a, b, h.At(a, b)+c*vs[e]*vs[f])
			}
		}
	}
}
