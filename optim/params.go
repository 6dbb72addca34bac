package optim

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/adamgap/adamgap/internal/keytable"
)

// Param describes one hyper-parameter of the optimiser family. The table of
// them (ParamTable) is the one place that says what a hyper-parameter is
// called, what it means, which values it takes and which field of Spec
// holds it: the YAML reader and writer (package config), the command-line
// flags (config.HyperFlags), Spec.Validate, Spec.Get and Spec.Set and the
// help text all read it. Adding a hyper-parameter is a row here, a field of
// Spec, its name in the params of the optimisers that use it (with their
// defaults) and the use in the optimiser's build function.
type Param struct {
	// Name is the YAML key of an optimizers entry; the flag is Name with
	// '-' for '_' (weight_decay: --weight-decay).
	Name string
	// Doc says what the parameter is, in a few words, for the help text.
	Doc string
	// Bool marks a switch (nesterov): true/false in YAML, a boolean flag,
	// 1/0 through Get and Set. Bounds do not apply to it.
	Bool bool
	// Bounds are the values allowed.
	Bounds

	accessor[Spec]
	check func(Spec) string // a condition on other fields, "" when it holds
}

// accessor reads and writes one parameter of a spec S as a float64 (a
// switch as 1 or 0, a whole number as itself): the Param and
// ScheduleParam tables' link to their specs' fields.
type accessor[S any] struct {
	get func(*S) float64
	set func(*S, float64)
}

// field is the accessor of the float64 field of S that ref points to.
func field[S any](ref func(*S) *float64) accessor[S] {
	return accessor[S]{get: func(s *S) float64 { return *ref(s) }, set: func(s *S, v float64) { *ref(s) = v }}
}

// value is the parameter's value in s, or err (the lookup's error).
func (a accessor[S]) value(s *S, err error) (float64, error) {
	if err != nil {
		return 0, err
	}
	return a.get(s), nil
}

var params = []Param{
	{
		Name: "lr", Doc: "learning rate η",
		Bounds:   Bounds{Min: 0, Max: math.Inf(1), MinOpen: true},
		accessor: field(func(s *Spec) *float64 { return &s.LR }),
	},
	{
		Name: "beta1", Doc: "first-moment decay β₁",
		Bounds:   Bounds{Min: 0, Max: 1, MaxOpen: true},
		accessor: field(func(s *Spec) *float64 { return &s.Beta1 }),
	},
	{
		Name: "beta2", Doc: "second-moment decay β₂",
		Bounds:   Bounds{Min: 0, Max: 1, MaxOpen: true},
		accessor: field(func(s *Spec) *float64 { return &s.Beta2 }),
	},
	{
		Name: "eps", Doc: "ε added to the adaptive methods' denominator",
		Bounds:   Bounds{Min: 0, Max: math.Inf(1)},
		accessor: field(func(s *Spec) *float64 { return &s.Eps }),
	},
	{
		Name: "momentum", Doc: "momentum μ",
		Bounds:   Bounds{Min: 0, Max: 1, MaxOpen: true},
		accessor: field(func(s *Spec) *float64 { return &s.Momentum }),
	},
	{
		Name: "nesterov", Doc: "Nesterov momentum instead of heavy ball", Bool: true,
		accessor: accessor[Spec]{get: func(s *Spec) float64 { return b2f(s.Nesterov) }, set: func(s *Spec, v float64) { s.Nesterov = v == 1 }},
		check: func(s Spec) string {
			if s.Nesterov && !(s.Momentum > 0) {
				return fmt.Sprintf("false when momentum=%v: Nesterov needs momentum > 0", s.Momentum)
			}
			return ""
		},
	},
	{
		Name: "weight_decay", Doc: "decoupled weight decay (not the objective's λ, which stays coupled)",
		Bounds:   Bounds{Min: 0, Max: math.Inf(1)},
		accessor: field(func(s *Spec) *float64 { return &s.WeightDecay }),
	},
	{
		Name: "p", Doc: "partial adaptivity p (½ is AMSGrad)",
		Bounds:   Bounds{Min: 0, Max: 0.5, MinOpen: true},
		accessor: field(func(s *Spec) *float64 { return &s.P }),
	},
	{
		Name: "rho", Doc: "squared-gradient decay (PyTorch's alpha)",
		Bounds:   Bounds{Min: 0, Max: 1, MaxOpen: true},
		accessor: field(func(s *Spec) *float64 { return &s.Rho }),
	},
	{
		Name: "radius", Doc: "SAM's neighbourhood radius ρ (0 is the base step)",
		Bounds:   Bounds{Min: 0, Max: math.Inf(1)},
		accessor: field(func(s *Spec) *float64 { return &s.Radius }),
	},
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// ParamTable returns the hyper-parameters of the optimiser family, in a
// fixed order (that of ParamNames, of config.yaml and of the flags).
func ParamTable() []Param { return slices.Clone(params) }

// ParamNames lists every hyper-parameter name of any optimiser, in a fixed
// order: the YAML keys of an optimizers entry and the CLI flag names (with
// '-' for '_').
func ParamNames() []string {
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Name
	}
	return names
}

// LookupParam returns the hyper-parameter called name.
func LookupParam(name string) (Param, bool) {
	return keytable.Find(params, name, func(p Param) string { return p.Name })
}

