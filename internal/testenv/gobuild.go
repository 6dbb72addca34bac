package testenv

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Go runs the go command of the toolchain that built the test with args
// and returns its combined output; it fails the test, showing that output,
// when the command fails.
func Go(t testing.TB, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", args[0], err, out)
	}
	return out
}

// BuildCLI builds the adamgap command into a temporary folder and returns
// the binary's path, for tests that run it as a user would (signals,
// SIGKILL, SLURM jobs).
func BuildCLI(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "adamgap")
	Go(t, "build", "-o", bin, "github.com/adamgap/adamgap/cmd/adamgap")
	return bin
}
