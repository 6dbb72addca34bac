package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/model"
)

// TestVersion: version and --version print the same text, which names the
// kernel path in use.
func TestVersion(t *testing.T) {
	var outs [2]string
	for i, args := range [][]string{{"version"}, {"--version"}} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, &stdout, &stderr); err != nil {
			t.Fatalf("adamgap %s: %v", args[0], err)
		}
		outs[i] = stdout.String()
	}
	if outs[0] != outs[1] {
		t.Errorf("version printed %q, --version %q", outs[0], outs[1])
	}
	if want := "kernels: " + model.Kernel() + " "; !strings.Contains(outs[0], want) {
		t.Errorf("version printed %q, without %q", outs[0], want)
	}
}

// TestKernelsEnv runs the test binary again with ADAMGAP_KERNELS set: a
// path this CPU runs is the one in use, an unknown one stops the command
// with an error naming the variable and the allowed values.
func TestKernelsEnv(t *testing.T) {
	if env := os.Getenv("ADAMGAP_KERNELS_CHILD"); env != "" {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"version"}, &stdout, &stderr)
		os.Stdout.WriteString(stdout.String())
		if err != nil {
			os.Stdout.WriteString("error: " + err.Error())
		}
		return
	}
	for _, tc := range []struct{ env, want string }{
		{"portable", "kernels: portable (ADAMGAP_KERNELS=portable;"},
		{"avx3", `error: ADAMGAP_KERNELS="avx3": no such kernel path; allowed: portable, avx2, avx512`},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKernelsEnv$")
		cmd.Env = append(os.Environ(), "ADAMGAP_KERNELS_CHILD=1", "ADAMGAP_KERNELS="+tc.env)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("ADAMGAP_KERNELS=%s: printed %q, want %q", tc.env, out, tc.want)
		}
	}
}
