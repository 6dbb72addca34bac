package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
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

// TestFlagHints: a seed list points to sweeps, and the default test cadence
// follows --log-every.
func TestFlagHints(t *testing.T) {
	_, stderr, _, code := invoke(t, args("--seed", "1,2", "--out", t.TempDir())...)
	if code != 2 || !strings.Contains(stderr, `"seeds: [1, 2]"`) || strings.Contains(stderr, "strconv") {
		t.Errorf("--seed 1,2: exit %d, stderr %q", code, stderr)
	}
	out := t.TempDir() + "/o"
	if _, stderr, err, _ := invoke(t, args("--log-every", "30", "--out", out)...); err != nil {
		t.Fatalf("--log-every 20 30 with the default test cadence: %v\n%s", err, stderr)
	}
}
