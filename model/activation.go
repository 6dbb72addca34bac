package model

import (
	"fmt"
	"math"
)

// Activation names the activation σ of a CNN (CNN.Activation). The
// signal–noise papers that followed the seed use three:
//
//	relu_power      σ(z) = max(0, z)^q, q ≥ 1 real (q = 1 is ReLU; the seed's q = 3)
//	leaky_relu      σ(z) = max(βz, z), 0 < β < 1 (CNN.Slope)
//	huberized_relu  σ(z) = 0 for z ≤ 0, z^q/(q·κ^{q−1}) for 0 < z ≤ κ,
//	                z − κ(1 − 1/q) for z > κ (CNN.Threshold κ > 0, exponent CNN.Q)
//
// huberized_relu is continuous with a continuous derivative (both halves
// give κ/q and slope 1 at z = κ). σ′(0) = 0 for every kind (for
// leaky_relu too, where PyTorch's autograd would take β: z = 0 exactly
// does not occur with Gaussian weights).
type Activation string

// The activations; the empty Activation is ReLUPower.
const (
	ReLUPower     Activation = "relu_power"
	LeakyReLU     Activation = "leaky_relu"
	HuberizedReLU Activation = "huberized_relu"
)

// Activations lists the activations, in the order documentation names them.
var Activations = []Activation{ReLUPower, LeakyReLU, HuberizedReLU}

// OutputScale says how a CNN's class output sums its m neurons
// (CNN.Output): Sum is the seed's F_j = Σ_r Σ_p σ(⟨w_{j,r}, x_p⟩); Mean
// divides that by m, the 1/m factor of the papers that followed it.
//
// With either scale the two-output cross-entropy of an example is the
// logistic loss of its margin,
//
//	CE(F, y) = −log(e^{F_y}/(e^{F_y} + e^{F_{−y}})) = log(1 + e^{−y·(F₊₁ − F₋₁)}) = ℓ(y·f),
//
// with f = F₊₁ − F₋₁ the output of the papers' single-output network and
// ℓ(z) = log(1 + e^{−z}), so the family's logistic-loss objective is this
// package's objective (TestCrossEntropyIsLogistic checks it numerically).
type OutputScale string

// The output scales; the empty OutputScale is OutputSum.
const (
	OutputSum  OutputScale = "sum"
	OutputMean OutputScale = "mean"
)

// OutputScales lists the output scales.
var OutputScales = []OutputScale{OutputSum, OutputMean}

// validateActivation reports the first activation or output parameter of c
// out of its allowed range.
func (c CNN) validateActivation() error {
	switch c.Activation {
	case "", ReLUPower, HuberizedReLU, LeakyReLU:
	default:
		return fmt.Errorf("%w: activation=%q is not one of relu_power, leaky_relu, huberized_relu", ErrInvalid, string(c.Activation))
	}
	switch c.Output {
	case "", OutputSum, OutputMean:
	default:
		return fmt.Errorf("%w: output_scale=%q is not one of sum, mean", ErrInvalid, string(c.Output))
	}
	switch {
	case !(c.Q >= 1) || math.IsInf(c.Q, 0):
		return fmt.Errorf("%w: q=%v must be a finite number >= 1", ErrInvalid, c.Q)
	case c.Activation == LeakyReLU && !(c.Slope > 0 && c.Slope < 1):
		return fmt.Errorf("%w: slope=%v must be between 0 and 1 (exclusive) for activation=leaky_relu", ErrInvalid, c.Slope)
	case c.Activation != LeakyReLU && c.Slope != 0:
		return fmt.Errorf("%w: slope=%v is only used by activation=leaky_relu (got %s); leave it 0", ErrInvalid, c.Slope, c.activation())
	case c.Activation == HuberizedReLU && !(c.Threshold > 0 && !math.IsInf(c.Threshold, 0)):
		return fmt.Errorf("%w: threshold=%v must be a finite number > 0 for activation=huberized_relu", ErrInvalid, c.Threshold)
	case c.Activation != HuberizedReLU && c.Threshold != 0:
		return fmt.Errorf("%w: threshold=%v is only used by activation=huberized_relu (got %s); leave it 0", ErrInvalid, c.Threshold, c.activation())
	}
	return nil
}

