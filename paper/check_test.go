package paper

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/optim"
)

// holds runs Check on the paper's settings changed by mod and returns each
// condition's verdict by statement (nil: information only).
func holds(t *testing.T, mod func(*CheckOptions)) (map[string]*bool, *CheckReport) {
	t.Helper()
	o := DefaultCheck()
	mod(&o)
	rep, err := Check(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*bool{}
	for _, c := range rep.Conditions {
		m[c.Statement] = c.Holds
	}
	return m, rep
}

func TestCheck(t *testing.T) {
	paper, rep := holds(t, func(*CheckOptions) {})
	for statement, want := range map[string]bool{
		"s = Θ(d^{1/2}/n²)":   false, // s = 100 vs √1000/200² ≈ 0.0008
		"s ≤ √d/(2n²)":        false,
		"α = Θ(σp·polylog n)": true,
		"β₂ ≥ β₁²":            true,
		"η = o(λ)":            false, // Adam's η = 5e-5 vs λ = 1e-5
	} {
		if h, ok := paper[statement]; !ok || h == nil || *h != want {
			t.Errorf("paper settings: %q holds = %v, want %v", statement, h, want)
		}
	}
	if h := paper["d = poly(n)"]; h != nil {
		t.Errorf("d = poly(n) is information only, got a verdict %v", *h)
	}
	if tab := rep.Table(); !strings.Contains(tab, "| Lemma 5.1 (A.1) | s ≤ √d/(2n²) |") || !strings.Contains(tab, "shared by n·s/(d−1) = 20 examples") {
		t.Errorf("table lacks the Lemma 5.1 row or sharing line:\n%s", tab)
	}
	// Inside Lemma 5.1: n = 10, s = 1, d = 40000 gives s ≤ √d/(2n²) = 1.
	small, _ := holds(t, func(o *CheckOptions) { o.Config.N, o.Config.S, o.Config.D = 10, 1, 40000 })
	if h := small["s ≤ √d/(2n²)"]; h == nil || !*h {
		t.Errorf("n=10, s=1, d=40000: s ≤ √d/(2n²) should hold, got %v", h)
	}
	// Without Adam the Adam conditions are left out.
	gdOnly, _ := holds(t, func(o *CheckOptions) {
		gd, _ := optim.Default("gd")
		o.Config.Optimizers = []optim.Spec{gd}
	})
	if _, ok := gdOnly["η = o(λ)"]; ok {
		t.Error("GD only: Adam's η = o(λ) is listed")
	}
	if _, err := Check(context.Background(), CheckOptions{Config: DefaultCheck().Config, Slack: 0.5}, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("slack 0.5: err = %v, want ErrInvalid", err)
	}
}

// TestCheckNamesTheOptimizer: the header names the optimiser the rates were
// read from, and gives β only to one that has them (rmsprop was once shown
// as "Adam η=5e-05 β=(0, 0)").
func TestCheckNamesTheOptimizer(t *testing.T) {
	for _, tt := range []struct{ name, want, not string }{
		{"rmsprop", ", rmsprop η=", "β="},
		{"signgd", ", signgd η=", "β="},
		{"sgd", ", sgd η=", "Adam"},
		{"adam", ", Adam η=5e-05 β=(0.9, 0.999)", "rmsprop"},
	} {
		_, rep := holds(t, func(o *CheckOptions) {
			s, err := optim.Default(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			o.Config.Optimizers = []optim.Spec{s}
		})
		head, _, _ := strings.Cut(rep.Table(), "\n")
		if !strings.Contains(head, tt.want) || strings.Contains(head, tt.not) {
			t.Errorf("%s: header %q, want it to contain %q and not %q", tt.name, head, tt.want, tt.not)
		}
	}
}
