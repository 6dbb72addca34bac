package convnet

import (
	"fmt"
	"math"

	"github.com/adamgap/adamgap/optim"
)

// Optimizer names one optimiser of a comparison and its hyper-parameters.
//
//	adam          optim.Adam (PyTorch form), β=(0.9, 0.999), ε=1e-8
//	sgd           mini-batch SGD, w ← w − η·g (optim.SGD, μ = 0)
//	sgd-momentum  heavy-ball momentum as PyTorch's SGD(momentum=μ):
//	              b ← μ·b + g, w ← w − η·b, b₀ = 0 (optim.SGD)
//
// Every gradient g already carries the coupled weight decay λw.
type Optimizer struct {
	Name     string  `json:"name"`
	LR       float64 `json:"lr"`                 // learning rate η > 0
	Momentum float64 `json:"momentum,omitempty"` // μ ∈ [0,1), sgd-momentum only
}

// OptimizerNames lists the names New accepts.
var OptimizerNames = []string{"adam", "sgd", "sgd-momentum"}

// Validate returns an error naming the field out of range.
func (o Optimizer) Validate() error {
	switch o.Name {
	case "adam", "sgd", "sgd-momentum":
	default:
		return fmt.Errorf("%w: optimizer %q unknown (known: adam, sgd, sgd-momentum)", ErrInvalid, o.Name)
	}
	if !(o.LR > 0) || math.IsInf(o.LR, 1) {
		return fmt.Errorf("%w: %s: lr=%g must be positive and finite", ErrInvalid, o.Name, o.LR)
	}
	if o.Name == "sgd-momentum" && !(o.Momentum >= 0 && o.Momentum < 1) {
		return fmt.Errorf("%w: %s: momentum=%g must lie in [0,1)", ErrInvalid, o.Name, o.Momentum)
	}
	if o.Name != "sgd-momentum" && o.Momentum != 0 {
		return fmt.Errorf("%w: %s: momentum=%g is only a parameter of sgd-momentum", ErrInvalid, o.Name, o.Momentum)
	}
	return nil
}

// Label is the name with its hyper-parameters, for tables and figures.
func (o Optimizer) Label() string {
	if o.Name == "sgd-momentum" {
		return fmt.Sprintf("%s η=%g μ=%g", o.Name, o.LR, o.Momentum)
	}
	return fmt.Sprintf("%s η=%g", o.Name, o.LR)
}

// New returns a fresh optimiser; it panics if o is invalid (call Validate).
func (o Optimizer) New() optim.Optimizer {
	if err := o.Validate(); err != nil {
		panic(err)
	}
	switch o.Name {
	case "adam":
		return optim.DefaultAdam(o.LR)
	case "sgd":
		return &optim.SGD{LR: o.LR}
	default:
		return &optim.SGD{LR: o.LR, Momentum: o.Momentum}
	}
}
