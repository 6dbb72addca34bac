package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/adamgap/adamgap/internal/testenv"
)

// TestExitCodeSignals: a command stopped by SIGINT or SIGTERM exits with
// 130 or 143 and says so, without "context canceled".
func TestExitCodeSignals(t *testing.T) {
	for _, tt := range []struct {
		sig  os.Signal
		code int
		name string
	}{{os.Interrupt, 130, "SIGINT"}, {syscall.SIGTERM, 143, "SIGTERM"}} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(signalError{tt.sig})
		var stderr bytes.Buffer
		code := exitCode(ctx, fmt.Errorf("adam: stopped at step 12: %w", context.Canceled), &stderr)
		if code != tt.code || strings.Contains(stderr.String(), "context canceled") || !strings.Contains(stderr.String(), "interrupted by "+tt.name) {
			t.Errorf("%s: exit %d, stderr %q; want %d and a plain message", tt.name, code, stderr.String(), tt.code)
		}
	}
	var stderr bytes.Buffer
	if code := exitCode(context.Background(), errors.New("boom"), &stderr); code != 1 {
		t.Errorf("plain error: exit %d", code)
	}
}

// TestFlagHints: a seed list points to sweeps, and a --log-every that the
// default test cadence does not fit asks for --test-every.
func TestFlagHints(t *testing.T) {
	_, stderr, _, code := invoke(t, args("--seed", "1,2", "--out", t.TempDir())...)
	if code != 2 || !strings.Contains(stderr, `"seeds: [1, 2]"`) || strings.Contains(stderr, "strconv") {
		t.Errorf("--seed 1,2: exit %d, stderr %q", code, stderr)
	}
	// A --log-every that the default test cadence is not a multiple of is a
	// usage error that says so (it used to move test_every silently).
	out := t.TempDir() + "/o"
	_, stderr, _, code = invoke(t, args("--log-every", "30", "--out", out)...)
	if code != 2 || !strings.Contains(stderr, "990, 1020 or 0") || !strings.Contains(stderr, "give --test-every") {
		t.Errorf("--log-every 30 with the default test cadence: exit %d, stderr %q", code, stderr)
	}
}

// TestSignalStopsWithinASecond: SIGTERM during training and SIGINT during
// planning stop the process within a second or two with 143 and 130 and a
// plain message; the interrupted run leaves --out untouched.
func TestSignalStopsWithinASecond(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := testenv.BuildCLI(t)
	root := t.TempDir()
	spec := filepath.Join(root, "big.yaml")
	os.WriteFile(spec, []byte("base: {d: 100, n: 20, s: 10}\ngrid:\n  alpha: [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]\nseeds: 10000\n"), 0o644)
	out := filepath.Join(root, "o")
	for _, tt := range []struct {
		name  string
		args  []string
		sig   syscall.Signal
		code  int
		ready string // stderr text that shows the long part has begun ("" : wait 0.5 s)
	}{
		{"run", []string{"run", "--steps", "10000000", "--log-every", "1000", "--test-every", "0", "--out", out}, syscall.SIGTERM, 143, "training"},
		{"sweep plan", []string{"sweep", "plan", spec}, syscall.SIGINT, 130, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			cmd := exec.Command(bin, tt.args...)
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(time.Minute)
			for tt.ready != "" && !strings.Contains(stderr.String(), tt.ready) && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(500 * time.Millisecond)
			cmd.Process.Signal(tt.sig)
			sent := time.Now()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 20 s after the signal; stderr:\n%s", stderr.String())
			}
			t.Logf("stopped %v after the signal", time.Since(sent))
			if code := cmd.ProcessState.ExitCode(); code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr.String())
			}
			if strings.Contains(stderr.String(), "context canceled") || !strings.Contains(stderr.String(), "interrupted by") {
				t.Errorf("stderr is not a plain message:\n%s", stderr.String())
			}
		})
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the interrupted run made --out %s", out)
	}
}

// TestInterruptedReportNotWritten: an interrupted reproduce stochastic
// says so and leaves an earlier complete stochastic.json as it was.
func TestInterruptedReportNotWritten(t *testing.T) {
	dir := t.TempDir()
	good := []byte(`{"complete": true}`)
	path := filepath.Join(dir, "stochastic.json")
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(signalError{os.Interrupt})
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"reproduce", "stochastic", "--steps", "20", "--seeds", "1", "--test-size", "10", "--out", dir}, &stdout, &stderr)
	code := exitCode(ctx, err, &stderr)
	if code != 130 || !strings.Contains(stderr.String(), "interrupted") || strings.Contains(stderr.String(), "runs failed") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, good) {
		t.Errorf("stochastic.json replaced by an interrupted run: %s", b)
	}
}

// TestRunRefusesAnotherRun: a second run into a folder holding a run is
// refused with exit 2 and the way out; --force replaces it.
func TestRunRefusesAnotherRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	mustInvoke(t, args("--out", out)...)
	_, stderr, _, code := invoke(t, args("--seed", "5", "--out", out)...)
	if code != 2 || !strings.Contains(stderr, "already holds a run") || !strings.Contains(stderr, "--force") {
		t.Errorf("second run: exit %d, stderr %q", code, stderr)
	}
	mustInvoke(t, args("--seed", "5", "--force", "--out", out)...)
	if b, _ := os.ReadFile(filepath.Join(out, "config.yaml")); !strings.Contains(string(b), "seed: 5") {
		t.Errorf("--force did not replace the run:\n%s", b)
	}
}

// TestTryHints: the hint after a usage error names the command that was
// called, and every --jobs refuses a negative count.
func TestTryHints(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "run", "x", "--bogus"}, "Try: adamgap sweep run --help"},
		{[]string{"reproduce", "convex", "--bogus"}, "Try: adamgap reproduce convex --help"},
		{[]string{"sweep", "plan"}, "Try: adamgap sweep plan --help"},
		{[]string{"bogus"}, "Try: adamgap --help"},
		{[]string{"reproduce", "stochastic", "--jobs", "-1"}, "Try: adamgap reproduce stochastic --help"},
		{[]string{"reproduce", "phase", "--jobs", "-1"}, `--jobs "-1" must be`},
		{[]string{"reproduce", "figure1", "--jobs", "-1"}, `--jobs "-1" must be`},
		{[]string{"reproduce", "lemmas", "--jobs", "-1"}, `--jobs "-1" must be`},
		{[]string{"reproduce", "convex", "--jobs", "-1"}, `--jobs "-1" must be`},
	} {
		_, stderr, _, code := invoke(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}
