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
// output file and the usage errors.
func TestReproduceLemmas(t *testing.T) {
	dir := t.TempDir()
	out, stderr, err := cli(t, "reproduce", "lemmas", "--out", dir, "--trials", "100", "--etas", "4e-4", "--steps-eta", "0.1", "--log-points", "20", "--test-size", "50")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(out, "Slope of log T against log η") || !strings.Contains(stderr, "flip η=0.0004: 250 steps") {
		t.Errorf("output lacks the slope line or the progress line:\n%s\n%s", out, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "lemmas.json")); err != nil {
		t.Error(err)
	}
}

func TestReproduceLemmasUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--etas", "0"}, "--etas: 0 must be a finite number > 0"},
		{[]string{"--etas", "x"}, `--etas="x"`},
		{[]string{"--trials", "0"}, "--trials=0 must be at least 1"},
		{[]string{"--steps-eta", "0"}, "--steps-eta=0 must be > 0"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"reproduce", "lemmas", "--out", t.TempDir()}, tc.args...), &out, &errb)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want a usage error saying %q", tc.args, err, tc.want)
		}
	}
}
