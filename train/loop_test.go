package train

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// problem draws n training and nTest test examples of pm and the start W₀
// of a network of m neurons (q = 3, λ = 1e-3, σ₀ = 0.1), all from seed: the
// loop of the tests and benchmarks, before its steps and cadence are set.
func problem(t testing.TB, pm data.PatchModel, n, nTest, m int, seed uint64) (Loop, []float64) {
	t.Helper()
	tr, err := pm.Train(n, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	te, err := pm.Test(nTest, rand.New(rand.NewPCG(seed, 2)))
	if err != nil {
		t.Fatal(err)
	}
	cnn := model.CNN{D: pm.D, M: m, Q: 3, Lambda: 1e-3}
	w0 := cnn.Init(0.1, rand.New(rand.NewPCG(seed, 3)))
	return Loop{CNN: cnn, Train: tr, Test: te}, w0
}

// tiny is a small problem where a few hundred steps take milliseconds.
func tiny(t *testing.T) (Loop, []float64) {
	t.Helper()
	l, w0 := problem(t, data.PatchModel{D: 30, S: 5, SigmaP: 0.5, Alpha: 0.2}, 10, 50, 3, 1)
	l.Steps, l.LogEvery, l.TestEvery = 40, 7, 14
	return l, w0
}

func spec(t testing.TB, name string, lr float64) optim.Spec {
	t.Helper()
	s, err := optim.Default(name)
	if err != nil {
		t.Fatal(err)
	}
	s.LR = lr
	return s
}

// TestRunMatchesManualLoop re-runs each optimiser by hand (LossGrad, Step)
// and checks the logged rows, the last iterate and Theorem 4.1's output:
// the iterate with the smallest gradient norm among all T+1 iterates, not
// only the logged ones.
func TestRunMatchesManualLoop(t *testing.T) {
	for _, s := range []optim.Spec{spec(t, "gd", 0.5), spec(t, "adam", 0.01), spec(t, "signgd", 0.003), spec(t, "adam-paper", 0.01)} {
		t.Run(s.Name, func(t *testing.T) {
			l, w0 := tiny(t)
			w0copy := slices.Clone(w0)
			res, err := l.Run(context.Background(), s.Name, s.New(), s.Norm(), w0)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(w0, w0copy) {
				t.Fatalf("Run modified w0")
			}

			ws := model.NewNet[float64](l.CNN, l.Train)
			opt := s.New()
			fastRoot(opt) // a full-batch run's Adam
			w := slices.Clone(w0)
			g := make([]float64, len(w))
			n := float64(l.Train.N())
			bestStep, bestNorm, bestW := -1, math.Inf(1), []float64(nil)
			var norms []float64
			var logged []Record
			for step := 0; step <= l.Steps; step++ {
				e := ws.LossGrad(g, w)
				var l1, l2 float64
				for _, v := range g {
					l1 += math.Abs(v)
					l2 += v * v
				}
				gn := l1
				if s.Norm() == optim.L2 {
					gn = math.Sqrt(l2)
				}
				norms = append(norms, gn)
				if gn < bestNorm {
					bestStep, bestNorm, bestW = step, gn, slices.Clone(w)
				}
				if step%l.LogEvery == 0 || step == l.Steps {
					logged = append(logged, Record{Step: step, Loss: e.Loss, TrainError: float64(e.Errors) / n, GradL1: l1, GradL2Sq: l2})
				}
				if step < l.Steps {
					opt.Step(w, g)
				}
			}

			if !slices.Equal(res.W, w) {
				t.Errorf("last iterate differs from the manual loop's")
			}
			wantSteps := []int{0, 7, 14, 21, 28, 35, 40}
			var gotSteps []int
			for _, r := range res.Records {
				gotSteps = append(gotSteps, r.Step)
			}
			if !slices.Equal(gotSteps, wantSteps) {
				t.Fatalf("logged steps %v, want %v", gotSteps, wantSteps)
			}
			for i, r := range res.Records {
				m := logged[i]
				if r.Optimizer != s.Name {
					t.Errorf("row %d: optimizer %q, want %q", i, r.Optimizer, s.Name)
				}
				if !scalar.EqualWithinAbsOrRel(r.Loss, m.Loss, 0, 1e-12) || r.TrainError != m.TrainError ||
					!scalar.EqualWithinAbsOrRel(r.GradL1, m.GradL1, 0, 1e-12) || !scalar.EqualWithinAbsOrRel(r.GradL2Sq, m.GradL2Sq, 0, 1e-12) {
					t.Errorf("step %d: logged loss %v err %v ‖g‖₁ %v ‖g‖² %v; manual %v %v %v %v",
						r.Step, r.Loss, r.TrainError, r.GradL1, r.GradL2Sq, m.Loss, m.TrainError, m.GradL1, m.GradL2Sq)
				}
				wantTest := r.Step%l.TestEvery == 0 || r.Step == l.Steps
				if math.IsNaN(r.TestError) == wantTest {
					t.Errorf("step %d: test error %v; evaluated should be %v (test_every %d)", r.Step, r.TestError, wantTest, l.TestEvery)
				}
			}
			if res.Best.Step != bestStep || !scalar.EqualWithinAbsOrRel(res.Best.GradNorm, bestNorm, 0, 1e-12) || !slices.Equal(res.Best.W, bestW) {
				t.Errorf("best iterate: step %d norm %v; manual: step %d norm %v", res.Best.Step, res.Best.GradNorm, bestStep, bestNorm)
			}
			if res.Best.Norm != s.Norm() {
				t.Errorf("best chosen by %v, want %v", res.Best.Norm, s.Norm())
			}
			for step, gn := range norms {
				if gn < res.Best.GradNorm*(1-1e-12) {
					t.Errorf("step %d has gradient norm %v below the best's %v", step, gn, res.Best.GradNorm)
				}
			}
			if want := float64(l.CNN.Errors(bestW, l.Train)) / n; res.Best.TrainError != want {
				t.Errorf("best train error %v, want %v", res.Best.TrainError, want)
			}
			if want := float64(l.CNN.Errors(bestW, l.Test)) / float64(l.Test.N()); res.Best.TestError != want {
				t.Errorf("best test error %v, want %v", res.Best.TestError, want)
			}
			last := res.Records[len(res.Records)-1]
			if res.FinalLoss != last.Loss || res.TrainError != last.TrainError || res.TestError != last.TestError {
				t.Errorf("result final (%v, %v, %v) differs from the last row (%v, %v, %v)",
					res.FinalLoss, res.TrainError, res.TestError, last.Loss, last.TrainError, last.TestError)
			}
			if want := float64(l.CNN.Errors(w, l.Test)) / float64(l.Test.N()); res.TestError != want {
				t.Errorf("final test error %v, want %v", res.TestError, want)
			}
		})
	}
}

// TestBestNotOnALoggedStep: with one logged row at each end, the smallest
// gradient of sign descent (whose constant steps overshoot, so its gradient
// norm goes down and up) comes in between, and Run still finds it.
func TestBestNotOnALoggedStep(t *testing.T) {
	l, w0 := tiny(t)
	l.Steps, l.LogEvery, l.TestEvery = 40, 40, 0
	s := spec(t, "signgd", 0.1)
	res, err := l.Run(context.Background(), s.Name, s.New(), s.Norm(), w0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 2 {
		t.Fatalf("%d rows, want 2 (steps 0 and T)", len(res.Records))
	}
	for _, r := range res.Records {
		if r.GradL1 <= res.Best.GradNorm {
			t.Fatalf("the best iterate is the logged step %d (norm %v ≤ best %v); pick a problem where it is not", r.Step, math.Sqrt(r.GradL2Sq), res.Best.GradNorm)
		}
	}
	if res.Best.Step <= 0 || res.Best.Step >= l.Steps {
		t.Errorf("best step %d, want one strictly between the logged steps", res.Best.Step)
	}
}

// TestProbesDirect checks Probe against the definitions evaluated on the
// (2, m, d) tensor and the dense data.
func TestProbesDirect(t *testing.T) {
	l, _ := tiny(t)
	// Noise in patch 0 for some examples, to exercise NoisePatch.
	x := l.Train.Dense()
	for i := range x {
		if i%3 == 0 {
			x[i][0], x[i][1] = x[i][1], x[i][0]
		}
	}
	set := data.FromDense(x, l.Train.Y)
	w := l.CNN.Init(1, rand.New(rand.NewPCG(8, 8)))
	ws := model.NewNet[float64](l.CNN, set)
	ws.LossGrad(nil, w)
	got := Probe(l.CNN, w, ws.Z, set)

	tn := l.CNN.ToTensor(w) // [0] = class −1, [1] = class +1
	want := Probes{
		FeaturePos: math.Inf(-1), FeatureNeg: math.Inf(-1),
		NoiseMinPos: math.Inf(1), NoiseMinNeg: math.Inf(1),
		NoiseMaxPos: math.Inf(-1), NoiseMaxNeg: math.Inf(-1),
	}
	for r := range l.CNN.M {
		want.FeaturePos = max(want.FeaturePos, tn[1][r][0])  // ⟨w_{+1,r}, v⟩
		want.FeatureNeg = max(want.FeatureNeg, -tn[0][r][0]) // ⟨w_{−1,r}, −v⟩
	}
	for i, y := range set.Y {
		// ξᵢ is the patch that is not y·e₀.
		xi := x[i][1]
		if i%3 == 0 {
			xi = x[i][0]
		}
		j := 0
		if y > 0 {
			j = 1
		}
		best := math.Inf(-1)
		for r := range l.CNN.M {
			var dot float64
			for k, v := range xi {
				dot += tn[j][r][k] * v
			}
			best = max(best, dot)
		}
		if y > 0 {
			want.NoiseMinPos, want.NoiseMaxPos = min(want.NoiseMinPos, best), max(want.NoiseMaxPos, best)
		} else {
			want.NoiseMinNeg, want.NoiseMaxNeg = min(want.NoiseMinNeg, best), max(want.NoiseMaxNeg, best)
		}
	}
	const tol = 1e-13
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"feature_pos", got.FeaturePos, want.FeaturePos},
		{"feature_neg", got.FeatureNeg, want.FeatureNeg},
		{"noise_min_pos", got.NoiseMinPos, want.NoiseMinPos},
		{"noise_min_neg", got.NoiseMinNeg, want.NoiseMinNeg},
		{"noise_max_pos", got.NoiseMaxPos, want.NoiseMaxPos},
		{"noise_max_neg", got.NoiseMaxNeg, want.NoiseMaxNeg},
	} {
		if !scalar.EqualWithinAbsOrRel(c.got, c.want, tol, tol) {
			t.Errorf("%s = %.17g, direct %.17g (distance %.3g)", c.name, c.got, c.want, math.Abs(c.got-c.want))
		}
	}
	if want.NoiseMinPos == want.NoiseMaxPos || want.FeaturePos == want.FeatureNeg {
		t.Errorf("degenerate probes %+v; the test would not tell min from max", want)
	}
}

