package experiment

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/adamgap/adamgap/internal/fixture"
	"github.com/adamgap/adamgap/internal/testenv"
	"github.com/adamgap/adamgap/optim"
)

// TestFamilyTorchReplay: GD, Adam and SAM, full batch, on the signal–noise
// family's model (Gaussian noise, 10% flipped training labels, ReLU, the
// 1/m output), 1000 steps from the same W₀, are replayed by an
// independent PyTorch float64 implementation (autograd, torch.optim) from
// adamgap's files (data.npz, weights.npz), and the final weights agree to
// 1e-12 relative.
func TestFamilyTorchReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("1000 steps of three optimisers in Go and in PyTorch")
	}
	testenv.NeedPython(t, "numpy", "torch")
	cfg := fixture.Small()
	cfg.D, cfg.N, cfg.M, cfg.TestSize = 100, 30, 5, 200
	cfg.Noise, cfg.LabelNoise, cfg.SignalNorm = "gaussian", 0.1, 2
	cfg.Q, cfg.OutputScale, cfg.Alpha = 1, "mean", 0
	cfg.Sigma0, cfg.Lambda = 0.1, 1e-3
	cfg.Steps, cfg.LogEvery, cfg.TestEvery = 1000, 100, 0
	gd, _ := optim.Default("gd")
	gd.LR = 0.5
	adam, _ := optim.Default("adam")
	adam.LR = 1e-3
	sam, _ := optim.Default("sam")
	sam.LR, sam.Radius = 0.5, 0.05
	cfg.Optimizers = []optim.Spec{gd, adam, sam}
	dir := t.TempDir()
	if _, err := runInto(t, cfg, dir, 1); err != nil {
		t.Fatal(err)
	}
	runs, _ := json.Marshal([]map[string]any{
		{"name": "gd", "kind": "gd", "lr": gd.LR},
		{"name": "adam", "kind": "adam", "lr": adam.LR, "betas": []float64{adam.Beta1, adam.Beta2}, "eps": adam.Eps},
		{"name": "sam", "kind": "sam", "lr": sam.LR, "radius": sam.Radius},
	})
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	out := testenv.RunPython(t, nil, filepath.Join("testdata", "torch_family_replay.py"), dir, g(cfg.Q), g(cfg.Lambda),
		strconv.Itoa(cfg.Steps), cfg.OutputScale, string(runs))
	var res map[string]json.RawMessage
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("torch_family_replay.py output %q: %v", out, err)
	}
	var flipped int
	json.Unmarshal(res["flipped"], &flipped)
	if flipped == 0 {
		t.Errorf("no training label was flipped; the replay does not cover label noise")
	}
	for _, name := range []string{"gd", "adam", "sam"} {
		var r struct {
			MaxAbsDiff float64 `json:"max_abs_diff"`
			MaxAbs     float64 `json:"max_abs"`
			Moved      float64 `json:"moved"`
			FromFirst  float64 `json:"from_first"`
		}
		if err := json.Unmarshal(res[name], &r); err != nil {
			t.Fatalf("%s: %v (output %s)", name, err, out)
		}
		if r.MaxAbs == 0 || r.MaxAbsDiff > 1e-12*r.MaxAbs {
			t.Errorf("%s: max |W_torch − W_go| = %.3g, max |W| = %.3g (want ≤ 1e-12 relative)", name, r.MaxAbsDiff, r.MaxAbs)
		}
		if r.Moved < 1e-3*r.MaxAbs {
			t.Errorf("%s: the weights moved only %.3g from W₀; the replay says little", name, r.Moved)
		}
		if name != "gd" && r.FromFirst < 1e-6 {
			t.Errorf("%s ended within %.3g of GD: the replay would not tell them apart", name, r.FromFirst)
		}
		t.Logf("%s: %d steps, max |ΔW| = %.3g of max |W| = %.3g (moved %.3g)", name, cfg.Steps, r.MaxAbsDiff, r.MaxAbs, r.Moved)
	}
}
