package optim

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ErrInvalid is wrapped by every error about an unknown optimiser or a
// hyper-parameter out of its range. As every package's ErrInvalid, its
// message is the package's name, so that an error reads "optim: adam:
// lr=-1 must be > 0".
var ErrInvalid = errors.New("optim")

// Spec names an optimiser and its hyper-parameters; it is what a
// configuration file holds. Only the parameters the optimiser uses (Params)
// are read and written. Each field is described (name, meaning, bounds) by
// a row of ParamTable.
//
// Schedule is the learning-rate schedule of the run (the zero value is the
// constant rate); its base rate is LR.
type Spec struct {
	Name  string
	LR    float64 // lr: learning rate η > 0
	Beta1 float64 // beta1: first-moment decay, in [0,1)
	Beta2 float64 // beta2: second-moment decay, in [0,1)
	Eps   float64 // eps: ε ≥ 0 of the adaptive methods' denominator

	Momentum    float64 // momentum: μ ∈ [0,1) of SGD and RMSProp
	Nesterov    bool    // nesterov: Nesterov momentum instead of heavy ball (SGD)
	WeightDecay float64 // weight_decay: AdamW's decoupled decay ≥ 0 (not the objective's λ)
	P           float64 // p: Padam's partial adaptivity, in (0, 1/2]
	Rho         float64 // rho: RMSProp's squared-gradient decay, in [0,1) (PyTorch's alpha)
	Radius      float64 // radius: SAM's neighbourhood radius ρ ≥ 0

	Schedule ScheduleSpec
}

type kind struct {
	doc      string
	params   []string
	defaults Spec
	norm     Norm
	signLike bool // Adam family: Lemma A.2's sign-agreement probe applies
	build    func(Spec) Optimizer
}

// adamKind is the entry of an optimiser of the Adam family: the
// parameters lr, beta1, beta2 and eps, then extra; the L1 norm; the sign
// probe of Lemma A.2.
func adamKind(doc string, extra []string, defaults Spec, build func(Spec) Optimizer) kind {
	return kind{doc: doc, params: append([]string{"lr", "beta1", "beta2", "eps"}, extra...), defaults: defaults, norm: L1, signLike: true, build: build}
}

var kinds = map[string]kind{
	"adam": adamKind("Adam as in PyTorch (bias correction, eps after the square root)",
		nil, Spec{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		func(s Spec) Optimizer { return &Adam{LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps} }),
	"adam-paper": adamKind("Adam as in the paper's equations (3.1)-(3.3): no bias correction",
		nil, Spec{LR: 5e-5, Beta1: 0.9, Beta2: 0.99, Eps: 1e-8},
		func(s Spec) Optimizer { return &AdamPaper{LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps} }),
	"adamw": adamKind("AdamW as in PyTorch: decoupled weight decay, then Adam (lambda stays coupled; set it to 0 for pure AdamW)",
		[]string{"weight_decay"}, Spec{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01},
		func(s Spec) Optimizer {
			return &AdamW{Adam: Adam{LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps}, WeightDecay: s.WeightDecay}
		}),
	"amsgrad": adamKind("AMSGrad as in PyTorch's Adam(amsgrad=True): running max of the second moment",
		nil, Spec{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		func(s Spec) Optimizer { return &AMSGrad{LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps} }),
	"padam": adamKind("Padam (Chen et al. 2020): AMSGrad with v^p, p in (0, 1/2]",
		[]string{"p"}, Spec{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, P: 0.125},
		func(s Spec) Optimizer { return &Padam{LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps, P: s.P} }),
	"rmsprop": {
		doc:      "RMSProp as in PyTorch (rho is PyTorch's alpha; optional momentum)",
		params:   []string{"lr", "rho", "eps", "momentum"},
		defaults: Spec{LR: 5e-5, Rho: 0.99, Eps: 1e-8},
		norm:     L1,
		build:    func(s Spec) Optimizer { return &RMSProp{LR: s.LR, Rho: s.Rho, Eps: s.Eps, Momentum: s.Momentum} },
	},
	"adagrad": {
		doc:      "AdaGrad as in PyTorch (lr_decay 0; use a schedule instead)",
		params:   []string{"lr", "eps"},
		defaults: Spec{LR: 1e-3, Eps: 1e-10},
		norm:     L1,
		build:    func(s Spec) Optimizer { return &AdaGrad{LR: s.LR, Eps: s.Eps} },
	},
	"gd": {
		doc:      "gradient descent (stochastic with batch_size)",
		params:   []string{"lr"},
		defaults: Spec{LR: 0.02},
		norm:     L2,
		build:    func(s Spec) Optimizer { return &GD{LR: s.LR} },
	},
	"sgd": {
		doc:      "SGD as in PyTorch (dampening 0): heavy-ball momentum, or Nesterov with nesterov=true",
		params:   []string{"lr", "momentum", "nesterov"},
		defaults: Spec{LR: 0.02, Momentum: 0.9},
		norm:     L2,
		build:    func(s Spec) Optimizer { return &SGD{LR: s.LR, Momentum: s.Momentum, Nesterov: s.Nesterov} },
	},
	"sam": {
		doc:      "sharpness-aware minimisation: the GD (or momentum SGD) step with the gradient at w + radius·g/‖g‖₂",
		params:   []string{"lr", "radius", "momentum"},
		defaults: Spec{LR: 0.02, Radius: 0.05},
		norm:     L2,
		build:    func(s Spec) Optimizer { return &SAM{LR: s.LR, Radius: s.Radius, Momentum: s.Momentum} },
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
	return slices.Sorted(maps.Keys(kinds))
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
		return kind{}, keyErrorf("name", "optimizer=%q is unknown; allowed: %s", name, strings.Join(Names(), ", "))
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

// Validate reports an unknown name or the first parameter out of range
// (ParamTable's bounds), naming the optimiser, the parameter, its value and
// what is allowed.
func (s Spec) Validate() error {
	k, err := lookup(s.Name)
	if err != nil {
		return err
	}
	for _, name := range k.params {
		p, _ := LookupParam(name)
		v := p.get(&s)
		bad := ""
		if !p.inBounds(v) {
			bad = p.Allowed()
		} else if p.check != nil {
			bad = p.check(s)
		}
		if bad != "" {
			return keyErrorf(name, "%s: %s=%s must be %s", s.Name, name, p.Format(v), bad)
		}
	}
	if key, msg := s.Schedule.check(s.LR); msg != "" {
		return keyErrorf("schedule."+key, "%s: %s", s.Name, msg)
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

// SignLike reports whether the optimiser is of the Adam family, whose update
// Lemma A.2 of the paper compares with sign gradient descent; the training
// loop logs the sign-agreement probe for these.
func (s Spec) SignLike() bool {
	k, _ := lookup(s.Name)
	return k.signLike
}

// Norm is the gradient norm by which the best iterate is chosen for this
// optimiser (ℓ₁ for sign-like methods, ℓ₂ for gradient descent).
func (s Spec) Norm() Norm {
	k, _ := lookup(s.Name)
	return k.norm
}
