package experiment

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/testenv"
	"github.com/adamgap/adamgap/optim"
)

// TestPaperSizeReplay replays, in PyTorch float64 (testdata/torch_replay.py:
// a dense einsum model and torch.optim), runs at the paper's size (d = 1000,
// n = 200, s = 100, m = 20: rows of 40 weights, the size at which the
// kernels take their fastest paths, the coordinate-blocked forward and the
// 40-column blocks included) for Adam, AdamW and GD, full batch and batches
// of 100, and asks the final weights to agree to 1e-12 relative. .ci/run
// runs it on every kernel path (ADAMGAP_KERNELS). It is skipped under
// -short.
func TestPaperSizeReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("paper-size runs and their PyTorch replays")
	}
	testenv.NeedPython(t, "numpy", "torch")
	adam, _ := optim.Default("adam")
	adam.LR = 1e-3 // larger than the paper's 5e-5, so that 200 steps move the weights far
	adamw, _ := optim.Default("adamw")
	adamw.LR, adamw.WeightDecay = 1e-3, 0.5
	gd, _ := optim.Default("gd")
	gd.LR = 0.02
	for _, batch := range []int{0, 100} {
		t.Run("batch="+strconv.Itoa(batch), func(t *testing.T) {
			cfg := config.Paper()
			cfg.Steps, cfg.LogEvery, cfg.TestEvery, cfg.TestSize = 200, 50, 0, 100
			cfg.Lambda = 1e-3 // the coupled decay visible in 200 steps
			cfg.BatchSize = batch
			cfg.Optimizers = []optim.Spec{adam, adamw, gd}
			dir := t.TempDir()
			s, err := Prepare(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.WriteInputs(dir); err != nil {
				t.Fatal(err)
			}
			if batch > 0 {
				if err := s.WriteBatches(dir); err != nil {
					t.Fatal(err)
				}
			}
			o, err := Execute(context.Background(), s, 1)
			if err != nil {
				t.Fatal(err)
			}
			if err := o.WriteResults(dir); err != nil {
				t.Fatal(err)
			}
			g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
			for _, spec := range cfg.Optimizers {
				out := testenv.RunPython(t, nil, filepath.Join("testdata", "torch_replay.py"), dir, spec.Name, g(cfg.Q), g(cfg.Lambda),
					g(spec.LR), g(spec.Beta1), g(spec.Beta2), g(spec.Eps), strconv.Itoa(cfg.Steps), g(spec.WeightDecay))
				var r struct {
					MaxAbsDiff float64 `json:"max_abs_diff"`
					MaxAbs     float64 `json:"max_abs"`
					Moved      float64 `json:"moved"`
				}
				if err := json.Unmarshal(out, &r); err != nil {
					t.Fatalf("%s: torch_replay.py output %q: %v", spec.Name, out, err)
				}
				if r.MaxAbs == 0 || r.MaxAbsDiff > 1e-12*r.MaxAbs {
					t.Errorf("%s: PyTorch replay: max |W_torch − W_go| = %.3g, max |W| = %.3g (want ≤ 1e-12 relative)", spec.Name, r.MaxAbsDiff, r.MaxAbs)
				}
				// A replay that barely moves from W₀ would agree whatever the step did.
				if r.Moved < 1e-3*r.MaxAbs {
					t.Errorf("%s: the weights moved only %.3g (max |W| %.3g): the replay says little", spec.Name, r.Moved, r.MaxAbs)
				}
				t.Logf("%s: PyTorch replay of %d steps: max |ΔW| = %.3g of max |W| = %.3g (moved %.3g)", spec.Name, cfg.Steps, r.MaxAbsDiff, r.MaxAbs, r.Moved)
			}
		})
	}
}
