package optim

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestScheduleLR(t *testing.T) {
	const base, T = 0.1, 100
	tests := []struct {
		name  string
		sched Schedule
		t     int
		want  float64
	}{
		{"constant t=0", Constant{}, 0, 0.1},
		{"constant t=99", Constant{}, 99, 0.1},
		// Step: γ = 0.5 every 30 steps: ⌊29/30⌋ = 0, ⌊30/30⌋ = 1, ⌊95/30⌋ = 3.
		{"step t=29", StepDecay{Gamma: 0.5, StepSize: 30}, 29, 0.1},
		{"step t=30", StepDecay{Gamma: 0.5, StepSize: 30}, 30, 0.05},
		{"step t=95", StepDecay{Gamma: 0.5, StepSize: 30}, 95, 0.0125},
		// Exponential: γ = 0.5: 0.1·0.5³ = 0.0125.
		{"exponential t=0", Exponential{Gamma: 0.5}, 0, 0.1},
		{"exponential t=3", Exponential{Gamma: 0.5}, 3, 0.0125},
		// Cosine to 0.02 over T = 100: cos(0) = 1 → 0.1; cos(π/2) = 0 →
		// 0.02 + 0.08/2 = 0.06; cos(π) = −1 → 0.02; cos(π/3) = 1/2 →
		// 0.02 + 0.08·0.75 = 0.08 at t = T/3.
		{"cosine t=0", Cosine{MinLR: 0.02}, 0, 0.1},
		{"cosine t=T/2", Cosine{MinLR: 0.02}, 50, 0.06},
		{"cosine t=T", Cosine{MinLR: 0.02}, 100, 0.02},
		{"cosine to 0 t=T/2", Cosine{}, 50, 0.05},
	}
	for _, tt := range tests {
		if got := tt.sched.LR(base, tt.t, T); !scalar.EqualWithinAbsOrRel(got, tt.want, 1e-15, 1e-14) {
			t.Errorf("%s: LR = %.17g, want %v", tt.name, got, tt.want)
		}
	}
	// A third of the way: cos(π/3) = 1/2.
	if got := (Cosine{MinLR: 0.02}).LR(base, 1, 3); !scalar.EqualWithinAbsOrRel(got, 0.08, 1e-15, 1e-14) {
		t.Errorf("cosine t=T/3: LR = %.17g, want 0.08", got)
	}
	if got := (Cosine{MinLR: 0.02}).LR(base, 0, 0); got != base {
		t.Errorf("cosine with T=0: LR = %v, want the base %v", got, base)
	}
}

// TestScheduleSpecBuilds: New gives the schedule of the kind with the
// spec's parameters, and the zero value is constant.
func TestScheduleSpecBuilds(t *testing.T) {
	tests := []struct {
		spec ScheduleSpec
		want Schedule
	}{
		{ScheduleSpec{}, Constant{}},
		{ScheduleSpec{Kind: "constant"}, Constant{}},
		{ScheduleSpec{Kind: "step", Gamma: 0.5, StepSize: 7}, StepDecay{Gamma: 0.5, StepSize: 7}},
		{ScheduleSpec{Kind: "exponential", Gamma: 0.9}, Exponential{Gamma: 0.9}},
		{ScheduleSpec{Kind: "cosine", MinLR: 1e-6}, Cosine{MinLR: 1e-6}},
	}
	for _, tt := range tests {
		if err := tt.spec.Validate(1e-3); err != nil {
			t.Errorf("%+v: %v", tt.spec, err)
			continue
		}
		if got := tt.spec.New(); got != tt.want {
			t.Errorf("%+v.New() = %#v, want %#v", tt.spec, got, tt.want)
		}
	}
	if !(ScheduleSpec{}).IsConstant() || (ScheduleSpec{Kind: "cosine"}).IsConstant() {
		t.Error("IsConstant is wrong for the zero value or cosine")
	}
}

func TestDefaultSchedules(t *testing.T) {
	for _, kind := range ScheduleKinds() {
		s, err := DefaultSchedule(kind)
		if err != nil {
			t.Errorf("DefaultSchedule(%q): %v", kind, err)
			continue
		}
		if s.Kind != kind && !(kind == "constant" && s == ScheduleSpec{}) {
			t.Errorf("DefaultSchedule(%q) = %+v", kind, s)
		}
		if err := s.Validate(1e-3); err != nil {
			t.Errorf("DefaultSchedule(%q) is invalid: %v", kind, err)
		}
		if !strings.Contains(DescribeSchedules(), kind) {
			t.Errorf("DescribeSchedules() does not mention %q", kind)
		}
	}
	if _, err := DefaultSchedule("linear"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "cosine") {
		t.Errorf("DefaultSchedule(linear): %v, want ErrInvalid listing the kinds", err)
	}
}

func TestScheduleValidateRejects(t *testing.T) {
	tests := []struct {
		spec ScheduleSpec
		want string // in the message: field and value
	}{
		{ScheduleSpec{Kind: "linear"}, `kind="linear"`},
		{ScheduleSpec{Kind: "step", Gamma: 0, StepSize: 10}, "gamma=0 must be in (0, 1]"},
		{ScheduleSpec{Kind: "step", Gamma: 1.5, StepSize: 10}, "gamma=1.5"},
		{ScheduleSpec{Kind: "step", Gamma: 0.5, StepSize: 0}, "step_size=0 must be at least 1"},
		{ScheduleSpec{Kind: "exponential", Gamma: math.NaN()}, "gamma=NaN"},
		{ScheduleSpec{Kind: "cosine", MinLR: -1e-9}, "min_lr=-1e-09 must be in [0, lr=0.001]"},
		{ScheduleSpec{Kind: "cosine", MinLR: 2e-3}, "min_lr=0.002"},
	}
	for _, tt := range tests {
		err := tt.spec.Validate(1e-3)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want ErrInvalid mentioning %q", tt.spec, err, tt.want)
		}
	}
	// Through an optimiser's Spec, the message names the optimiser.
	s, _ := Default("adam")
	s.Schedule = ScheduleSpec{Kind: "step", Gamma: 2, StepSize: 10}
	if err := s.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "adam: schedule step: gamma=2") {
		t.Errorf("Spec.Validate: %v", err)
	}
}

func TestScheduleString(t *testing.T) {
	tests := map[string]ScheduleSpec{
		"constant":                        {},
		"step(gamma=0.1, step_size=1000)": {Kind: "step", Gamma: 0.1, StepSize: 1000},
		"exponential(gamma=0.999)":        {Kind: "exponential", Gamma: 0.999},
		"cosine(min_lr=1e-06)":            {Kind: "cosine", MinLR: 1e-6},
		"cosine(min_lr=0)":                {Kind: "cosine"},
	}
	for want, s := range tests {
		if got := s.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", s, got, want)
		}
	}
}
