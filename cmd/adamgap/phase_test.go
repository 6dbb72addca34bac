package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The CI-sized phase diagram runs end to end and resumes (the experiment
// itself is tested in package paper).
func TestPhaseQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 12 small runs")
	}
	dir := filepath.Join(t.TempDir(), "phase")
	out, stderr, err := cli(t, "reproduce", "phase", "--quick", "--out", dir, "--jobs", "2")
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, stderr)
	}
	for _, w := range []string{"12 runs × 2 optimizers, 12 trained now", "adam: test_error (mean ± sd over 3 seeds)", "gd: test_error", "test_error: adam − gd",
		"sigma_p \\ alpha", "heatmap_test_error_adam-minus-gd_alpha_sigma_p.png"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if !strings.Contains(stderr, "sweep: 12 runs to go") {
		t.Errorf("no progress lines:\n%s", stderr)
	}
	for _, name := range []string{"adam", "gd", "adam-minus-gd"} {
		checkPNG(t, filepath.Join(dir, "plots", "heatmap_test_error_"+name+"_alpha_sigma_p.png"))
	}
	// A second call finds every run complete.
	out, _, err = cli(t, "reproduce", "phase", "--quick", "--out", dir)
	if err != nil || !strings.Contains(out, "0 trained now") {
		t.Errorf("second call: %v\n%s", err, out)
	}
}