// activation returns c.Activation with the empty value spelled out.
func (c CNN) activation() Activation {
	if c.Activation == "" {
		return ReLUPower
	}
	return c.Activation
}

// maxIntQ is the largest integer exponent taken by repeated squaring
// (powInt); config limits q far below it.
const maxIntQ = 1 << 30

// intPower returns q and true when σ is relu_power with an integer
// exponent: the kernels' fast path (package internal/kernel's Act), whose
// numbers are those of act.
func (c CNN) intPower() (int, bool) {
	if c.activation() != ReLUPower || c.Q != math.Trunc(c.Q) || c.Q > maxIntQ {
		return 0, false
	}
	return int(c.Q), true
}

// outputDiv is the divisor of the class sums: 1 for OutputSum, m for
// OutputMean. F_j is Σ/outputDiv, its derivative ∂F_j/∂σ is 1/outputDiv;
// for OutputSum both are exact, so the seed's numbers do not change.
func (c CNN) outputDiv() float64 {
	if c.Output == OutputMean {
		return float64(c.M)
	}
	return 1
}

// sigma returns σ(z) and σ′(z) for any activation: the reference that the
// vector paths (activate) follow exactly.
func (c CNN) sigma(z float64) (s, ds float64) {
	if q, ok := c.intPower(); ok {
		return act(z, q)
	}
	switch c.activation() {
	case LeakyReLU:
		switch {
		case z > 0:
			return z, 1
		case z < 0:
			return c.Slope * z, c.Slope
		case z == 0:
			return 0, 0
		}
		return z, z // NaN
	case HuberizedReLU:
		if !(z > c.Threshold) {
			if z <= 0 {
				return 0, 0
			}
			p := c.pow(z/c.Threshold, c.Q-1) // (z/κ)^{q−1}; NaN stays NaN
			return z * p / c.Q, p
		}
		return z - c.Threshold*(1-1/c.Q), 1
	}
	// relu_power with a real q.
	if z <= 0 {
		return 0, 0
	}
	p := math.Pow(z, c.Q-1)
	return p * z, c.Q * p
}

// pow returns x^e, by repeated squaring when e is an integer (as act) and
// with math.Pow otherwise.
func (c CNN) pow(x, e float64) float64 {
	if e == math.Trunc(e) && e <= maxIntQ {
		p, b := 1.0, x
		for k := int(e); k > 0; {
			if k&1 != 0 {
				p *= b
			}
			if k >>= 1; k > 0 {
				b *= b
			}
		}
		return p
	}
	return math.Pow(x, e)
}

// activate writes s[i] = σ(z[i]) and ds[i] = σ′(z[i]): relu_power with an
// integer q on the active kernel set (the seed's fast path), every other
// activation element by element with sigma.
func (c CNN) activate(z, s, ds []float64) {
	if q, ok := c.intPower(); ok {
		active.activate(z, s, ds, q)
		return
	}
	s, ds = s[:len(z)], ds[:len(z)]
	for i, v := range z {
		s[i], ds[i] = c.sigma(v)
	}
}

// activateNet is activate for a Net[T]: the integer-q path of activateOf,
// else sigma in float64 rounded to T.
func activateNet[T Float](c CNN, z, s, ds []T) {
	if q, ok := c.intPower(); ok {
		activateOf(z, s, ds, q)
		return
	}
	s, ds = s[:len(z)], ds[:len(z)]
	for i, v := range z {
		a, b := c.sigma(float64(v))
		s[i], ds[i] = T(a), T(b)
	}
}
