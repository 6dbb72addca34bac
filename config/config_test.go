package config

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/optim"
)

func TestPaperIsValid(t *testing.T) {
	p := Paper()
	if err := p.Validate(); err != nil {
		t.Fatalf("Paper() is invalid: %v", err)
	}
	// Section 6 of the paper.
	if p.D != 1000 || p.N != 200 || p.S != 100 || p.SigmaP != 0.1 || p.Alpha != 0.2 || p.Sigma0 != 0.01 ||
		p.Lambda != 1e-5 || p.M != 20 || p.Q != 3 || p.Steps != 10000 || p.TestSize != 10000 {
		t.Errorf("Paper() = %+v, differs from Section 6", p)
	}
	if len(p.Optimizers) != 2 || p.Optimizers[0].Name != "adam" || p.Optimizers[0].LR != 5e-5 ||
		p.Optimizers[1].Name != "gd" || p.Optimizers[1].LR != 0.02 {
		t.Errorf("Paper().Optimizers = %+v, want adam η=5e-5 and gd η=0.02", p.Optimizers)
	}
	if pm := p.PatchModel(); pm.D != p.D || pm.S != p.S || pm.SigmaP != p.SigmaP || pm.Alpha != p.Alpha {
		t.Errorf("PatchModel() = %+v", pm)
	}
	if c := p.CNN(); c.D != p.D || c.M != p.M || c.Q != float64(p.Q) || c.Lambda != p.Lambda {
		t.Errorf("CNN() = %+v", c)
	}
}

// TestValidateRejects has one bad configuration per branch of Validate;
// each error must name the field and its value.
func TestValidateRejects(t *testing.T) {
	badLR, _ := optim.Default("adam")
	badLR.LR = -1
	gd, _ := optim.Default("gd")
	adamw, _ := optim.Default("adamw")
	checkValidateRejects(t, []validateReject{
		{"d < 2", with(func(c *Config) { c.D = 1 }), "d=1 must be at least 2"},
		{"n odd", with(func(c *Config) { c.N = 201 }), "n=201 must be an even number"},
		{"n zero", with(func(c *Config) { c.N = 0 }), "n=0"},
		{"n negative", with(func(c *Config) { c.N = -4 }), "n=-4"},
		{"s > d-1", with(func(c *Config) { c.S = 1000 }), "s=1000 must be in [1, d-1=999]"},
		{"s zero", with(func(c *Config) { c.S = 0 }), "s=0"},
		{"sigma_p zero", with(func(c *Config) { c.SigmaP = 0 }), "sigma_p=0 must be a finite number > 0"},
		{"sigma_p negative", with(func(c *Config) { c.SigmaP = -0.1 }), "sigma_p=-0.1"},
		{"sigma_p NaN", with(func(c *Config) { c.SigmaP = math.NaN() }), "sigma_p=NaN"},
		{"sigma_p Inf", with(func(c *Config) { c.SigmaP = math.Inf(1) }), "sigma_p=+Inf"},
		{"alpha negative", with(func(c *Config) { c.Alpha = -0.2 }), "alpha=-0.2 must be a finite number >= 0"},
		{"alpha NaN", with(func(c *Config) { c.Alpha = math.NaN() }), "alpha=NaN"},
		{"test_size zero", with(func(c *Config) { c.TestSize = 0 }), "test_size=0 must be at least 1"},
		{"m zero", with(func(c *Config) { c.M = 0 }), "m=0 must be at least 1"},
		{"q zero", with(func(c *Config) { c.Q = 0 }), "q=0 must be a number >= 1"},
		{"q NaN", with(func(c *Config) { c.Q = math.NaN() }), "q=NaN must be a number >= 1"},
		{"activation unknown", with(func(c *Config) { c.Activation = "tanh" }), `activation="tanh" must be one of [relu_power leaky_relu huberized_relu]`},
		{"leaky with slope 1", with(func(c *Config) { c.Activation, c.Slope = "leaky_relu", 1 }), "slope=1 must be in (0, 1) for activation=leaky_relu"},
		{"huberized without threshold", with(func(c *Config) { c.Activation = "huberized_relu" }), "threshold=0 must be a finite number > 0 for activation=huberized_relu"},
		{"output scale unknown", with(func(c *Config) { c.OutputScale = "max" }), `output_scale="max" must be one of [sum mean]`},
		{"q negative", with(func(c *Config) { c.Q = -3 }), "q=-3"},
		{"sigma0 zero", with(func(c *Config) { c.Sigma0 = 0 }), "sigma0=0 must be a finite number > 0"},
		{"sigma0 NaN", with(func(c *Config) { c.Sigma0 = math.NaN() }), "sigma0=NaN"},
		{"lambda negative", with(func(c *Config) { c.Lambda = -1e-5 }), "lambda=-1e-05 must be a finite number >= 0"},
		{"lambda NaN", with(func(c *Config) { c.Lambda = math.NaN() }), "lambda=NaN"},
		{"lambda Inf", with(func(c *Config) { c.Lambda = math.Inf(1) }), "lambda=+Inf"},
		{"steps negative", with(func(c *Config) { c.Steps = -1 }), "steps=-1 must be >= 0"},
		{"log_every zero", with(func(c *Config) { c.LogEvery = 0 }), "log_every=0 must be >= 1"},
		{"test_every negative", with(func(c *Config) { c.TestEvery = -100 }), "test_every=-100 must be >= 0"},
		{"test_every not a multiple", with(func(c *Config) { c.TestEvery = 150 }), "test_every=150 must be a multiple of log_every=100"},
		{"no optimizers", with(func(c *Config) { c.Optimizers = nil }), "optimizers is empty"},
		{"bad optimizer", with(func(c *Config) { c.Optimizers = []optim.Spec{gd, badLR} }), "optimizers[1]: optim: adam: lr=-1"},
		{"unknown optimizer", with(func(c *Config) { c.Optimizers = []optim.Spec{{Name: "lion", LR: 1}} }), `optimizers[0]: optim: optimizer="lion" is unknown`},
		{"duplicate optimizer", with(func(c *Config) { c.Optimizers = []optim.Spec{gd, gd} }), `optimizers[1]: optimizer="gd" appears twice`},
		{"dtype unknown", with(func(c *Config) { c.DType = "float16" }), `dtype="float16" must be float64 or float32`},
		{"dtype float32 with adamw", with(func(c *Config) { c.DType = "float32"; c.Optimizers = []optim.Spec{gd, adamw} }), `optimizer="adamw" has no float32 form`},
		{"data_layout unknown", with(func(c *Config) { c.DataLayout = "csr" }), `data_layout="csr" must be one of auto, dense, sparse`},
	})
}

