package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/optim"
)

// TestFamilyFlags: the optimiser family's flags reach config.yaml, and a
// mini-batch run writes the sign columns.
func TestFamilyFlags(t *testing.T) {
	tests := []struct {
		name  string
		flags []string
		want  optim.Spec
		batch int
	}{
		{"sgd nesterov step", []string{"--optimizer", "sgd", "--momentum", "0.5", "--nesterov", "--lr", "0.1",
			"--schedule", "step", "--schedule-gamma", "0.5", "--schedule-step-size", "10", "--batch-size", "4"},
			optim.Spec{Name: "sgd", LR: 0.1, Momentum: 0.5, Nesterov: true, Schedule: optim.ScheduleSpec{Kind: "step", Gamma: 0.5, StepSize: 10}}, 4},
		{"adamw cosine", []string{"--optimizer", "adamw", "--weight-decay", "0.02", "--schedule", "cosine", "--schedule-min-lr", "1e-6"},
			optim.Spec{Name: "adamw", LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.02, Schedule: optim.ScheduleSpec{Kind: "cosine", MinLR: 1e-6}}, 0},
		{"padam p", []string{"--optimizer", "padam", "--p", "0.25", "--batch-size", "20"},
			optim.Spec{Name: "padam", LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, P: 0.25}, 20},
		{"rmsprop rho exponential", []string{"--optimizer", "rmsprop", "--rho", "0.9", "--momentum", "0.1", "--schedule", "exponential"},
			optim.Spec{Name: "rmsprop", LR: 5e-5, Rho: 0.9, Eps: 1e-8, Momentum: 0.1, Schedule: optim.ScheduleSpec{Kind: "exponential", Gamma: 0.999}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			base := []string{"run", "--steps", "20", "--log-every", "5", "--d", "100", "--n", "20", "--s", "10", "--test-size", "50", "--out", out}
			mustInvoke(t, append(base, tt.flags...)...)
			c, err := config.Load(filepath.Join(out, "config.yaml"), config.Config{})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Optimizers) != 1 || !reflect.DeepEqual(c.Optimizers[0], tt.want) || c.BatchSize != tt.batch {
				t.Errorf("config.yaml has %+v batch %d, want %+v batch %d", c.Optimizers, c.BatchSize, tt.want, tt.batch)
			}
			f, err := os.Open(filepath.Join(out, "metrics.csv"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if h := rows[0]; len(h) < 15 || h[13] != "sign_agree" || h[14] != "sign_coords" {
				t.Errorf("header %v", h)
			}
			// The sign probe is for the Adam family (adamw, padam) only.
			measured := rows[1][14] != ""
			if measured != tt.want.SignLike() {
				t.Errorf("sign_coords %q on the first row of %s", rows[1][14], tt.want.Name)
			}
		})
	}
}

func TestFamilyFlagsRefused(t *testing.T) {
	tests := []struct {
		flags []string
		want  string
	}{
		{[]string{"--optimizer", "adam", "--momentum", "0.9"}, `--momentum: optim: "momentum" is not a parameter of optimizer "adam"`},
		{[]string{"--optimizer", "adam,gd", "--schedule", "cosine"}, "--schedule needs exactly one optimizer, have 2"},
		{[]string{"--optimizer", "adam", "--schedule", "linear"}, `--schedule: optim: schedule kind="linear" is unknown`},
		{[]string{"--optimizer", "adam", "--schedule", "cosine", "--schedule-gamma", "0.5"}, `--schedule-gamma: "gamma" is not a parameter of schedule cosine(min_lr=0)`},
		{[]string{"--optimizer", "adam", "--schedule-step-size", "5"}, `--schedule-step-size: "step_size" is not a parameter of schedule constant`},
		{[]string{"--optimizer", "sgd", "--momentum", "0", "--nesterov"}, "nesterov=true must be false when momentum=0"},
		{[]string{"--optimizer", "adam", "--batch-size", "21"}, "batch_size=21 must be 0 (full batch) or in [1, n=20]"},
		{[]string{"--optimizer", "padam", "--p", "0.7"}, "p=0.7 must be in (0, 0.5]"},
	}
	for _, tt := range tests {
		out := filepath.Join(t.TempDir(), "out")
		base := []string{"run", "--steps", "5", "--d", "100", "--n", "20", "--s", "10", "--test-size", "50", "--out", out}
		_, _, err, code := invoke(t, append(base, tt.flags...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) || code == 0 {
			t.Errorf("%v: error %v (exit %d), want %q", tt.flags, err, code, tt.want)
		}
	}
}
