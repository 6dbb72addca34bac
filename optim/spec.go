package optim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// ErrInvalid is wrapped by every error about an unknown optimiser or a
// hyper-parameter out of its range.
var ErrInvalid = errors.New("invalid optimizer")

// Spec names an optimiser and its hyper-parameters; it is what a
// configuration file holds. Only the parameters the optimiser uses (Params)
// are read and written.
type Spec struct {
	Name  string
	LR    float64 // learning rate η > 0
	Beta1 float64 // first-moment decay, in [0,1)
	Beta2 float64 // second-moment decay, in [0,1)
	Eps   float64 // ε ≥ 0 of Adam's denominator
}

type kind struct {
	doc      string
	params   []string
	defaults Spec
	norm     Norm
	build    func(Spec) Optimizer
}

var kinds = map[string]kind{
	"adam": {
		doc:      "Adam as in PyTorch (bias correction, eps after the square root)",
		params:   []string{"lr", "beta1", "beta2", "eps"},
		defaults: Spec{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		norm:     L1,
		build:    func(s Spec) Optimizer { return &Adam{LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps} },
	},
	"adam-paper": {
		doc:      "Adam as in the paper's equations (3.1)-(3.3): no bias correction",
		params:   []string{"lr", "beta1", "beta2", "eps"},
		defaults: Spec{LR: 5e-5, Beta1: 0.9, Beta2: 0.99, Eps: 1e-8},
		norm:     L1,
		build:    func(s Spec) Optimizer { return &AdamPaper{LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps} },
	},
	"gd": {
		doc:      "full-batch gradient descent",
		params:   []string{"lr"},
		defaults: Spec{LR: 0.02},
		norm:     L2,
		build:    func(s Spec) Optimizer { return &GD{LR: s.LR} },
	},
	"signgd": {
		doc:      "sign gradient descent (Section 5.1)",
		params:   []string{"lr"},
		defaults: Spec{LR: 5e-5},
		norm:     L1,
		build:    func(s Spec) Optimizer { return &SignGD{LR: s.LR} },
	},
}

// Names returns the known optimiser names, sorted.
func Names() []string {
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Describe returns one line per optimiser: its name and what it is.
func Describe() string {
	var b strings.Builder
	for _, n := range Names() {
		fmt.Fprintf(&b, "  %-11s %s (%s)\n", n, kinds[n].doc, strings.Join(kinds[n].params, ", "))
	}
	return b.String()
}

func lookup(name string) (kind, error) {
	k, ok := kinds[name]
	if !ok {
		return kind{}, fmt.Errorf("%w: optimizer=%q is unknown; allowed: %s", ErrInvalid, name, strings.Join(Names(), ", "))
	}
	return k, nil
}

// Default returns the named optimiser with its default hyper-parameters.
func Default(name string) (Spec, error) {
	k, err := lookup(name)
	if err != nil {
		return Spec{}, err
	}
	s := k.defaults
	s.Name = name
	return s, nil
}

// Params returns the names of the hyper-parameters the optimiser uses.
func (s Spec) Params() []string {
	k, err := lookup(s.Name)
	if err != nil {
		return nil
	}
	return slices.Clone(k.params)
}

// Field returns a pointer to the hyper-parameter called name, or an error if
// the optimiser has no such parameter.
func (s *Spec) Field(name string) (*float64, error) {
	if !slices.Contains(s.Params(), name) {
		return nil, fmt.Errorf("%w: %q is not a parameter of optimizer %q (it has: %s)", ErrInvalid, name, s.Name, strings.Join(s.Params(), ", "))
	}
	switch name {
	case "lr":
		return &s.LR, nil
	case "beta1":
		return &s.Beta1, nil
	case "beta2":
		return &s.Beta2, nil
	case "eps":
		return &s.Eps, nil
	}
	panic("optim: Field: parameter " + name + " has no field")
}

// Validate reports an unknown name or the first parameter out of range.
func (s Spec) Validate() error {
	k, err := lookup(s.Name)
	if err != nil {
		return err
	}
	for _, p := range k.params {
		f, _ := s.Field(p)
		v := *f
		bad := ""
		switch p {
		case "lr":
			if !(v > 0) || math.IsInf(v, 0) {
				bad = "a finite number > 0"
			}
		case "beta1", "beta2":
			if !(v >= 0 && v < 1) {
				bad = "in [0, 1)"
			}
		case "eps":
			if !(v >= 0) || math.IsInf(v, 0) {
				bad = "a finite number >= 0"
			}
		}
		if bad != "" {
			return fmt.Errorf("%w: %s: %s=%v must be %s", ErrInvalid, s.Name, p, v, bad)
		}
	}
	return nil
}

// New builds the optimiser; the Spec must be valid.
func (s Spec) New() Optimizer {
	k, err := lookup(s.Name)
	if err != nil {
		panic("optim: New: " + err.Error())
	}
	return k.build(s)
}

// Norm is the gradient norm by which the best iterate is chosen for this
// optimiser (ℓ₁ for sign-like methods, ℓ₂ for gradient descent).
func (s Spec) Norm() Norm {
	k, _ := lookup(s.Name)
	return k.norm
}