func TestDivergenceKeepsRows(t *testing.T) {
	l, w0 := tiny(t)
	l.Steps, l.LogEvery = 200, 1
	s := spec(t, "gd", 1e6)
	res, err := l.Run(context.Background(), s.Name, s.New(), s.Norm(), w0)
	if err == nil {
		t.Fatal("GD with η=1e6 did not diverge")
	}
	if !errors.Is(err, ErrDiverged) || res.Err != err {
		t.Errorf("error %v: want ErrDiverged, also in Result.Err (%v)", err, res.Err)
	}
	if len(res.Records) == 0 || len(res.Records) >= l.Steps {
		t.Fatalf("%d rows kept", len(res.Records))
	}
	// The rows kept are the steps before the one that diverged, every one.
	failed := len(res.Records) // LogEvery = 1: rows are steps 0..failed-1
	for _, want := range []string{"gd", "at step " + strconv.Itoa(failed), strconv.Itoa(len(res.Records)) + " logged rows kept"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	for i, r := range res.Records {
		if r.Step != i || math.IsNaN(r.Loss) || math.IsInf(r.Loss, 0) {
			t.Errorf("row %d: step %d loss %v", i, r.Step, r.Loss)
		}
	}
}

func TestCancel(t *testing.T) {
	l, w0 := tiny(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := spec(t, "gd", 0.1)
	res, err := l.Run(ctx, s.Name, s.New(), s.Norm(), w0)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped at step 0") {
		t.Errorf("cancelled run: error %v, want context.Canceled at step 0", err)
	}
	if res == nil || res.Err == nil {
		t.Errorf("cancelled run: Result %+v should carry the error", res)
	}
}

// metricsColumns are the columns every metrics.csv starts with.
var metricsColumns = []string{"optimizer", "step", "loss", "train_error", "test_error",
	"feature_pos", "feature_neg", "noise_min_pos", "noise_min_neg",
	"noise_max_pos", "noise_max_neg", "grad_l1", "grad_l2sq"}

// csvRows writes records with WriteCSV and reads the CSV back.
func csvRows(t *testing.T, records []Record) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, records); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestWriteCSV(t *testing.T) {
	l, w0 := tiny(t)
	s := spec(t, "adam", 0.01)
	res, err := l.Run(context.Background(), s.Name, s.New(), s.Norm(), w0)
	if err != nil {
		t.Fatal(err)
	}
	rows := csvRows(t, res.Records)
	fixed := metricsColumns
	if len(rows[0]) < len(fixed) || !slices.Equal(rows[0][:len(fixed)], fixed) {
		t.Fatalf("header %v, want it to start with %v", rows[0], fixed)
	}
	if len(rows) != len(res.Records)+1 {
		t.Fatalf("%d rows, want %d", len(rows)-1, len(res.Records))
	}
	for i, r := range res.Records {
		row := rows[i+1]
		if row[0] != r.Optimizer || row[1] != strconv.Itoa(r.Step) {
			t.Errorf("row %d: %v", i, row[:2])
		}
		for c, v := range []float64{r.Loss, r.TrainError, r.TestError, r.FeaturePos, r.FeatureNeg,
			r.NoiseMinPos, r.NoiseMinNeg, r.NoiseMaxPos, r.NoiseMaxNeg, r.GradL1, r.GradL2Sq} {
			field := row[c+2]
			if math.IsNaN(v) {
				if field != "" {
					t.Errorf("row %d column %s: %q, want empty for not evaluated", i, fixed[c+2], field)
				}
				continue
			}
			// Shortest representation that reads back exactly.
			if back, err := strconv.ParseFloat(field, 64); err != nil || back != v {
				t.Errorf("row %d column %s: %q reads back as %v, want %v", i, fixed[c+2], field, back, v)
			}
		}
	}
}

