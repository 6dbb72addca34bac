package testenv

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Python is Debian's interpreter, where CI installs NumPy and PyTorch
// (.ci/run); the python3 on a developer's PATH may lack them.
const Python = "/usr/bin/python3"

// NeedPython ends the test (see Missing) unless Python can import every
// module named, for example NeedPython(t, "numpy", "torch").
func NeedPython(t testing.TB, modules ...string) {
	t.Helper()
	list := strings.Join(modules, ", ")
	if out, err := exec.Command(Python, "-c", "import "+list).CombinedOutput(); err != nil {
		Missing(t, "%s cannot import %s (%v); CI installs python3-numpy and python3-torch\n%s", Python, list, err, out)
	}
}

// RunPython runs the script (a file, or "-c" and the program text) with
// args under Python, with stdin as its standard input (nil: none), and
// returns its standard output; it fails the test, showing the standard
// error, when the script fails.
func RunPython(t testing.TB, stdin []byte, script string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(Python, append([]string{script}, args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(script), err, stderr.Bytes())
	}
	return out
}
