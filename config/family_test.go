package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/optim"
)

// familyConfig uses every hyper-parameter of the optimiser family with
// non-default values, a schedule of every kind, mini-batches and a sign
// threshold.
func familyConfig() Config {
	c := Paper()
	c.BatchSize, c.SignThreshold = 10, 0.25
	spec := func(name string, edit func(*optim.Spec)) optim.Spec {
		s, _ := optim.Default(name)
		edit(&s)
		return s
	}
	c.Optimizers = []optim.Spec{
		spec("sgd", func(s *optim.Spec) {
			s.LR, s.Momentum, s.Nesterov = 0.01, 0.8, true
			s.Schedule = optim.ScheduleSpec{Kind: "step", Gamma: 0.5, StepSize: 300}
		}),
		spec("adamw", func(s *optim.Spec) {
			s.WeightDecay, s.Beta2 = 0.05, 0.99
			s.Schedule = optim.ScheduleSpec{Kind: "cosine", MinLR: 1e-6}
		}),
		spec("padam", func(s *optim.Spec) {
			s.P = 0.25
			s.Schedule = optim.ScheduleSpec{Kind: "exponential", Gamma: 0.9995}
		}),
		spec("rmsprop", func(s *optim.Spec) { s.Rho, s.Momentum = 0.9, 0.5 }),
		spec("adagrad", func(s *optim.Spec) { s.Eps = 1e-7 }),
		spec("amsgrad", func(s *optim.Spec) { s.Schedule = optim.ScheduleSpec{Kind: "cosine"} }),
		spec("adam", func(s *optim.Spec) {}),
	}
	return c
}

func TestFamilyRoundTrip(t *testing.T) {
	c := familyConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	b := roundTrip(t, c)
	for _, want := range []string{"batch_size: 10", "sign_threshold: 0.25", "nesterov: true", "kind: step", "step_size: 300", "min_lr: 1e-06", "weight_decay: 0.05", "p: 0.25", "rho: 0.9"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("YAML lacks %q:\n%s", want, b)
		}
	}
	// A constant schedule is not written.
	if strings.Count(string(b), "schedule:") != 4 {
		t.Errorf("want 4 schedule entries (constant ones omitted):\n%s", b)
	}
}

// TestFamilyParse: absent parameters keep the defaults of the optimiser and
// of the schedule kind; nesterov reads true/false and 0/1.
func TestFamilyParse(t *testing.T) {
	y := `batch_size: 4
optimizers:
  - name: sgd
    nesterov: true
    schedule: {kind: step, gamma: 0.5}
  - name: adamw
    weight_decay: 0.02
    schedule: {kind: cosine}
  - name: rmsprop
    momentum: 0.3
`
	c, err := Parse([]byte(y), Paper())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []optim.Spec{
		{Name: "sgd", LR: 0.02, Momentum: 0.9, Nesterov: true, Schedule: optim.ScheduleSpec{Kind: "step", Gamma: 0.5, StepSize: 1000}},
		{Name: "adamw", LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.02, Schedule: optim.ScheduleSpec{Kind: "cosine"}},
		{Name: "rmsprop", LR: 5e-5, Rho: 0.99, Eps: 1e-8, Momentum: 0.3},
	}
	if !reflect.DeepEqual(c.Optimizers, want) {
		t.Errorf("optimizers = %+v\nwant %+v", c.Optimizers, want)
	}
	if c.BatchSize != 4 || c.SignThreshold != Paper().SignThreshold {
		t.Errorf("batch_size %d sign_threshold %v", c.BatchSize, c.SignThreshold)
	}
	for text, want := range map[string]bool{"false": false, "true": true, "0": false, "1": true} {
		c, err := Parse([]byte("optimizers:\n  - name: sgd\n    nesterov: "+text+"\n"), Paper())
		if err != nil {
			t.Errorf("nesterov: %s: %v", text, err)
			continue
		}
		if c.Optimizers[0].Nesterov != want {
			t.Errorf("nesterov: %s read as %v", text, c.Optimizers[0].Nesterov)
		}
	}
}