// with is the paper's configuration changed by f.
func with(f func(*Config)) Config { c := Paper(); f(&c); return c }

// validateReject is a configuration Validate must refuse, with a text its
// error must contain.
type validateReject struct {
	name string
	c    Config
	want string
}

// checkValidateRejects checks that Validate refuses every case with an
// error that contains its text and wraps ErrInvalid.
func checkValidateRejects(t *testing.T, tests []validateReject) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

// TestValidateEdges: the boundary values themselves are allowed.
func TestValidateEdges(t *testing.T) {
	for name, c := range map[string]Config{
		"s = d-1":         with(func(c *Config) { c.S = 999 }),
		"alpha = 0":       with(func(c *Config) { c.Alpha = 0 }),
		"lambda = 0":      with(func(c *Config) { c.Lambda = 0 }),
		"steps = 0":       with(func(c *Config) { c.Steps = 0 }),
		"test_every = 0":  with(func(c *Config) { c.TestEvery = 0 }),
		"q = 1":           with(func(c *Config) { c.Q = 1 }),
		"n = 2, d = 2":    with(func(c *Config) { c.N, c.D, c.S = 2, 2, 1 }),
		"test_size = 1":   with(func(c *Config) { c.TestSize = 1 }),
		"log_every = 1":   with(func(c *Config) { c.LogEvery, c.TestEvery = 1, 7 }),
		"huge seed value": with(func(c *Config) { c.Seed = math.MaxUint64 }),
	} {
		if err := c.Validate(); err != nil {
			t.Errorf("%s: refused: %v", name, err)
		}
	}
}
