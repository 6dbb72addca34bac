package optim

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestParamTableCoversTheFamily: every parameter an optimiser lists has a
// row, every row is used by some optimiser, names are unique and every
// optimiser's defaults pass the bounds.
func TestParamTableCoversTheFamily(t *testing.T) {
	names := ParamNames()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("parameter %q appears twice in the table", n)
		}
		seen[n] = true
	}
	for _, opt := range Names() {
		for _, p := range kinds[opt].params {
			if !slices.Contains(names, p) {
				t.Errorf("%s: parameter %q has no row in the table", opt, p)
			}
		}
	}
	for _, p := range ParamTable() {
		if len(p.Users()) == 0 {
			t.Errorf("parameter %q is used by no optimiser", p.Name)
		}
		if p.Doc == "" {
			t.Errorf("parameter %q has no doc", p.Name)
		}
	}
}

// TestParamBounds: the bounds of each row accept and refuse the values at
// and around their ends, and Validate says so with the row's words.
func TestParamBounds(t *testing.T) {
	tests := []struct {
		param   string
		allowed string
		ok, bad []float64
	}{
		{"lr", "a finite number > 0", []float64{1e-300, 1, 1e300}, []float64{0, -1, math.Inf(1), math.NaN()}},
		{"beta1", "in [0, 1)", []float64{0, 0.5, 0.999999}, []float64{1, -1e-9, math.NaN()}},
		{"beta2", "in [0, 1)", []float64{0, 0.999}, []float64{1, 2}},
		{"eps", "a finite number >= 0", []float64{0, 1e-8, 1e10}, []float64{-1e-12, math.Inf(1), math.NaN()}},
		{"momentum", "in [0, 1)", []float64{0, 0.9}, []float64{1, -0.1}},
		{"nesterov", "true or false", []float64{0, 1}, []float64{0.5, 2, -1}},
		{"weight_decay", "a finite number >= 0", []float64{0, 0.01}, []float64{-1, math.Inf(1)}},
		{"p", "in (0, 0.5]", []float64{0.5, 0.125, 1e-9}, []float64{0, 0.5000001, -0.1}},
		{"rho", "in [0, 1)", []float64{0, 0.99}, []float64{1, -0.5}},
		{"radius", "a finite number >= 0", []float64{0, 0.05, 1e3}, []float64{-1e-9, math.Inf(1), math.NaN()}},
	}
	if len(tests) != len(ParamNames()) {
		t.Errorf("%d rows tested, the table has %d", len(tests), len(ParamNames()))
	}
	for _, tt := range tests {
		p, ok := LookupParam(tt.param)
		if !ok {
			t.Fatalf("no row %q", tt.param)
		}
		if p.Allowed() != tt.allowed {
			t.Errorf("%s: Allowed() = %q, want %q", tt.param, p.Allowed(), tt.allowed)
		}
		for _, v := range tt.ok {
			if !p.inBounds(v) {
				t.Errorf("%s=%v refused", tt.param, v)
			}
		}
		for _, v := range tt.bad {
			if p.inBounds(v) {
				t.Errorf("%s=%v accepted", tt.param, v)
			}
			if p.Bool {
				continue // a bool field cannot hold it; Set refuses it (TestFamilyValidateRejects)
			}
			s, _ := Default(p.Users()[0])
			p.set(&s, v)
			want := fmt.Sprintf("%s: %s=%v must be %s", s.Name, tt.param, v, tt.allowed)
			if err := s.Validate(); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Validate with %s=%v: %v, want %q", tt.param, v, err, want)
			}
		}
	}
	if _, ok := LookupParam("beta3"); ok {
		t.Error("LookupParam found beta3")
	}
}

// TestParamHelp: the help text comes from the table and the optimisers'
// defaults.
func TestParamHelp(t *testing.T) {
	p, _ := LookupParam("beta2")
	if got, want := p.Defaults(), "0.999 (adam, adamw, amsgrad, padam), 0.99 (adam-paper)"; got != want {
		t.Errorf("beta2 defaults %q, want %q", got, want)
	}
	n, _ := LookupParam("nesterov")
	if got, want := n.Help(), "Nesterov momentum instead of heavy ball, true or false; default false (sgd)"; got != want {
		t.Errorf("nesterov help %q, want %q", got, want)
	}
	if n.Flag() != "nesterov" {
		t.Errorf("flag %q", n.Flag())
	}
	w, _ := LookupParam("weight_decay")
	if w.Flag() != "weight-decay" {
		t.Errorf("flag %q", w.Flag())
	}
	d := DescribeParams()
	for _, name := range ParamNames() {
		if !strings.Contains(d, "  "+name+" ") {
			t.Errorf("DescribeParams lacks %q:\n%s", name, d)
		}
	}
}