// Flag is the parameter's command-line flag name, without dashes.
func (p Param) Flag() string { return keytable.Flag(p.Name) }

// Allowed describes the values the parameter takes, as Validate's messages
// say it: "a finite number > 0", "in [0, 1)", "true or false".
func (p Param) Allowed() string {
	if p.Bool {
		return "true or false"
	}
	return p.Bounds.describe(fmt.Sprint(p.Max), false)
}

// Format writes a value of the parameter as Validate's messages and the
// help text do: true/false for a switch, %v otherwise.
func (p Param) Format(v float64) string {
	if p.Bool && (v == 0 || v == 1) {
		return strconv.FormatBool(v == 1)
	}
	return fmt.Sprint(v)
}

// inBounds reports whether v is allowed (for a switch: 0 or 1).
func (p Param) inBounds(v float64) bool {
	if p.Bool {
		return v == 0 || v == 1
	}
	return p.Bounds.contains(v, false)
}

// Bounds is the range of a parameter: from Min to Max, an end excluded
// when MinOpen or MaxOpen is set. With Max = +Inf the value must be finite.
type Bounds struct {
	Min, Max         float64
	MinOpen, MaxOpen bool
}

// contains reports whether v is in the bounds (and whole, if whole is set).
func (b Bounds) contains(v float64, whole bool) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) || (whole && v != math.Trunc(v)) {
		return false
	}
	lo := v > b.Min || (!b.MinOpen && v == b.Min)
	hi := v < b.Max || (!b.MaxOpen && v == b.Max)
	return lo && hi
}

// describe says the bounds as the validation messages do: "in [0, 1)", "a
// finite number > 0", "at least 1" (whole numbers); max is how the upper
// bound is written ("lr=5e-05" for a schedule's min_lr).
func (b Bounds) describe(max string, whole bool) string {
	if math.IsInf(b.Max, 1) {
		switch {
		case whole && !b.MinOpen:
			return fmt.Sprintf("at least %v", b.Min)
		case b.MinOpen:
			return fmt.Sprintf("a finite number > %v", b.Min)
		}
		return fmt.Sprintf("a finite number >= %v", b.Min)
	}
	lo, hi := "[", "]"
	if b.MinOpen {
		lo = "("
	}
	if b.MaxOpen {
		hi = ")"
	}
	return fmt.Sprintf("in %s%v, %s%s", lo, b.Min, max, hi)
}

// Users returns the optimisers that have the parameter, sorted.
func (p Param) Users() []string {
	return having(Names(), func(n string) []string { return kinds[n].params }, p.Name)
}

// having returns the names (optimisers or schedule kinds) whose parameter
// list, of(name), holds param, in the order of names.
func having(names []string, of func(string) []string, param string) []string {
	var out []string
	for _, n := range names {
		if slices.Contains(of(n), param) {
			out = append(out, n)
		}
	}
	return out
}

// Defaults describes the parameter's default per optimiser, grouped by
// value, e.g. "0.9 (adam, adamw), 0.5 (sgd)".
func (p Param) Defaults() string {
	var values []string
	users := map[string][]string{}
	for _, n := range p.Users() {
		d := kinds[n].defaults
		v := p.Format(p.get(&d))
		if _, ok := users[v]; !ok {
			values = append(values, v)
		}
		users[v] = append(users[v], n)
	}
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprintf("%s (%s)", v, strings.Join(users[v], ", "))
	}
	return strings.Join(parts, ", ")
}

// Help is the parameter's one-line help: what it is, what it takes, which
// optimisers have it and their defaults.
func (p Param) Help() string {
	return fmt.Sprintf("%s, %s; default %s", p.Doc, p.Allowed(), p.Defaults())
}

// DescribeParams returns one line per hyper-parameter (Help), for the
// command-line help.
func DescribeParams() string {
	var b strings.Builder
	for _, p := range params {
		fmt.Fprintf(&b, "  %-13s %s\n", p.Name, p.Help())
	}
	return b.String()
}

// Get returns the hyper-parameter called name (a switch as 1 or 0), or an
// error if the optimiser has no such parameter.
func (s Spec) Get(name string) (float64, error) {
	p, err := s.param(name)
	return p.value(&s, err)
}

// Set gives the hyper-parameter called name the value v (a switch takes 1
// for true and 0 for false). It refuses a parameter the optimiser does not
// have and, for a switch, a number other than 0 and 1; other values are
// Validate's to check.
func (s *Spec) Set(name string, v float64) error {
	p, err := s.param(name)
	if err != nil {
		return err
	}
	if p.Bool && v != 0 && v != 1 {
		return keyErrorf(name, "%s: %s=%v must be %s", s.Name, name, v, p.Allowed())
	}
	p.set(s, v)
	return nil
}

func (s Spec) param(name string) (Param, error) {
	if !slices.Contains(s.Params(), name) {
		return Param{}, keyErrorf(name, "%q is not a parameter of optimizer %q (it has: %s)", name, s.Name, strings.Join(s.Params(), ", "))
	}
	p, ok := LookupParam(name)
	if !ok {
		panic("optim: parameter " + name + " of " + s.Name + " is missing from the table")
	}
	return p, nil
}
