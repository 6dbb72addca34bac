package optim

// Float is the element type of the weights a Stepper updates: float64, or
// float32 for the forms that compute as PyTorch does on float32 tensors
// (Spec.New32).
type Float interface{ ~float32 | ~float64 }

// Stepper updates weights of precision T in place given the gradient at
// those weights: the one optimiser interface of both precisions.
// Implementations keep their own state (moments, step count), in T, and
// size it on the first call; Step panics if len(w) != len(g) or the length
// changes.
type Stepper[T Float] interface {
	Step(w, g []T)
}

// Optimizer is a Stepper of float64 weights, the precision of every
// optimiser of the package (Spec.New); Adam32 and GD32 are the
// Stepper[float32] forms of Adam and GD (Spec.New32).
type Optimizer = Stepper[float64]

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

func checkLen[T Float](w, g []T, state int) {
	if len(w) != len(g) || (state != 0 && state != len(w)) {
		panic("optim: Step: weights, gradient and state differ in length")
	}
}