func ExampleParam_Help() {
	p, _ := LookupParam("momentum")
	fmt.Println(p.Name, "--"+p.Flag())
	fmt.Println(p.Help())
	// Output:
	// momentum --momentum
	// momentum μ, in [0, 1); default 0 (rmsprop, sam), 0.9 (sgd)
}

// TestScheduleParamTable: every parameter a schedule kind lists has a row,
// every row is used, and the bounds, messages and help come from the rows.
func TestScheduleParamTable(t *testing.T) {
	for _, k := range ScheduleKinds() {
		for _, p := range scheduleKinds[k].params {
			if _, ok := LookupScheduleParam(p); !ok {
				t.Errorf("schedule %s: parameter %q has no row", k, p)
			}
		}
	}
	for _, p := range ScheduleParamTable() {
		if len(p.Users()) == 0 {
			t.Errorf("schedule parameter %q is used by no kind", p.Name)
		}
	}
	tests := []struct {
		spec ScheduleSpec
		want string // "" when valid at lr = 0.1
	}{
		{ScheduleSpec{Kind: "step", Gamma: 1, StepSize: 1}, ""},
		{ScheduleSpec{Kind: "step", Gamma: 0, StepSize: 1}, "schedule step: gamma=0 must be in (0, 1]"},
		{ScheduleSpec{Kind: "step", Gamma: 0.5, StepSize: 0}, "schedule step: step_size=0 must be at least 1"},
		{ScheduleSpec{Kind: "exponential", Gamma: math.NaN()}, "schedule exponential: gamma=NaN must be in (0, 1]"},
		{ScheduleSpec{Kind: "cosine", MinLR: 0.1}, ""},
		{ScheduleSpec{Kind: "cosine", MinLR: 0.2}, "schedule cosine: min_lr=0.2 must be in [0, lr=0.1]"},
		{ScheduleSpec{Kind: "cosine", MinLR: -1e-9}, "min_lr=-1e-09"},
	}
	for _, tt := range tests {
		err := tt.spec.Validate(0.1)
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%v: %v, want %q", tt.spec, err, tt.want)
		}
	}
	s, _ := DefaultSchedule("step")
	if got := s.String(); got != "step(gamma=0.1, step_size=1000)" {
		t.Errorf("String() = %q", got)
	}
	if err := s.Set("step_size", 2.5); err == nil || !strings.Contains(err.Error(), "step_size=2.5 must be a whole number") {
		t.Errorf("Set(step_size, 2.5): %v", err)
	}
	if err := s.Set("min_lr", 0); err == nil || !strings.Contains(err.Error(), `"min_lr" is not a parameter of schedule step(gamma=0.1, step_size=1000) (it has: gamma, step_size)`) {
		t.Errorf("Set(min_lr): %v", err)
	}
	if err := s.Set("step_size", 7); err != nil || s.StepSize != 7 {
		t.Errorf("Set(step_size, 7): %v, StepSize %d", err, s.StepSize)
	}
	if v, err := s.Get("gamma"); err != nil || v != 0.1 {
		t.Errorf("Get(gamma) = %v, %v", v, err)
	}
	g, _ := LookupScheduleParam("gamma")
	if got, want := g.Help(), "decay factor γ, in (0, 1]; default 0.999 (exponential), 0.1 (step)"; got != want {
		t.Errorf("gamma help %q, want %q", got, want)
	}
	m, _ := LookupScheduleParam("min_lr")
	if got, want := m.Help(), "final learning rate η_min, in [0, lr]; default 0 (cosine)"; got != want {
		t.Errorf("min_lr help %q, want %q", got, want)
	}
	if m.Flag() != "schedule-min-lr" {
		t.Errorf("flag %q", m.Flag())
	}
}
