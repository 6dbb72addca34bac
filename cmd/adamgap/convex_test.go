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
func TestReproduceConvex(t *testing.T) {
	dir := t.TempDir()
	out, stderr, err := cli(t, "reproduce", "convex", "--out", dir, "--steps", "100", "--cnn-steps", "20", "--test-size", "100", "--jobs", "1")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(out, "| gd | constant |") || !strings.Contains(stderr, "CNN: training adam and gd for 20 steps in the background") {
		t.Errorf("table or progress incomplete:\n%s\n%s", out, stderr)
	}
	for _, f := range []string{"convex.json", "cnn/metrics.csv", "cnn/data.npz"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestReproduceConvexUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--lambda", "0"}, "--lambda=0 must be a finite number > 0 (strong convexity)"},
		{[]string{"--steps", "0"}, "--steps=0 must be at least 1"},
		{[]string{"--cnn-steps", "-1"}, "--cnn-steps=-1 must be >= 0"},
		{[]string{"--lr-gd", "0"}, "--lr-adam=0.05 and --lr-gd=0 must be > 0"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"reproduce", "convex", "--out", t.TempDir()}, tc.args...), &out, &errb)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want a usage error saying %q", tc.args, err, tc.want)
		}
	}
}
