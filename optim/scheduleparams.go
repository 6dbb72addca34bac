package optim

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/adamgap/adamgap/internal/keytable"
)

// ScheduleParam describes one parameter of the learning-rate schedules, as
// Param does for the optimisers: ScheduleParamTable is the one place that
// names it, says what it means, bounds it and maps it to its field of
// ScheduleSpec. The YAML reader and writer, the flags (--schedule-NAME),
// ScheduleSpec.Validate, Get, Set and String and the help text read it.
type ScheduleParam struct {
	// Name is the key inside an optimiser's schedule entry; the flag is
	// --schedule-NAME with '-' for '_' (step_size: --schedule-step-size).
	Name string
	// Doc says what the parameter is, for the help text.
	Doc string
	// Int marks a whole number (step_size).
	Int bool
	// Bounds are the values allowed; MaxIsLR makes the optimiser's base
	// rate the upper bound instead of Max (min_lr).
	Bounds
	MaxIsLR bool

	accessor[ScheduleSpec]
}

var scheduleParams = []ScheduleParam{
	{
		Name: "gamma", Doc: "decay factor γ",
		Bounds:   Bounds{Min: 0, Max: 1, MinOpen: true},
		accessor: field(func(s *ScheduleSpec) *float64 { return &s.Gamma }),
	},
	{
		Name: "step_size", Doc: "steps between decays", Int: true,
		Bounds:   Bounds{Min: 1, Max: math.Inf(1)},
		accessor: accessor[ScheduleSpec]{get: func(s *ScheduleSpec) float64 { return float64(s.StepSize) }, set: func(s *ScheduleSpec, v float64) { s.StepSize = int(v) }},
	},
	{
		Name: "min_lr", Doc: "final learning rate η_min",
		Bounds: Bounds{Min: 0}, MaxIsLR: true,
		accessor: field(func(s *ScheduleSpec) *float64 { return &s.MinLR }),
	},
}

// ScheduleParamTable returns the parameters of the schedules in a fixed
// order (that of config.yaml and of the flags).
func ScheduleParamTable() []ScheduleParam { return slices.Clone(scheduleParams) }

// LookupScheduleParam returns the schedule parameter called name.
func LookupScheduleParam(name string) (ScheduleParam, bool) {
	return keytable.Find(scheduleParams, name, func(p ScheduleParam) string { return p.Name })
}

// Flag is the parameter's command-line flag name, without dashes.
func (p ScheduleParam) Flag() string { return "schedule-" + keytable.Flag(p.Name) }

// Allowed describes the values the parameter takes for an optimiser of base
// rate lr, as the validation messages say it: "in (0, 1]", "at least 1",
// "in [0, lr=5e-05]".
func (p ScheduleParam) Allowed(lr float64) string {
	b, max := p.bounds(lr)
	return b.describe(max, p.Int)
}

// bounds returns the bounds for base rate lr and how to write the upper one.
func (p ScheduleParam) bounds(lr float64) (Bounds, string) {
	b := p.Bounds
	if p.MaxIsLR {
		b.Max = lr
		return b, fmt.Sprintf("lr=%v", lr)
	}
	return b, fmt.Sprint(b.Max)
}

// Format writes a value of the parameter: a whole number without a
// fraction, %v otherwise.
func (p ScheduleParam) Format(v float64) string {
	if p.Int {
		return strconv.Itoa(int(v))
	}
	return fmt.Sprint(v)
}

func (p ScheduleParam) inBounds(v, lr float64) bool {
	b, _ := p.bounds(lr)
	return b.contains(v, p.Int)
}

// Users returns the schedule kinds that have the parameter, sorted.
func (p ScheduleParam) Users() []string {
	return having(ScheduleKinds(), func(k string) []string { return scheduleKinds[k].params }, p.Name)
}

// Help is the parameter's one-line help: what it is, its bounds, the kinds
// that have it and their defaults.
func (p ScheduleParam) Help() string {
	var defaults []string
	for _, k := range p.Users() {
		d := scheduleKinds[k].defaults
		defaults = append(defaults, fmt.Sprintf("%s (%s)", p.Format(p.get(&d)), k))
	}
	allowed := p.Allowed(0)
	if p.MaxIsLR {
		allowed = p.Bounds.describe("lr", p.Int) // "in [0, lr]"
	}
	return fmt.Sprintf("%s, %s; default %s", p.Doc, allowed, strings.Join(defaults, ", "))
}

// Get returns the schedule parameter called name, or an error if the kind
// has no such parameter.
func (s ScheduleSpec) Get(name string) (float64, error) {
	p, err := s.param(name)
	return p.value(&s, err)
}

// Set gives the schedule parameter called name the value v. It refuses a
// parameter the kind does not have and a fraction for a whole-number
// parameter; bounds are Validate's to check.
func (s *ScheduleSpec) Set(name string, v float64) error {
	p, err := s.param(name)
	if err != nil {
		return err
	}
	if p.Int && (v != math.Trunc(v) || math.Abs(v) > math.MaxInt32) {
		return keyErrorf("schedule."+name, "schedule %s: %s=%v must be a whole number", s, name, v)
	}
	p.set(s, v)
	return nil
}

// itHas lists the parameters an optimiser or a schedule has, for messages
// about one it has not: "it has: gamma, step_size", or "it has none".
func itHas(params []string) string {
	if len(params) == 0 {
		return "it has none"
	}
	return "it has: " + strings.Join(params, ", ")
}

func (s ScheduleSpec) param(name string) (ScheduleParam, error) {
	if !slices.Contains(s.Params(), name) {
		return ScheduleParam{}, keyErrorf("schedule."+name, "%q is not a parameter of schedule %s (%s)", name, s, itHas(s.Params()))
	}
	p, ok := LookupScheduleParam(name)
	if !ok {
		panic("optim: schedule parameter " + name + " is missing from the table")
	}
	return p, nil
}
