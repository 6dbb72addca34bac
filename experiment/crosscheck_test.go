package experiment

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/fixture"
	"github.com/adamgap/adamgap/internal/testenv"
	"github.com/adamgap/adamgap/model"
)

// npEval is what crosscheck.py computes for one weights array.
type npEval struct {
	Loss       float64 `json:"loss"`
	TrainError float64 `json:"train_error"`
}

// crossCheckRun trains cfg, writes its files to a temporary folder and
// runs testdata/crosscheck.py on its data.npz and weights.npz; it returns
// the run and NumPy's evaluation of every weights array, by name (W0,
// W_<optimizer>).
func crossCheckRun(t *testing.T, cfg config.Config) (*Outcome, map[string]npEval) {
	t.Helper()
	dir := t.TempDir()
	o, err := runInto(t, cfg, dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := testenv.RunPython(t, nil, filepath.Join("testdata", "crosscheck.py"),
		filepath.Join(dir, "data.npz"), filepath.Join(dir, "weights.npz"),
		strconv.FormatFloat(cfg.Q, 'g', -1, 64), strconv.FormatFloat(cfg.Lambda, 'g', -1, 64))
	var np map[string]npEval
	if err := json.Unmarshal(out, &np); err != nil {
		t.Fatalf("crosscheck.py output %q: %v", out, err)
	}
	return o, np
}

// TestNumPyCrossCheck recomputes, in NumPy from the files of a short run
// (data.npz, weights.npz), the loss and training error of W₀ and of every
// optimiser's final weights, and compares them with Go's; with data.npz
// in the sparse layout (densified by the README's NumPy lines) and in the
// default one, whose X_train must agree with the sparse arrays.
func TestNumPyCrossCheck(t *testing.T) {
	testenv.NeedPython(t, "numpy")
	for _, layout := range []string{"auto", "sparse"} {
		t.Run(layout, func(t *testing.T) { numPyCrossCheck(t, layout) })
	}
}

func numPyCrossCheck(t *testing.T, layout string) {
	cfg := fixture.Small()
	cfg.Lambda = 1e-3 // make the weight-decay term visible in the loss
	cfg.DataLayout = layout
	o, np := crossCheckRun(t, cfg)

	ws := model.NewNet[float64](cfg.CNN(), o.Train)
	n := float64(o.Train.N())
	want := map[string]model.Eval{"W0": ws.LossGrad(nil, o.W0)}
	for _, r := range o.Results {
		e := ws.LossGrad(nil, r.W)
		if e.Loss != r.FinalLoss || float64(e.Errors)/n != r.TrainError {
			t.Errorf("%s: final loss %v error %v in the result, %v %v re-evaluated", r.Optimizer, r.FinalLoss, r.TrainError, e.Loss, float64(e.Errors)/n)
		}
		want["W_"+r.Optimizer] = e
		want["W_best_"+r.Optimizer] = ws.LossGrad(nil, r.Best.W) // the min-gradient iterate
	}
	if len(np) != len(want) {
		t.Errorf("NumPy saw arrays %v, want %d", np, len(want))
	}
	const tol = 1e-10 // relative; the sums differ only in order
	for name, e := range want {
		got, ok := np[name]
		if !ok {
			t.Errorf("weights.npz has no %s for NumPy", name)
			continue
		}
		if !scalar.EqualWithinRel(got.Loss, e.Loss, tol) {
			t.Errorf("%s: NumPy loss %.17g, Go %.17g (relative distance %.3g)", name, got.Loss, e.Loss, math.Abs(got.Loss-e.Loss)/math.Abs(e.Loss))
		}
		if goErr := float64(e.Errors) / n; got.TrainError != goErr {
			t.Errorf("%s: NumPy train error %v, Go %v", name, got.TrainError, goErr)
		}
		t.Logf("%s: loss NumPy %.17g Go %.17g; train error %v", name, got.Loss, e.Loss, got.TrainError)
	}
}

// TestNumPyCrossCheckFloat32: the float32 iterates that weights.npz keeps
// (as float64, exactly) give, in NumPy's float64, the loss and training
// error the float32 run reported, to float32's accuracy; W₀ to float64's.
func TestNumPyCrossCheckFloat32(t *testing.T) {
	testenv.NeedPython(t, "numpy")
	cfg := fixture.Small()
	cfg.Lambda = 1e-3
	cfg.DType = "float32"
	o, np := crossCheckRun(t, cfg)
	ws := model.NewNet[float64](cfg.CNN(), o.Train)
	if w0 := ws.LossGrad(nil, o.W0); !scalar.EqualWithinRel(np["W0"].Loss, w0.Loss, 1e-10) {
		t.Errorf("W0: NumPy loss %.17g, Go %.17g", np["W0"].Loss, w0.Loss)
	}
	if len(o.Results) != 2 {
		t.Fatalf("%d results, want adam and gd", len(o.Results))
	}
	for _, r := range o.Results {
		got, ok := np["W_"+r.Optimizer]
		if !ok {
			t.Errorf("weights.npz has no W_%s for NumPy", r.Optimizer)
			continue
		}
		// float32 activations against NumPy's float64: a few float32 ulps.
		if !scalar.EqualWithinRel(got.Loss, r.FinalLoss, 1e-5) {
			t.Errorf("%s: NumPy loss %.9g, the float32 run's final loss %.9g (relative %.3g)", r.Optimizer, got.Loss, r.FinalLoss, math.Abs(got.Loss-r.FinalLoss)/r.FinalLoss)
		}
		if got.TrainError != r.TrainError {
			t.Errorf("%s: NumPy train error %v, the run's %v", r.Optimizer, got.TrainError, r.TrainError)
		}
		t.Logf("%s: loss NumPy %.12g float32 run %.12g; train error %v", r.Optimizer, got.Loss, r.FinalLoss, got.TrainError)
		if best, ok := np["W_best_"+r.Optimizer]; !ok || best.TrainError != r.Best.TrainError {
			t.Errorf("%s: NumPy train error of W_best_%s %v (found %v), the run's best iterate's %v", r.Optimizer, r.Optimizer, best.TrainError, ok, r.Best.TrainError)
		}
	}
}
