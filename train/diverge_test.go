package train

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestDivergenceCauses: the message names what became non-finite and the
// causes that fit: at step 0 the start (not the learning rate), with eps=0
// and λ=0 the 0/0 of the adaptive denominator, else the learning rate.
func TestDivergenceCauses(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(l *Loop, w0 []float64) string // returns the optimiser
		lr      float64
		eps     float64
		want    []string
		notWant string
	}{
		{"huge start", func(l *Loop, w0 []float64) string {
			for i := range w0 {
				w0[i] *= 1e200
			}
			return "adam"
		}, 1e-3, 1e-8, []string{"at step 0", "before any update, so not the learning rate", "largest |W₀| entry", "check sigma0"}, "lr=0.001"},
		{"huge lambda", func(l *Loop, w0 []float64) string {
			l.CNN.Lambda = 1e300
			return "gd"
		}, 0.1, 0, []string{"at step 0", "lambda=1e+300 times the initial weights", "weight-decay term"}, "check sigma0"},
		{"eps zero without weight decay", func(l *Loop, w0 []float64) string {
			l.CNN.Lambda = 0
			return "adam"
		}, 1e-3, 0, []string{"eps=0", "0/0", "use eps > 0"}, "before any update"},
		{"learning rate", func(l *Loop, w0 []float64) string { return "gd" }, 1e6, 0, []string{"lr=1e+06 may be too large for gd"}, "before any update"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, w0 := tiny(t)
			name := tt.setup(&l, w0)
			s := spec(t, name, tt.lr)
			if name == "adam" {
				s.Eps = tt.eps
			}
			_, err := l.RunSpec(context.Background(), s, w0)
			if !errors.Is(err, ErrDiverged) {
				t.Fatalf("error %v, want ErrDiverged", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("error %q contains %q", err, tt.notWant)
			}
		})
	}
}

// TestCancelWithinAStep: a run stops at the first step after cancellation,
// not at the next multiple of 64 (a step of a large run can take a second).
func TestCancelWithinAStep(t *testing.T) {
	l, w0 := tiny(t)
	l.Steps, l.LogEvery, l.TestEvery = 1000, 1, 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l.Recorder = RecorderFunc(func(r Record) error {
		if r.Step == 5 {
			cancel()
		}
		return nil
	})
	s := spec(t, "gd", 0.1)
	_, err := l.RunSpec(ctx, s, w0)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped at step 6") {
		t.Errorf("error %v, want context.Canceled at step 6", err)
	}
}