func TestFamilyParseRejects(t *testing.T) {
	checkParseRejects(t, []parseReject{
		{"momentum for adam", "optimizers:\n  - name: adam\n    momentum: 0.9\n", []string{"optimizers[0]", `"momentum" is not a parameter of optimizer "adam"`}},
		{"p for amsgrad", "optimizers:\n  - name: amsgrad\n    p: 0.1\n", []string{`"p" is not a parameter of optimizer "amsgrad"`}},
		{"weight_decay for adam", "optimizers:\n  - name: adam\n    weight_decay: 0.01\n", []string{`"weight_decay"`, `"adam"`}},
		{"unknown schedule", "optimizers:\n  - name: adam\n    schedule: {kind: linear}\n", []string{"optimizers[0] (adam)", `kind="linear" is unknown`, "cosine"}},
		{"schedule parameter of another kind", "optimizers:\n  - name: adam\n    schedule: {kind: cosine, gamma: 0.5}\n", []string{`"gamma" is not a parameter of schedule "cosine"`, "min_lr"}},
		{"unknown schedule key", "optimizers:\n  - name: adam\n    schedule: {kind: step, gama: 0.5}\n", []string{"gama"}},
		{"fractional step_size", "optimizers:\n  - name: adam\n    schedule: {kind: step, step_size: 10.5}\n", []string{"step_size=10.5 must be a whole number"}},
		{"nesterov text", "optimizers:\n  - name: sgd\n    nesterov: yes please\n", []string{`"yes please" must be true or false`}},
		{"nesterov 0.5", "optimizers:\n  - name: sgd\n    nesterov: 0.5\n", []string{"line 3: nesterov=0.5 must be true or false (or 1 or 0)"}},
		{"nesterov list", "optimizers:\n  - name: sgd\n    nesterov: [1]\n", []string{"must be true or false"}},
		{"parameter twice", "optimizers:\n  - name: adam\n    lr: 1\n    lr: 2\n", []string{`line 4: mapping key "lr" already defined at line 3`}},
		{"entry not a mapping", "optimizers:\n  - adam\n", []string{"line 2: an optimizers entry is a map such as {name: adam, lr: 1e-4}, not the text \"adam\""}},
		{"fractional batch_size", "batch_size: 2.5\n", []string{"batch_size=2.5 must be a whole number"}},
	})
}

func TestFamilyValidateRejects(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"batch larger than n", func(c *Config) { c.BatchSize = 201 }, "batch_size=201 must be 0 (full batch) or in [1, n=200]"},
		{"negative batch", func(c *Config) { c.BatchSize = -1 }, "batch_size=-1"},
		{"negative sign threshold", func(c *Config) { c.SignThreshold = -1 }, "sign_threshold=-1 must be a finite number >= 0"},
		{"unknown sampling", func(c *Config) { c.BatchSampling = "bootstrap" }, `batch_sampling="bootstrap" must be one of [epoch subset replacement]`},
		{"unknown test labels", func(c *Config) { c.TestLabels = "half" }, `test_labels="half" must be one of [coin balanced positive negative]`},
		{"nesterov without momentum", func(c *Config) {
			s, _ := optim.Default("sgd")
			s.Momentum, s.Nesterov = 0, true
			c.Optimizers = []optim.Spec{s}
		}, "optimizers[0]: optim: sgd: nesterov=true must be false when momentum=0"},
		{"schedule out of range", func(c *Config) {
			c.Optimizers[0].Schedule = optim.ScheduleSpec{Kind: "step", Gamma: 0.5}
		}, "optimizers[0]: optim: adam: schedule step: step_size=0 must be at least 1"},
	}
	for _, tt := range tests {
		c := Paper()
		tt.edit(&c)
		err := c.Validate()
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	for _, b := range []int{0, 1, 200} {
		c := Paper()
		c.BatchSize = b
		if err := c.Validate(); err != nil {
			t.Errorf("batch_size=%d refused: %v", b, err)
		}
	}
}

// TestSamplingLabelsRoundTrip: batch_sampling and test_labels are written
// only when set, and read back.
func TestSamplingLabelsRoundTrip(t *testing.T) {
	b, err := Paper().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "batch_sampling") || strings.Contains(string(b), "test_labels") {
		t.Errorf("defaults written:\n%s", b)
	}
	c := Paper()
	c.BatchSampling, c.TestLabels = "replacement", "balanced"
	if b, err = c.Marshal(); err != nil {
		t.Fatal(err)
	}
	got, err := Parse(b, Paper())
	if err != nil {
		t.Fatal(err)
	}
	if got.BatchSampling != "replacement" || got.TestLabels != "balanced" || got.Validate() != nil {
		t.Errorf("read back %q %q (%v) from\n%s", got.BatchSampling, got.TestLabels, got.Validate(), b)
	}
}

// TestFamilyConstantSchedule: an explicit constant schedule reads as the
// zero value, so it round-trips (it is not written).
func TestFamilyConstantSchedule(t *testing.T) {
	c, err := Parse([]byte("optimizers:\n  - name: adam\n    schedule: {kind: constant}\n"), Paper())
	if err != nil {
		t.Fatal(err)
	}
	if c.Optimizers[0].Schedule != (optim.ScheduleSpec{}) {
		t.Errorf("schedule = %+v, want the zero value", c.Optimizers[0].Schedule)
	}
	if _, err := Parse([]byte("optimizers:\n  - name: adam\n    schedule: {kind: constant, gamma: 0.5}\n"), Paper()); err == nil {
		t.Error("gamma accepted for the constant schedule")
	}
}
