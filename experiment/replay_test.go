package experiment

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/adamgap/adamgap/internal/fixture"
	"github.com/adamgap/adamgap/internal/testenv"
	"github.com/adamgap/adamgap/optim"
)

// TestMiniBatchReplay: a mini-batch Adam run written with its batch order
// (batches.npy) is replayed by PyTorch (float64, torch.optim.Adam) to
// 1e-12, and the Python port of the generator rebuilds the file, for every
// sampling scheme (epoch with a ragged last batch).
func TestMiniBatchReplay(t *testing.T) {
	testenv.NeedPython(t, "numpy", "torch")
	for _, sampling := range []string{"epoch", "subset", "replacement"} {
		t.Run(sampling, func(t *testing.T) {
			cfg := fixture.Small()
			cfg.Lambda = 1e-3
			cfg.BatchSize, cfg.BatchSampling = 6, sampling // n = 20: the epoch's last batch has 2
			cfg.Steps, cfg.LogEvery, cfg.TestEvery = 150, 50, 0
			adam, _ := optim.Default("adam")
			adam.LR = 1e-3
			cfg.Optimizers = []optim.Spec{adam}
			dir := t.TempDir()
			s, err := Prepare(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.WriteInputs(dir); err != nil {
				t.Fatal(err)
			}
			if err := s.WriteBatches(dir); err != nil {
				t.Fatal(err)
			}
			o, err := Execute(context.Background(), s, 1)
			if err != nil {
				t.Fatal(err)
			}
			if err := o.WriteResults(dir); err != nil {
				t.Fatal(err)
			}
			g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
			out := testenv.RunPython(t, nil, filepath.Join("testdata", "torch_replay.py"), dir, "adam", g(cfg.Q), g(cfg.Lambda),
				g(adam.LR), g(adam.Beta1), g(adam.Beta2), g(adam.Eps), strconv.Itoa(cfg.Steps))
			var r struct {
				MaxAbsDiff float64 `json:"max_abs_diff"`
				MaxAbs     float64 `json:"max_abs"`
			}
			if err := json.Unmarshal(out, &r); err != nil {
				t.Fatalf("torch_replay.py output %q: %v", out, err)
			}
			if r.MaxAbs == 0 || r.MaxAbsDiff > 1e-12*r.MaxAbs {
				t.Errorf("PyTorch replay: max |W_torch − W_go| = %.3g, max |W| = %.3g (want ≤ 1e-12 relative)", r.MaxAbsDiff, r.MaxAbs)
			}
			t.Logf("PyTorch replay of %d steps: max |ΔW| = %.3g of max |W| = %.3g", cfg.Steps, r.MaxAbsDiff, r.MaxAbs)
			testenv.RunPython(t, nil, filepath.Join("testdata", "gobatches.py"), sampling, strconv.Itoa(cfg.N), strconv.Itoa(cfg.BatchSize),
				strconv.Itoa(cfg.Steps), strconv.FormatUint(cfg.Seed, 10), filepath.Join(dir, BatchesFile))
		})
	}
}

// TestWriteBatchesFullBatch: a full-batch configuration has no batch order.
func TestWriteBatchesFullBatch(t *testing.T) {
	s, err := Prepare(fixture.Small())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteBatches(t.TempDir()); err == nil {
		t.Error("WriteBatches of a full-batch configuration: no error")
	}
}