func TestRecorderSeesEveryLoggedRowInOrder(t *testing.T) {
	l, w0 := tiny(t)
	var got []Record
	l.Recorder = RecorderFunc(func(r Record) error { got = append(got, r); return nil })
	res, err := l.RunSpec(context.Background(), spec(t, "adam", 0.01), w0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(res.Records) {
		t.Fatalf("recorder saw %d rows, result has %d", len(got), len(res.Records))
	}
	for i := range got {
		if got[i].Step != res.Records[i].Step || got[i].Loss != res.Records[i].Loss {
			t.Fatalf("row %d: recorder saw %+v, result has %+v", i, got[i], res.Records[i])
		}
	}
	stop := errors.New("enough")
	l.Recorder = RecorderFunc(func(r Record) error {
		if r.Step > 0 {
			return stop
		}
		return nil
	})
	if _, err := l.RunSpec(context.Background(), spec(t, "adam", 0.01), w0); !errors.Is(err, stop) {
		t.Fatalf("a failing recorder should stop the run with its error, got %v", err)
	}
}

// TestObserve: Observe sees W^(0), …, W^(T) in order, W^(0) = w₀ and
// W^(T) the result, and the run is the same with or without it.
func TestObserve(t *testing.T) {
	l, w0 := tiny(t)
	spec := spec(t, "adam", 1e-2)
	var steps []int
	var first, lastW []float64
	l.Observe = func(s int, w []float64) {
		steps = append(steps, s)
		if s == 0 {
			first = slices.Clone(w)
		}
		lastW = slices.Clone(w)
	}
	res, err := l.RunSpec(context.Background(), spec, w0)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != l.Steps+1 || steps[0] != 0 || steps[l.Steps] != l.Steps || !slices.IsSorted(steps) {
		t.Fatalf("observed steps %v, want 0…%d", steps, l.Steps)
	}
	if !slices.Equal(first, w0) || !slices.Equal(lastW, res.W) {
		t.Errorf("observed W^(0) or W^(T) differs from w₀ or the result")
	}
	l.Observe = nil
	plain, err := l.RunSpec(context.Background(), spec, w0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(plain.W, res.W) {
		t.Error("Observe changed the run")
	}
}

// TestMiniBatchDivergence: a mini-batch run that blows up between logged
// steps stops with ErrDiverged at a mini-batch step, through Fill + Step
// (gd) and through the one-pass step (adam).
func TestMiniBatchDivergence(t *testing.T) {
	for _, tt := range []struct {
		name string
		lr   float64
	}{{"gd", 1e6}, {"adam", 1e300}} {
		t.Run(tt.name, func(t *testing.T) {
			l, w0 := tiny(t)
			l.Steps, l.LogEvery, l.BatchSize = 200, 200, 2
			s := spec(t, tt.name, tt.lr)
			res, err := l.Run(context.Background(), s.Name, s.New(), s.Norm(), w0)
			if !errors.Is(err, ErrDiverged) || res.Err != err {
				t.Fatalf("error %v: want ErrDiverged, also in Result.Err", err)
			}
			if !strings.Contains(err.Error(), "mini-batch") || len(res.Records) != 1 {
				t.Errorf("error %q with %d rows: want a mini-batch step after the row of step 0", err, len(res.Records))
			}
		})
	}
}

// weightRec keeps the weights of the steps it wants.
var _ WeightRecorder = (*weightRec)(nil)

type weightRec struct {
	want map[int]bool
	got  map[int][]float64
}

func (r *weightRec) Record(Record) error                     { return nil }
func (r *weightRec) Want(step int) bool                      { return r.want[step] }
func (r *weightRec) Weights(_ string, step int, w []float64) { r.got[step] = slices.Clone(w) }

// TestWeightRecorderSeesTheIterate: the weights shown for step k are W^(k),
// the last iterate of the same run stopped at k, and those of step T are
// the result's W.
func TestWeightRecorderSeesTheIterate(t *testing.T) {
	l, w0 := tiny(t)
	rec := &weightRec{want: map[int]bool{0: true, l.LogEvery: true, l.Steps: true}, got: map[int][]float64{}}
	l.Recorder = rec
	res, err := l.RunSpec(context.Background(), spec(t, "adam", 0.01), w0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.got) != 3 {
		t.Fatalf("weights of steps %v shown, want 0, %d, %d", slices.Collect(maps.Keys(rec.got)), l.LogEvery, l.Steps)
	}
	if !slices.Equal(rec.got[0], w0) || !slices.Equal(rec.got[l.Steps], res.W) {
		t.Errorf("weights of step 0 or T are not W0 or the last iterate")
	}
	// In float32, the weights shown are the float32 iterate widened.
	l32 := l
	l32.Float32 = true
	rec32 := &weightRec{want: rec.want, got: map[int][]float64{}}
	l32.Recorder = rec32
	res32, err := l32.RunSpec(context.Background(), spec(t, "adam", 0.01), w0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec32.got) != 3 || !slices.Equal(rec32.got[l.Steps], res32.W) || slices.Equal(rec32.got[l.Steps], res.W) {
		t.Errorf("float32 run: weights of %d steps shown; the last is not its own last iterate", len(rec32.got))
	}
	short := l
	short.Steps, short.Recorder = l.LogEvery, nil
	mid, err := short.RunSpec(context.Background(), spec(t, "adam", 0.01), w0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rec.got[l.LogEvery], mid.W) {
		t.Errorf("weights shown for step %d differ from the last iterate of a run of %d steps", l.LogEvery, l.LogEvery)
	}
}
