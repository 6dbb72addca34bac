package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/sweep"
)

// examples/phase.yaml is the sweep "reproduce phase" runs.
func TestPhaseSpecMatchesExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "phase.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != phaseSpec {
		t.Error("examples/phase.yaml differs from phaseSpec in phase.go; keep them equal")
	}
	spec, err := sweep.ParseSpec(b)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := spec.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 75 || len(spec.Seeds) < 3 {
		t.Errorf("%d runs with %d seeds, want 5 × 5 × 3", len(runs), len(spec.Seeds))
	}
	c := runs[0].Config
	if c.D != 1000 || c.N != 200 || c.S != 100 || c.Steps != 10000 || c.TestSize != 10000 || c.Optimizers[0].LR != 5e-5 || c.Optimizers[1].LR != 0.02 {
		t.Errorf("phase runs are not at the paper's settings: %+v", c)
	}
}

// The CI-sized phase diagram runs end to end.
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
	for _, name := range []string{"adam", "gd", "adam-minus-gd"} {
		checkPNG(t, filepath.Join(dir, "plots", "heatmap_test_error_"+name+"_alpha_sigma_p.png"))
	}
	// Where the gap lives: at large noise (σp = 0.3) with feature noise
	// (α = 0.2) Adam generalises far worse than GD; at small noise neither fails.
	tab, _, err := sweep.Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	h, err := tab.Heatmap(sweep.Query{Metric: "test_error", Diff: [2]string{"adam", "gd"}}, "alpha", "sigma_p")
	if err != nil {
		t.Fatal(err)
	}
	small, large := h.Z[0][0], h.Z[1][1] // (σp 0.1, α 0), (σp 0.3, α 0.2)
	if !(large > 0.1 && large > small+0.1) {
		t.Errorf("Adam − GD test error: %.3f at σp=0.3, α=0.2 and %.3f at σp=0.1, α=0; want a clear gap at the first only", large, small)
	}
	// A second call finds every run complete.
	out, _, err = cli(t, "reproduce", "phase", "--quick", "--out", dir)
	if err != nil || !strings.Contains(out, "0 trained now") {
		t.Errorf("second call: %v\n%s", err, out)
	}
}
