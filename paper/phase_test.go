package paper

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/internal/outdir"
	"github.com/adamgap/adamgap/sweep"
)

// Phase runs examples/phase.yaml: 5 × 5 × 3 runs at the paper's settings.
func TestPhaseSpec(t *testing.T) {
	spec, err := DefaultPhase().Spec()
	if err != nil {
		t.Fatal(err)
	}
	runs, err := spec.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if spec.Name != "phase" || len(runs) != 75 || len(spec.Seeds) < 3 {
		t.Errorf("%s: %d runs with %d seeds, want phase, 5 × 5 × 3", spec.Name, len(runs), len(spec.Seeds))
	}
	c := runs[0].Config
	if c.D != 1000 || c.N != 200 || c.S != 100 || c.Steps != 10000 || c.TestSize != 10000 || c.Optimizers[0].LR != 5e-5 || c.Optimizers[1].LR != 0.02 {
		t.Errorf("phase runs are not at the paper's settings: %+v", c)
	}
}

// The CI-sized phase diagram shows the gap where it lives.
func TestPhaseQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 12 small runs")
	}
	o := PhaseOptions{Dir: filepath.Join(t.TempDir(), "phase"), Quick: true, Jobs: 2}
	rep, err := Phase(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Runs != 12 || rep.Done != 12 || len(rep.Maps) != 3 {
		t.Fatalf("%d runs, %d done, %d maps; want 12, 12, 3", rep.Runs, rep.Done, len(rep.Maps))
	}
	// At large noise (σp = 0.3) with feature noise (α = 0.2) Adam
	// generalises far worse than GD; at small noise neither fails.
	h := rep.Maps[2].Map
	small, large := h.Z[0][0], h.Z[1][1] // (σp 0.1, α 0), (σp 0.3, α 0.2)
	if !(large > 0.1 && large > small+0.1) {
		t.Errorf("Adam − GD test error: %.3f at σp=0.3, α=0.2 and %.3f at σp=0.1, α=0; want a clear gap at the first only", large, small)
	}
	if tab := rep.Table(); !strings.Contains(tab, "sigma_p \\ alpha") || !strings.Contains(tab, "heatmap_test_error_adam-minus-gd_alpha_sigma_p.png") {
		t.Errorf("table:\n%s", tab)
	}
}

// The quick check and the full diagram never share a folder: each has its
// own default, and a folder holding the other's sweep is refused untouched.
func TestPhaseFolder(t *testing.T) {
	if got := DefaultPhase().Folder(); got != filepath.Join("results", "phase") {
		t.Errorf("full diagram's folder: %s", got)
	}
	quick := DefaultPhase()
	quick.Quick = true
	if got := quick.Folder(); got != filepath.Join("results", "phase-quick") {
		t.Errorf("quick diagram's folder: %s", got)
	}
	dir := filepath.Join(t.TempDir(), "phase")
	spec, err := quick.Spec()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sweep.WriteSpec(dir, spec); err != nil {
		t.Fatal(err)
	}
	_, err = Phase(context.Background(), PhaseOptions{Dir: dir, Jobs: 1}, nil)
	if !errors.Is(err, outdir.ErrExists) || !strings.Contains(err.Error(), `"phase-quick"`) {
		t.Fatalf("full diagram into the quick one's folder: %v; want a refusal naming phase-quick", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, sweep.SpecFile))
	if err != nil || !bytes.Equal(b, spec.Raw()) {
		t.Errorf("the refused folder's sweep.yaml changed (%v)", err)
	}
}
