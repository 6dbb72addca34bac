package optim

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// Schedule gives the learning rate of step t (the update from W^(t) to
// W^(t+1), t = 0, …, T−1) of a run of T steps whose optimiser was configured
// with the base rate.
type Schedule interface {
	LR(base float64, t, T int) float64
}

// LRSetter is an optimiser whose learning rate a Schedule may change between
// steps. Every optimiser of the registry implements it.
type LRSetter interface {
	SetLR(lr float64)
}

// Constant keeps the base rate: η_t = η.
type Constant struct{}

// StepDecay multiplies the rate by Gamma every StepSize steps, as PyTorch's
// StepLR: η_t = η · γ^⌊t/StepSize⌋.
type StepDecay struct {
	Gamma    float64 // factor γ ∈ (0, 1]
	StepSize int     // steps between decays, ≥ 1
}

// Exponential multiplies the rate by Gamma every step, as PyTorch's
// ExponentialLR: η_t = η · γ^t.
type Exponential struct {
	Gamma float64 // factor γ ∈ (0, 1]
}

// Cosine anneals the rate from the base to MinLR over the run, as PyTorch's
// CosineAnnealingLR with T_max = T:
// η_t = η_min + (η − η_min)·(1 + cos(π·t/T))/2.
type Cosine struct {
	MinLR float64 // floor η_min ∈ [0, η], reached at t = T
}

var (
	_ Schedule = Constant{}
	_ Schedule = StepDecay{}
	_ Schedule = Exponential{}
	_ Schedule = Cosine{}
)

// LR implements Schedule.
func (Constant) LR(base float64, _, _ int) float64 { return base }

// LR implements Schedule.
func (s StepDecay) LR(base float64, t, _ int) float64 {
	return base * math.Pow(s.Gamma, float64(t/s.StepSize))
}

// LR implements Schedule.
func (s Exponential) LR(base float64, t, _ int) float64 {
	return base * math.Pow(s.Gamma, float64(t))
}

// LR implements Schedule; with T = 0 it returns the base rate.
func (s Cosine) LR(base float64, t, T int) float64 {
	if T <= 0 {
		return base
	}
	return s.MinLR + (base-s.MinLR)*(1+math.Cos(math.Pi*float64(t)/float64(T)))/2
}

// ScheduleSpec names a schedule and its parameters; it is what a
// configuration file holds beside an optimiser. The zero value is the
// constant schedule. Only the parameters the kind uses (Params) are read and
// written; each is described by a row of ScheduleParamTable.
type ScheduleSpec struct {
	Kind     string  // "constant" (or ""), "step", "exponential", "cosine"
	Gamma    float64 // step, exponential: factor γ ∈ (0, 1]
	StepSize int     // step: steps between decays, ≥ 1
	MinLR    float64 // cosine: floor η_min ∈ [0, lr]
}

type scheduleKind struct {
	doc      string
	params   []string
	defaults ScheduleSpec
	build    func(ScheduleSpec) Schedule
}

var scheduleKinds = map[string]scheduleKind{
	"constant": {
		doc:   "η_t = η",
		build: func(ScheduleSpec) Schedule { return Constant{} },
	},
	"step": {
		doc:      "η_t = η·gamma^floor(t/step_size)",
		params:   []string{"gamma", "step_size"},
		defaults: ScheduleSpec{Gamma: 0.1, StepSize: 1000},
		build:    func(s ScheduleSpec) Schedule { return StepDecay{Gamma: s.Gamma, StepSize: s.StepSize} },
	},
	"exponential": {
		doc:      "η_t = η·gamma^t",
		params:   []string{"gamma"},
		defaults: ScheduleSpec{Gamma: 0.999},
		build:    func(s ScheduleSpec) Schedule { return Exponential{Gamma: s.Gamma} },
	},
	"cosine": {
		doc:      "η_t = min_lr + (η−min_lr)(1+cos(πt/T))/2",
		params:   []string{"min_lr"},
		defaults: ScheduleSpec{MinLR: 0},
		build:    func(s ScheduleSpec) Schedule { return Cosine{MinLR: s.MinLR} },
	},
}

