package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/internal/kernel"
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

// TestMalformedInputIsUsage: a file whose content is wrong is a usage
// error, as a configuration file with a bad key is: exit 2, the message
// naming the file and what is wrong, and a "Try:" hint (issue of the
// third session: a malformed data.npz or sweep spec exited 1 without it).
// A file that cannot be read at all still exits 1.
func TestMalformedInputIsUsage(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	garbage := write("garbage.npz", "PK not really")
	for _, tt := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"run", "--data-from", garbage, "--out", filepath.Join(dir, "o")}, "not a readable NPZ file", 2},
		{[]string{"run", "--init-from", garbage, "--out", filepath.Join(dir, "o")}, "not a readable NPZ file", 2},
		{[]string{"sweep", "plan", write("syntax.yaml", "name: x\nbase: {d: 10\n")}, "syntax.yaml: sweep spec: yaml: line", 2},
		{[]string{"sweep", "plan", write("key.yaml", "name: x\nbase: {dd: 10}\n")}, "unknown key dd (did you mean d?", 2},
		{[]string{"sweep", "plan", write("axis.yaml", "grid: {alpha: []}\n")}, "grid.alpha: empty axis", 2},
		{[]string{"sweep", "run", write("axis2.yaml", "grid: {alpha: []}\n"), "--out", filepath.Join(dir, "sw")}, "grid.alpha: empty axis", 2},
		{[]string{"sweep", "plan", filepath.Join(dir, "nope.yaml")}, "nope.yaml", 1},
		{[]string{"check", "--config", filepath.Join(dir, "nope.yaml")}, "adamgap: could not read", 1}, // not "adamgap: config: could not read"
	} {
		_, stderr, _, code := invoke(t, tt.args...)
		try := "Try: adamgap " + strings.Join(tt.args[:1], " ")
		if tt.args[0] == "sweep" {
			try = "Try: adamgap sweep " + tt.args[1] + " --help"
		}
		if code != tt.code || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "Try: ") != (tt.code == 2) ||
			(tt.code == 2 && !strings.Contains(stderr, try)) || strings.Contains(stderr, "wrong array shape") {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q and a Try: hint on exit 2 only", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

// TestKernelsEnvIsUsage: an ADAMGAP_KERNELS naming no path, or one this
// CPU cannot run, is a usage error: exit 2, the message naming the
// variable, the value and the paths this CPU runs, and a Try: line that
// says what to set (it exited 1 without one).
func TestKernelsEnvIsUsage(t *testing.T) {
	defer func(f func() error) { kernelsErr = f }(kernelsErr)
	paths := kernel.Paths()
	for _, env := range []string{"avx9", "AVX2 ", "sse"} {
		kernelsErr = func() error { _, err := kernel.Choose(env); return err }
		_, stderr, _, code := invoke(t, "run", "--out", t.TempDir())
		want := []string{"ADAMGAP_KERNELS=" + strconv.Quote(env), "allowed: portable, avx2, avx512, neon", "this CPU runs " + strings.Join(paths, ", "),
			"Try: unset ADAMGAP_KERNELS", "or set it to one of " + strings.Join(paths, ", ")}
		for _, w := range want {
			if code != 2 || !strings.Contains(stderr, w) {
				t.Errorf("ADAMGAP_KERNELS=%q: exit %d, stderr %q; want 2 and %q", env, code, stderr, w)
			}
		}
	}
	// --help still works, so the user can read what to do.
	if _, _, err, code := invoke(t, "run", "--help"); err != nil || code != 0 {
		t.Errorf("run --help with a bad ADAMGAP_KERNELS: %v, exit %d", err, code)
	}
}

// TestNoSilentDefaults: values that used to be replaced or ignored without
// a word are usage errors: serve's --max-queue below 1 (the server took 16)
// and stochastic's --steps beside --epochs (--epochs won).
func TestNoSilentDefaults(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--max-queue", "0"}, "--max-queue=0 must be at least 1"},
		{[]string{"serve", "--max-queue", "-3"}, "--max-queue=-3 must be at least 1"},
		{[]string{"reproduce", "stochastic", "--steps", "10", "--epochs", "10", "--out", t.TempDir()}, "--steps=10 and --epochs=10: give one"},
	} {
		_, stderr, _, code := invoke(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "Try: ") {
			t.Errorf("%v: exit %d, stderr %q; want 2, %q and a Try: hint", tt.args, code, stderr, tt.want)
		}
	}
}
