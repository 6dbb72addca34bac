package optim

// Optimizer updates weights in place given the gradient at those weights.
// Implementations keep their own state (moments, step count) and size it on
// the first call; Step panics if len(w) != len(g) or the length changes.
type Optimizer interface {
	Step(w, g []float64)
}

// Norm names the gradient norm by which Theorem 4.1 picks its output, the
// iterate with the smallest gradient.
type Norm int

const (
	L2 Norm = iota // ‖∇L‖₂, for gradient descent
	L1             // ‖∇L‖₁, for Adam and sign gradient descent
)

func (n Norm) String() string {
	if n == L1 {
		return "l1"
	}
	return "l2"
}

func checkLen(w, g []float64, state int) {
	if len(w) != len(g) || (state != 0 && state != len(w)) {
		panic("optim: Step: weights, gradient and state differ in length")
	}
}