// ScheduleKinds returns the known schedule kinds, sorted.
func ScheduleKinds() []string {
	return slices.Sorted(maps.Keys(scheduleKinds))
}

// DescribeSchedules returns one line per schedule kind (its name and rule),
// then one per schedule parameter (ScheduleParam.Help).
func DescribeSchedules() string {
	var b strings.Builder
	for _, n := range ScheduleKinds() {
		fmt.Fprintf(&b, "  %-11s %s\n", n, scheduleKinds[n].doc)
	}
	for _, p := range scheduleParams {
		fmt.Fprintf(&b, "  %-11s %s\n", p.Name, p.Help())
	}
	return b.String()
}

func lookupSchedule(kind string) (scheduleKind, error) {
	if kind == "" {
		kind = "constant"
	}
	k, ok := scheduleKinds[kind]
	if !ok {
		return scheduleKind{}, keyErrorf("schedule.kind", "schedule kind=%q is unknown; allowed: %s", kind, strings.Join(ScheduleKinds(), ", "))
	}
	return k, nil
}

// DefaultSchedule returns the named schedule with its default parameters:
// step γ=0.1 every 1000 steps, exponential γ=0.999, cosine to 0. The
// constant schedule is the zero ScheduleSpec (Kind ""), so that specs
// compare equal however the constant rate was asked for.
func DefaultSchedule(kind string) (ScheduleSpec, error) {
	k, err := lookupSchedule(kind)
	if err != nil {
		return ScheduleSpec{}, err
	}
	s := k.defaults
	if kind != "constant" {
		s.Kind = kind
	}
	return s, nil
}

// IsConstant reports whether the schedule keeps the base rate (kind
// "constant" or empty).
func (s ScheduleSpec) IsConstant() bool { return s.Kind == "" || s.Kind == "constant" }

// Params returns the names of the parameters the schedule kind uses.
func (s ScheduleSpec) Params() []string {
	k, err := lookupSchedule(s.Kind)
	if err != nil {
		return nil
	}
	return slices.Clone(k.params)
}

// Validate reports an unknown kind or the first parameter out of range; lr
// is the optimiser's base rate, which bounds min_lr.
func (s ScheduleSpec) Validate(lr float64) error {
	if key, msg := s.check(lr); msg != "" {
		return keyErrorf("schedule."+key, "%s", msg)
	}
	return nil
}

// check returns what is wrong with s and the key at fault ("kind" or a
// parameter), or "", "".
func (s ScheduleSpec) check(lr float64) (key, msg string) {
	k, ok := scheduleKinds[s.Kind]
	if s.IsConstant() {
		k, ok = scheduleKinds["constant"], true
	}
	if !ok {
		return "kind", fmt.Sprintf("schedule kind=%q is unknown; allowed: %s", s.Kind, strings.Join(ScheduleKinds(), ", "))
	}
	for _, name := range k.params {
		p, _ := LookupScheduleParam(name)
		if v := p.get(&s); !p.inBounds(v, lr) {
			return name, fmt.Sprintf("schedule %s: %s=%s must be %s", s.Kind, name, p.Format(v), p.Allowed(lr))
		}
	}
	return "", ""
}

// New builds the schedule; the ScheduleSpec must be valid.
func (s ScheduleSpec) New() Schedule {
	k, err := lookupSchedule(s.Kind)
	if err != nil {
		panic("optim: ScheduleSpec.New: " + err.Error())
	}
	return k.build(s)
}

// String returns the kind and its parameters, e.g. "step(gamma=0.1, step_size=1000)".
func (s ScheduleSpec) String() string {
	kind := s.Kind
	if kind == "" {
		kind = "constant"
	}
	var ps []string
	for _, name := range s.Params() {
		p, _ := LookupScheduleParam(name)
		ps = append(ps, name+"="+p.Format(p.get(&s)))
	}
	if len(ps) == 0 {
		return kind
	}
	return kind + "(" + strings.Join(ps, ", ") + ")"
}
