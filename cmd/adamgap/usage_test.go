package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUsageExitCodes: one rule for usage errors. A bad flag, a value that
// is not a number and a value out of its range all exit 2 with a "Try:"
// hint naming the command, and the message never shows the "config: " (or
// "optim: ", "paper: " …) of the package that checked it.
func TestUsageExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("alpha: -1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"run", "--alpha", "x"}, `invalid argument "x" for "--alpha"`},
		{[]string{"run", "--alpha", "-1"}, "alpha=-1 must be a finite number >= 0"},
		{[]string{"run", "--d", "10", "--s", "20"}, "s=20 must be in [1, d-1=9]"},
		{[]string{"run", "--optimizer", "foo"}, `--optimizer: optimizer="foo" is unknown`},
		{[]string{"run", "--optimizer", "adam", "--momentum", "0.9"}, `--momentum: "momentum" is not a parameter`},
		{[]string{"run", "--config", bad}, "alpha=-1 must be a finite number >= 0"},
		{[]string{"reproduce", "convex", "--lambda", "-1"}, "--lambda=-1 must be a finite number > 0"},
	} {
		args := append(tt.args, "--out", filepath.Join(dir, "out"))
		if tt.args[0] == "reproduce" {
			args = tt.args
		}
		_, stderr, _, code := invoke(t, args...)
		cmd := "adamgap " + strings.Join(tt.args[:1], " ")
		if tt.args[0] == "reproduce" {
			cmd = "adamgap reproduce " + tt.args[1]
		}
		if code != 2 || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "Try: "+cmd+" --help") {
			t.Errorf("%v: exit %d, stderr %q; want 2, %q and a Try: hint", tt.args, code, stderr, tt.want)
		}
		for _, p := range []string{"config: ", "optim: ", "paper: ", "model: ", "data: "} {
			if strings.Contains(stderr, p) {
				t.Errorf("%v: the message shows the package prefix %q: %q", tt.args, p, stderr)
			}
		}
	}
}
