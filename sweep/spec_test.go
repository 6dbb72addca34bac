package sweep

import (
	"errors"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/config"
)

func TestParseSpecGood(t *testing.T) {
	for _, tc := range []struct {
		name  string
		text  string
		runs  int
		check func(t *testing.T, runs []Run)
	}{
		{"base only", tinyBase, 1, func(t *testing.T, runs []Run) {
			if runs[0].Config.D != 30 || runs[0].Config.Seed != 0 || len(runs[0].Config.Optimizers) != 2 {
				t.Errorf("config = %+v", runs[0].Config)
			}
		}},
		{"no base takes the paper's values", "grid:\n  alpha: [0.1]\n", 1, func(t *testing.T, runs []Run) {
			want := config.Paper()
			want.Alpha = 0.1
			if id, _ := ID(want); runs[0].ID != id {
				t.Errorf("id %s, want that of the paper's configuration with alpha=0.1 (%s)", runs[0].ID, id)
			}
		}},
		{"grid and seeds count", tinyBase + "grid:\n  alpha: [0, 0.1, 0.2]\n  sigma_p: [0.1, 0.5]\nseeds: 3\n", 18, func(t *testing.T, runs []Run) {
			// The first axis varies slowest, seeds fastest.
			r := runs[7] // alpha index 1, sigma_p index 0, seed 1
			if r.Config.Alpha != 0.1 || r.Config.SigmaP != 0.1 || r.Config.Seed != 1 {
				t.Errorf("runs[7] = alpha %v sigma_p %v seed %d, want 0.1 0.1 1", r.Config.Alpha, r.Config.SigmaP, r.Config.Seed)
			}
			if got := r.Label(); got != "alpha=0.1 sigma_p=0.1 seed=1" {
				t.Errorf("label %q", got)
			}
		}},
		{"seeds list", tinyBase + "seeds: [5, 7]\n", 2, func(t *testing.T, runs []Run) {
			if runs[0].Config.Seed != 5 || runs[1].Config.Seed != 7 {
				t.Errorf("seeds %d %d, want 5 7", runs[0].Config.Seed, runs[1].Config.Seed)
			}
		}},
		{"zip", tinyBase + "zip:\n  n: [4, 8]\n  s: [2, 5]\n", 2, func(t *testing.T, runs []Run) {
			if c := runs[1].Config; c.N != 8 || c.S != 5 {
				t.Errorf("runs[1] n=%d s=%d, want 8 5", c.N, c.S)
			}
		}},
		{"zip groups times grid", tinyBase + "grid:\n  alpha: [0, 0.3]\nzip:\n  - {n: [4, 8], s: [2, 5]}\n  - {m: [2, 4, 6]}\n", 12, nil},
		{"optimizer by name takes its defaults", tinyBase + "grid:\n  optimizer: [adam, gd]\n", 2, func(t *testing.T, runs []Run) {
			o := runs[1].Config.Optimizers
			if len(o) != 1 || o[0].Name != "gd" || o[0].LR != 0.02 {
				t.Errorf("optimizers = %+v, want gd with lr 0.02", o)
			}
		}},
		{"optimizer with lr axis", tinyBase + "grid:\n  optimizer: [adam]\n  lr: [1e-4, 1e-3]\n", 2, func(t *testing.T, runs []Run) {
			if o := runs[1].Config.Optimizers; len(o) != 1 || o[0].LR != 1e-3 {
				t.Errorf("optimizers = %+v, want adam with lr 1e-3", o)
			}
		}},
		{"optimizer as a map", tinyBase + "grid:\n  optimizer: [{name: adam, beta1: 0.5}]\n", 1, func(t *testing.T, runs []Run) {
			if o := runs[0].Config.Optimizers; o[0].Beta1 != 0.5 || o[0].LR != 5e-5 {
				t.Errorf("optimizers = %+v, want adam beta1 0.5, default lr", o)
			}
		}},
		{"NAME.PARAM changes one optimizer", tinyBase + "grid:\n  adam.lr: [1e-4, 1e-2]\n", 2, func(t *testing.T, runs []Run) {
			o := runs[1].Config.Optimizers
			if o[0].LR != 1e-2 || o[1].LR != 0.05 {
				t.Errorf("lrs %v %v, want adam 1e-2 and gd unchanged 0.05", o[0].LR, o[1].LR)
			}
		}},
		{"optimizers list", tinyBase + "grid:\n  optimizers: [[{name: adam}], [{name: gd}, {name: signgd}]]\n", 2, func(t *testing.T, runs []Run) {
			if o := runs[1].Config.Optimizers; len(o) != 2 || o[1].Name != "signgd" {
				t.Errorf("optimizers = %+v", o)
			}
		}},
		{"any hyper-parameter of the single optimizer", tinyBase + "grid:\n  optimizer: [sgd]\n  momentum: [0, 0.5]\n  nesterov: [false]\n", 2, func(t *testing.T, runs []Run) {
			if o := runs[1].Config.Optimizers; len(o) != 1 || o[0].Name != "sgd" || o[0].Momentum != 0.5 || o[0].Nesterov {
				t.Errorf("optimizers = %+v, want sgd with momentum 0.5", o)
			}
		}},
		{"any config key", tinyBase + "grid:\n  lambda: [0, 0.01]\n  q: [2]\n", 2, func(t *testing.T, runs []Run) {
			if c := runs[1].Config; c.Lambda != 0.01 || c.Q != 2 {
				t.Errorf("lambda %v q %v", c.Lambda, c.Q)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := mustPlan(t, mustSpec(t, tc.text))
			if len(runs) != tc.runs {
				t.Fatalf("%d runs, want %d", len(runs), tc.runs)
			}
			for i, r := range runs {
				if r.Index != i {
					t.Errorf("runs[%d].Index = %d", i, r.Index)
				}
			}
			if tc.check != nil {
				tc.check(t, runs)
			}
		})
	}
}

func TestParseSpecBad(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []string // substrings of the error
	}{
		{"empty", "", []string{"empty"}},
		{"unknown top-level field", tinyBase + "grd:\n  alpha: [0.1]\n", []string{"grd", "allowed top-level fields"}},
		{"unknown base field", "base:\n  alpah: 0.1\n", []string{"base", "alpah"}},
		{"invalid base value", "base:\n  n: 3\n", []string{"base", "n=3"}},
		{"base not a map", "base: 3\n", []string{"base", "configuration map"}},
		{"empty axis", tinyBase + "grid:\n  alpha: []\n", []string{"grid.alpha", "empty axis"}},
		{"scalar axis", tinyBase + "grid:\n  alpha: 0.1\n", []string{"grid.alpha", "want a list", "[0.1]"}},
		{"wrong type", tinyBase + "grid:\n  alpha: [0.1, abc]\n", []string{"grid.alpha[1]", "abc"}},
		{"wrong type int", tinyBase + "grid:\n  steps: [many]\n", []string{"grid.steps[0]", "many"}},
		{"unknown axis key", tinyBase + "grid:\n  alpah: [0.1]\n", []string{"alpah", "axis key"}},
		{"grid not a map", tinyBase + "grid: [alpha]\n", []string{"grid", "map"}},
		{"zip lengths", tinyBase + "zip:\n  n: [4, 8]\n  s: [2]\n", []string{"zip.s has 1 values", "zip.n has 2"}},
		{"zip group not a map", tinyBase + "zip:\n  - [1, 2]\n", []string{"zip[0]", "map"}},
		{"key twice", tinyBase + "grid:\n  n: [4]\nzip:\n  n: [8]\n", []string{"zip.n", "already varied in grid.n"}},
		{"seed as axis", tinyBase + "grid:\n  seed: [1, 2]\n", []string{"seeds:"}},
		{"seeds zero", tinyBase + "seeds: 0\n", []string{"seeds", "count >= 1"}},
		{"seeds not numbers", tinyBase + "seeds: [1, x]\n", []string{"seeds[1]", "x"}},
		{"seeds twice", tinyBase + "seeds: [1, 1]\n", []string{"seeds[1]", "twice"}},
		{"seeds empty", tinyBase + "seeds: []\n", []string{"seeds", "empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSpec([]byte(tc.text))
			if err == nil {
				t.Fatalf("ParseSpec accepted:\n%s", tc.text)
			}
			if !errors.Is(err, ErrSpec) {
				t.Errorf("error %v does not wrap ErrSpec", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// Points that parse but do not make a valid configuration fail in Plan,
// naming the run.
func TestPlanBad(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []string
	}{
		{"invalid value", tinyBase + "grid:\n  s: [2, 40]\n", []string{"s=40", "run s=40 seed=0"}},
		{"lr with two optimizers", tinyBase + "grid:\n  lr: [0.1]\n", []string{"lr needs exactly one optimizer", "adam.lr"}},
		{"unknown optimizer", tinyBase + "grid:\n  optimizer: [adam, nadam]\n", []string{"nadam", "optimizer=nadam"}},
		{"no such optimizer in NAME.PARAM", tinyBase + "grid:\n  signgd.lr: [0.1]\n", []string{"signgd", "it has: adam, gd"}},
		{"parameter the optimizer lacks", tinyBase + "grid:\n  gd.beta1: [0.5]\n", []string{"beta1", "gd"}},
		{"same configuration twice", tinyBase + "grid:\n  alpha: [0.1, 0.10]\n", []string{"same configuration", "alpha=0.1", "alpha=0.10"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSpec([]byte(tc.text))
			if err == nil {
				_, err = s.Plan()
			}
			if err == nil {
				t.Fatalf("accepted:\n%s", tc.text)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
