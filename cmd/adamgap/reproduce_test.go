package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReproduceSmall runs the reproduce subcommands at tiny sizes and
// checks what the CLI adds to package paper (where the experiments are
// tested): the flags reach the options, the table is printed, the progress
// goes to stderr and the files are written.
func TestReproduceSmall(t *testing.T) {
	for _, tc := range []struct {
		args           []string
		stdout, stderr string
		files          []string
	}{
		{[]string{"convex", "--steps", "100", "--cnn-steps", "20", "--test-size", "100", "--jobs", "1", "--tail", "50", "--stall-lrs", "0.04,0.01", "--stall-steps", "200"},
			"Stall radius of constant-η Adam (T = 200, mean over the last 50 iterates)", "CNN: training adam and gd for 20 steps in the background",
			[]string{"convex.json", "cnn/metrics.csv", "cnn/data.npz"}},
		{[]string{"stochastic", "--steps", "20", "--seeds", "1", "--batch-sizes", "100,2", "--test-size", "50", "--jobs", "2", "--keep-runs"},
			"| adamw | 0.01 (decoupled), λ=0 | 2 | 20 |", "[4/4] ",
			[]string{"stochastic.json", "runs/adam-b100-seed0/metrics.csv", "runs/adamw-b2-seed0/config.yaml"}},
		{[]string{"stochastic", "--steps", "20", "--seeds", "1", "--batch-sizes", "100", "--test-size", "50", "--optimizers", "adamw",
			"--adamw-decay", "1e-5", "--batch-sampling", "subset", "--test-labels", "balanced", "--lr", "1e-4"},
			"| adamw | 1e-05 (decoupled), λ=0 | 100 | 20 |", "[1/1] ",
			[]string{"stochastic.json"}},
		{[]string{"lemmas", "--trials", "100", "--etas", "4e-4", "--steps-eta", "0.1", "--log-points", "20", "--test-size", "50"},
			"Slope of log T against log η", "flip η=0.0004: 250 steps",
			[]string{"lemmas.json"}},
	} {
		dir := t.TempDir()
		out, stderr, err := cli(t, append([]string{"reproduce", "--out", dir}, tc.args...)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", tc.args, err, stderr)
		}
		if !strings.Contains(out, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("%v: stdout lacks %q or stderr lacks %q:\n%s\n%s", tc.args, tc.stdout, tc.stderr, out, stderr)
		}
		for _, f := range tc.files {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%v: %v", tc.args, err)
			}
		}
	}
}

// TestReproduceUsage: bad options of package paper are usage errors that
// name the flag.
func TestReproduceUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"convex", "--lambda", "0"}, "--lambda=0 must be a finite number > 0 (strong convexity)"},
		{[]string{"convex", "--steps", "0"}, "--steps=0 must be at least 1"},
		{[]string{"convex", "--cnn-steps", "-1"}, "--cnn-steps=-1 must be >= 0"},
		{[]string{"convex", "--lr-gd", "0"}, "--lr-gd=0 must be a finite number > 0"},
		{[]string{"lemmas", "--steps-eta", "1e300"}, "--steps-eta=1e+300 at η=1.25e-05 asks for"},
		{[]string{"stochastic", "--epochs", "4611686018427387903"}, "--epochs=4611686018427387903 at batch size 100"},
		{[]string{"stochastic", "--first-seed", "18446744073709551615"}, "--first-seed=18446744073709551615 leaves no room for 3 seeds"},
		{[]string{"stochastic", "--batch-sizes", "0,2"}, "--batch-sizes: 0 must be in [1, n=200]"},
		{[]string{"stochastic", "--batch-sizes", "a"}, `--batch-sizes="a": "a" is not an integer`},
		{[]string{"stochastic", "--batch-sizes", ""}, "--batch-sizes: none given"},
		{[]string{"stochastic", "--batch-sizes", "201"}, "--batch-sizes: 201"},
		{[]string{"stochastic", "--seeds", "0"}, "--seeds=0"},
		{[]string{"stochastic", "--epochs", "-1"}, "--epochs=-1"},
		{[]string{"stochastic", "--batch-sampling", "bootstrap"}, `batch_sampling="bootstrap" must be one of [epoch subset replacement]`},
		{[]string{"stochastic", "--test-labels", "half"}, `test_labels="half" must be one of`},
		{[]string{"stochastic", "--lr", "0"}, "--lr=0 must be a finite number > 0"},
		{[]string{"stochastic", "--adam-lambda", "-1"}, "--adam-lambda=-1"},
		{[]string{"stochastic", "--optimizers", "adam,sgd"}, `--optimizers: "sgd" must be one of [adam adamw]`},
		{[]string{"convex", "--tail", "0"}, "--tail=0 must be at least 1"},
		{[]string{"convex", "--stall-lrs", "0.05"}, "--stall-lrs needs at least two rates"},
		{[]string{"convex", "--stall-lrs", "0.05,-1"}, "--stall-lrs: -1 must be a finite number > 0"},
		{[]string{"table1", "--seeds", "0"}, "--seeds=0 must be at least 1"},
		{[]string{"figure2", "--seeds", "3"}, "--seeds=3 applies to table1 and all"},
		{[]string{"lemmas", "--etas", "0"}, "--etas: 0 must be a finite number > 0"},
		{[]string{"lemmas", "--etas", "x"}, `--etas="x": "x" is not a number`},
		{[]string{"lemmas", "--trials", "0"}, "--trials=0 must be at least 1"},
		{[]string{"lemmas", "--steps-eta", "0"}, "--steps-eta=0 must be > 0"},
		{[]string{"figure1", "--seeds", "0"}, "--seeds=0"},
		{[]string{"figure1", "--optimizers", "adam,rmsprop"}, `"rmsprop"`},
		{[]string{"figure1", "--kernel", "40"}, "kernel=40"},
		{[]string{"figure1", "--epochs", "0"}, "epochs=0"},
		{[]string{"figure1", "--conv-init", "0"}, "--conv-init=0"},
		{[]string{"figure1", "--lr-adam", "-1"}, "lr=-1"},
		{[]string{"figure1", "--test-per-digit", "900"}, "test images per digit 900"},
	} {
		_, _, err := cli(t, append([]string{"reproduce", "--out", t.TempDir()}, tc.args...)...)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want a usage error saying %q", tc.args, err, tc.want)
		}
	}
}
