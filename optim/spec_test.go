package optim

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestDefaults(t *testing.T) {
	tests := []struct {
		name string
		want Spec
	}{
		// PyTorch's torch.optim.Adam defaults; the paper's η = 5e-5.
		{"adam", Spec{Name: "adam", LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}},
		// The paper suggests β₂ = 0.99 for its own form.
		{"adam-paper", Spec{Name: "adam-paper", LR: 5e-5, Beta1: 0.9, Beta2: 0.99, Eps: 1e-8}},
		// The paper's η = 0.02 for GD.
		{"gd", Spec{Name: "gd", LR: 0.02}},
	}
	for _, tt := range tests {
		got, err := Default(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"lr", "beta1", "beta2", "eps"} {
			g, gerr := got.Get(p)
			w, _ := tt.want.Get(p)
			if gerr != nil {
				continue // not a parameter of this optimiser
			}
			if g != w {
				t.Errorf("Default(%q).%s = %v, want %v", tt.name, p, g, w)
			}
		}
		if got.Name != tt.name {
			t.Errorf("Default(%q).Name = %q", tt.name, got.Name)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("Default(%q) is invalid: %v", tt.name, err)
		}
	}
	if d := DefaultAdam(1e-3); d.Beta1 != 0.9 || d.Beta2 != 0.999 || d.Eps != 1e-8 || d.LR != 1e-3 {
		t.Errorf("DefaultAdam(1e-3) = %+v", d)
	}
	if d := DefaultAdamPaper(1e-3); d.Beta1 != 0.9 || d.Beta2 != 0.99 || d.Eps != 1e-8 || d.LR != 1e-3 {
		t.Errorf("DefaultAdamPaper(1e-3) = %+v", d)
	}
}

func TestEveryNameHasValidDefaults(t *testing.T) {
	for _, name := range Names() {
		s, err := Default(name)
		if err != nil {
			t.Errorf("Default(%q): %v", name, err)
			continue
		}
		if err := s.Validate(); err != nil {
			t.Errorf("Default(%q) is invalid: %v", name, err)
		}
		if s.New() == nil {
			t.Errorf("Default(%q).New() is nil", name)
		}
		if !strings.Contains(Describe(), name) {
			t.Errorf("Describe() does not mention %q", name)
		}
	}
}

func TestNorms(t *testing.T) {
	for name, want := range map[string]Norm{"adam": L1, "adam-paper": L1, "signgd": L1, "gd": L2} {
		s, _ := Default(name)
		if got := s.Norm(); got != want {
			t.Errorf("%s: best iterate chosen by %v, want %v (Theorem 4.1)", name, got, want)
		}
	}
	if L1.String() != "l1" || L2.String() != "l2" {
		t.Errorf("norm names %q, %q; want l1, l2", L1, L2)
	}
}

func TestValidateRejects(t *testing.T) {
	adam, _ := Default("adam")
	gd, _ := Default("gd")
	with := func(s Spec, f func(*Spec)) Spec { f(&s); return s }
	tests := []struct {
		name string
		spec Spec
		want []string // substrings of the error
	}{
		{"unknown", Spec{Name: "adamax", LR: 1}, append([]string{`optimizer="adamax" is unknown`}, Names()...)},
		{"empty name", Spec{LR: 1}, []string{`optimizer="" is unknown`, "allowed: "}},
		{"lr zero", with(gd, func(s *Spec) { s.LR = 0 }), []string{"gd: lr=0 must be a finite number > 0"}},
		{"lr negative", with(adam, func(s *Spec) { s.LR = -1e-3 }), []string{"adam: lr=-0.001"}},
		{"lr NaN", with(adam, func(s *Spec) { s.LR = math.NaN() }), []string{"lr=NaN"}},
		{"lr Inf", with(gd, func(s *Spec) { s.LR = math.Inf(1) }), []string{"lr=+Inf"}},
		{"beta1 one", with(adam, func(s *Spec) { s.Beta1 = 1 }), []string{"beta1=1 must be in [0, 1)"}},
		{"beta1 negative", with(adam, func(s *Spec) { s.Beta1 = -0.1 }), []string{"beta1=-0.1"}},
		{"beta2 above one", with(adam, func(s *Spec) { s.Beta2 = 1.5 }), []string{"beta2=1.5 must be in [0, 1)"}},
		{"beta2 NaN", with(adam, func(s *Spec) { s.Beta2 = math.NaN() }), []string{"beta2=NaN"}},
		{"eps negative", with(adam, func(s *Spec) { s.Eps = -1 }), []string{"eps=-1 must be a finite number >= 0"}},
		{"eps NaN", with(adam, func(s *Spec) { s.Eps = math.NaN() }), []string{"eps=NaN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Validate()
			if err == nil {
				t.Fatalf("%+v accepted", tt.spec)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	// β₁ = 0 is a real value (no momentum), not "default".
	if err := with(adam, func(s *Spec) { s.Beta1 = 0 }).Validate(); err != nil {
		t.Errorf("beta1=0 refused: %v", err)
	}
}

func TestGetSetRefuseUnusedParameters(t *testing.T) {
	tests := []struct {
		opt, param string
	}{
		{"gd", "beta1"},
		{"gd", "eps"},
		{"signgd", "beta2"},
		{"adam", "no_such_parameter"},
	}
	for _, tt := range tests {
		s, _ := Default(tt.opt)
		v, err := s.Get(tt.param)
		if err == nil {
			t.Errorf("%s.Get(%q) = %v, want an error", tt.opt, tt.param, v)
			continue
		}
		serr := s.Set(tt.param, 1)
		for _, w := range []string{tt.param, tt.opt, "it has: " + strings.Join(s.Params(), ", ")} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s.Get(%q): error %q does not contain %q", tt.opt, tt.param, err, w)
			}
			if serr == nil || !strings.Contains(serr.Error(), w) {
				t.Errorf("%s.Set(%q): error %v does not contain %q", tt.opt, tt.param, serr, w)
			}
		}
	}
	// Set writes into the Spec.
	s, _ := Default("adam")
	if err := s.Set("beta2", 0.5); err != nil {
		t.Fatal(err)
	}
	if s.Beta2 != 0.5 {
		t.Errorf("Set(beta2, 0.5) left Beta2 = %v", s.Beta2)
	}
	// An unknown optimiser has no parameters.
	if p := (Spec{Name: "nope"}).Params(); len(p) != 0 {
		t.Errorf("Params of an unknown optimiser = %v", p)
	}
}
