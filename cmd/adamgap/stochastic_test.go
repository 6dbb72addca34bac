package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The experiment itself is tested in package paper; here the flags, the
// output files and the usage errors.
func TestReproduceStochastic(t *testing.T) {
	dir := t.TempDir()
	out, stderr, err := cli(t, "reproduce", "stochastic", "--out", dir, "--steps", "20", "--seeds", "1", "--batch-sizes", "100,2", "--test-size", "50", "--jobs", "2", "--keep-runs")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(out, "| adamw | 0.01 (decoupled), λ=0 | 2 | 20 |") || !strings.Contains(stderr, "[4/4] ") {
		t.Errorf("table or progress incomplete:\n%s\n%s", out, stderr)
	}
	for _, f := range []string{"stochastic.json", "runs/adam-b100-seed0/metrics.csv", "runs/adamw-b2-seed0/config.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestReproduceStochasticUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--batch-sizes", "0,2"}, "--batch-sizes: 0 must be in [1, n=200]"},
		{[]string{"--batch-sizes", "a"}, `--batch-sizes="a"`},
		{[]string{"--batch-sizes", "201"}, "--batch-sizes: 201"},
		{[]string{"--seeds", "0"}, "--seeds=0"},
		{[]string{"--epochs", "-1"}, "--epochs=-1"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"reproduce", "stochastic", "--out", t.TempDir()}, tc.args...), &out, &errb)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want a usage error saying %q", tc.args, err, tc.want)
		}
	}
}
