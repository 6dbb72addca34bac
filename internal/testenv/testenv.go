// Package testenv tells tests whether they run under CI, where a missing
// precondition is a failure rather than a reason to skip.
//
// .ci/run sets CI (to "true" unless it is already set); a test that needs a
// tool (Python, NumPy, PyTorch, SLURM) or an event it cannot force (a
// process killed part way) calls Missing when the precondition did not
// hold, so that CI cannot pass without having run it.
package testenv

import (
	"os"
	"testing"
)

// CI reports whether the CI environment variable is set to anything but ""
// or "false".
func CI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false"
}

// Missing ends the test because a precondition did not hold: it fails the
// test when CI is set and skips it otherwise. The message says what was
// missing.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if CI() {
		t.Fatalf("CI is set, so this test must run: "+format, args...)
		return
	}
	t.Skipf(format, args...)
}
