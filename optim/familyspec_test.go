package optim

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestFamilyDefaults: the registry's defaults of the optimiser family
// (PyTorch's, where it has them) and the parameters each accepts.
func TestFamilyDefaults(t *testing.T) {
	tests := []struct {
		want   Spec
		params []string
		norm   Norm
		sign   bool
	}{
		{Spec{Name: "sgd", LR: 0.02, Momentum: 0.9}, []string{"lr", "momentum", "nesterov"}, L2, false},
		{Spec{Name: "adamw", LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01}, []string{"lr", "beta1", "beta2", "eps", "weight_decay"}, L1, true},
		{Spec{Name: "amsgrad", LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, []string{"lr", "beta1", "beta2", "eps"}, L1, true},
		{Spec{Name: "padam", LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, P: 0.125}, []string{"lr", "beta1", "beta2", "eps", "p"}, L1, true},
		{Spec{Name: "rmsprop", LR: 5e-5, Rho: 0.99, Eps: 1e-8}, []string{"lr", "rho", "eps", "momentum"}, L1, false},
		{Spec{Name: "adagrad", LR: 1e-3, Eps: 1e-10}, []string{"lr", "eps"}, L1, false},
		{Spec{Name: "adam", LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, []string{"lr", "beta1", "beta2", "eps"}, L1, true},
		{Spec{Name: "gd", LR: 0.02}, []string{"lr"}, L2, false},
	}
	for _, tt := range tests {
		got, err := Default(tt.want.Name)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("Default(%q) = %+v, want %+v", tt.want.Name, got, tt.want)
		}
		if !slices.Equal(got.Params(), tt.params) {
			t.Errorf("%s: Params() = %v, want %v", tt.want.Name, got.Params(), tt.params)
		}
		if got.Norm() != tt.norm || got.SignLike() != tt.sign {
			t.Errorf("%s: Norm %v SignLike %v, want %v %v", tt.want.Name, got.Norm(), got.SignLike(), tt.norm, tt.sign)
		}
		for _, p := range got.Params() {
			if !slices.Contains(ParamNames(), p) {
				t.Errorf("%s: parameter %q is missing from ParamNames()", tt.want.Name, p)
			}
		}
	}
}

// TestFamilyFieldRoundTrip: Set and Get reach a field of its own for every
// parameter of every optimiser (a switch holds 0 or 1).
func TestFamilyFieldRoundTrip(t *testing.T) {
	for _, name := range Names() {
		s, _ := Default(name)
		value := func(i int, p string) float64 {
			if q, _ := LookupParam(p); q.Bool {
				return float64(i % 2)
			}
			return float64(i) + 0.25
		}
		for pass := range 2 { // switches take 0 and 1 in turn
			for i, p := range s.Params() {
				if err := s.Set(p, value(i+pass, p)); err != nil {
					t.Fatalf("%s.Set(%q): %v", name, p, err)
				}
			}
			for i, p := range s.Params() {
				if v, _ := s.Get(p); v != value(i+pass, p) {
					t.Errorf("%s.%s = %v after writing %v: two names share a field", name, p, v, value(i+pass, p))
				}
			}
		}
	}
}

func TestFamilyValidateRejects(t *testing.T) {
	base := func(name string, edit func(*Spec)) Spec {
		s, _ := Default(name)
		edit(&s)
		return s
	}
	tests := []struct {
		spec Spec
		want string
	}{
		{base("sgd", func(s *Spec) { s.Momentum = 1 }), "sgd: momentum=1 must be in [0, 1)"},
		{base("sgd", func(s *Spec) { s.Momentum = -0.1 }), "momentum=-0.1"},
		{base("sgd", func(s *Spec) { s.Nesterov, s.Momentum = true, 0 }), "sgd: nesterov=true must be false when momentum=0: Nesterov needs momentum > 0"},
		{base("adamw", func(s *Spec) { s.WeightDecay = -1 }), "adamw: weight_decay=-1 must be a finite number >= 0"},
		{base("adamw", func(s *Spec) { s.WeightDecay = math.Inf(1) }), "weight_decay=+Inf"},
		{base("padam", func(s *Spec) { s.P = 0 }), "padam: p=0 must be in (0, 0.5]"},
		{base("padam", func(s *Spec) { s.P = 0.75 }), "p=0.75"},
		{base("rmsprop", func(s *Spec) { s.Rho = 1 }), "rmsprop: rho=1 must be in [0, 1)"},
		{base("adagrad", func(s *Spec) { s.Eps = -1 }), "adagrad: eps=-1"},
		{base("amsgrad", func(s *Spec) { s.Beta2 = 1 }), "amsgrad: beta2=1"},
		{base("adam", func(s *Spec) { s.Schedule = ScheduleSpec{Kind: "cosine", MinLR: 1} }), "adam: schedule cosine: min_lr=1 must be in [0, lr=5e-05]"},
	}
	for _, tt := range tests {
		err := tt.spec.Validate()
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want ErrInvalid with %q", tt.spec, err, tt.want)
		}
	}
	// Parameters an optimiser does not use are refused by Get and Set and
	// ignored by Validate; a switch takes 0 and 1 only.
	s, _ := Default("adamw")
	if _, err := s.Get("momentum"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "weight_decay") {
		t.Errorf("adamw.Get(momentum): %v, want an error listing adamw's parameters", err)
	}
	if err := s.Set("momentum", 0.5); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "weight_decay") {
		t.Errorf("adamw.Set(momentum): %v, want an error listing adamw's parameters", err)
	}
	sgd, _ := Default("sgd")
	if err := sgd.Set("nesterov", 0.5); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "sgd: nesterov=0.5 must be true or false") {
		t.Errorf("sgd.Set(nesterov, 0.5): %v, want a refusal", err)
	}
	s.Momentum = 7
	if err := s.Validate(); err != nil {
		t.Errorf("an unused field out of range made Validate fail: %v", err)
	}
}
