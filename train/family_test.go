package train

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// famLoop is a small problem (n = 12) for the schedule, mini-batch and
// sign-probe tests.
func famLoop(t *testing.T) (Loop, []float64) {
	t.Helper()
	l, w0 := problem(t, data.PatchModel{D: 40, S: 6, SigmaP: 0.5, Alpha: 0.2}, 12, 40, 3, 5)
	l.Steps, l.LogEvery, l.TestEvery, l.Seed, l.SignThreshold = 30, 5, 10, 9, 1
	return l, w0
}

func famSpec(t *testing.T, name string, lr float64, sched optim.ScheduleSpec) optim.Spec {
	t.Helper()
	s, err := optim.Default(name)
	if err != nil {
		t.Fatal(err)
	}
	s.LR, s.Schedule = lr, sched
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return s
}

// famManual is the training loop written out: the gradient of step t is
// the full one or that of the t-th batch of NewBatches(n, B, seed), the
// rate is the schedule's, and the sign probe is measured on logged steps.
func famManual(l Loop, s optim.Spec, w0 []float64) (w []float64, signs map[int]SignAgreement, fullAt map[int]model.Eval) {
	w = slices.Clone(w0)
	g := make([]float64, len(w))
	opt := s.New()
	sched := s.Schedule.New()
	ws := model.NewNet[float64](l.CNN, l.Train)
	bw := model.NewNet[float64](l.CNN, l.Train)
	mini := l.BatchSize > 0 && l.BatchSize < l.Train.N()
	var batches *Batches
	if mini {
		batches = NewBatches(l.Train.N(), l.BatchSize, l.Seed)
	} else {
		fastRoot(opt) // as the Loop's full-batch runs
	}
	signs, fullAt = map[int]SignAgreement{}, map[int]model.Eval{}
	for t := range l.Steps {
		if t%l.LogEvery == 0 {
			fullAt[t] = ws.LossGrad(nil, w)
		}
		if mini {
			bw.BatchLossGrad(g, w, batches.Next())
		} else {
			ws.LossGrad(g, w)
		}
		lr := sched.LR(s.LR, t, l.Steps)
		opt.(optim.LRSetter).SetLR(lr)
		before := slices.Clone(w)
		opt.Step(w, g)
		if t%l.LogEvery == 0 && s.SignLike() {
			signs[t] = MeasureSign(before, w, g, l.SignThreshold*lr)
		}
	}
	fullAt[l.Steps] = ws.LossGrad(nil, w)
	return w, signs, fullAt
}

// TestRunSpecMatchesManual: full batch and mini-batch, constant and
// scheduled rates, sign-like and not: RunSpec's last iterate is the manual
// loop's bit for bit, its rows describe the full objective at the logged
// iterates, and the sign probe is on every logged row but the last for the
// Adam family only.
func TestRunSpecMatchesManual(t *testing.T) {
	tests := []struct {
		name  string
		spec  func(t *testing.T) optim.Spec
		batch int
	}{
		{"adam constant full", func(t *testing.T) optim.Spec { return famSpec(t, "adam", 0.01, optim.ScheduleSpec{}) }, 0},
		{"adam cosine full", func(t *testing.T) optim.Spec {
			return famSpec(t, "adam", 0.01, optim.ScheduleSpec{Kind: "cosine", MinLR: 1e-4})
		}, 0},
		{"sgd step batch 5", func(t *testing.T) optim.Spec {
			return famSpec(t, "sgd", 0.2, optim.ScheduleSpec{Kind: "step", Gamma: 0.5, StepSize: 8})
		}, 5},
		{"adamw exponential batch 4", func(t *testing.T) optim.Spec {
			return famSpec(t, "adamw", 0.01, optim.ScheduleSpec{Kind: "exponential", Gamma: 0.95})
		}, 4},
		{"padam batch 1", func(t *testing.T) optim.Spec { return famSpec(t, "padam", 0.01, optim.ScheduleSpec{}) }, 1},
		{"adam batch 2 (one-pass step)", func(t *testing.T) optim.Spec { return famSpec(t, "adam", 0.01, optim.ScheduleSpec{}) }, 2},
		{"adam-paper cosine batch 3", func(t *testing.T) optim.Spec {
			return famSpec(t, "adam-paper", 0.01, optim.ScheduleSpec{Kind: "cosine", MinLR: 1e-3})
		}, 3},
		{"gd batch 12 is full", func(t *testing.T) optim.Spec { return famSpec(t, "gd", 0.5, optim.ScheduleSpec{}) }, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, w0 := famLoop(t)
			l.BatchSize = tt.batch
			s := tt.spec(t)
			res, err := l.RunSpec(context.Background(), s, w0)
			if err != nil {
				t.Fatal(err)
			}
			wantW, signs, fullAt := famManual(l, s, w0)
			if !slices.Equal(res.W, wantW) {
				t.Fatalf("last iterate differs from the manual loop (‖·‖∞ %.3g)", maxAbsDiff(res.W, wantW))
			}
			if len(res.Records) != l.Steps/l.LogEvery+1 {
				t.Fatalf("%d rows, want %d", len(res.Records), l.Steps/l.LogEvery+1)
			}
			for _, r := range res.Records {
				e := fullAt[r.Step]
				if r.Loss != e.Loss || r.TrainError != float64(e.Errors)/float64(l.Train.N()) {
					t.Errorf("step %d: loss %v train error %v; full objective %v, %d errors", r.Step, r.Loss, r.TrainError, e.Loss, e.Errors)
				}
				want, measured := signs[r.Step]
				if measured != r.Sign.Measured || (measured && r.Sign != want) {
					t.Errorf("step %d: sign probe %+v, manual %+v (measured %v)", r.Step, r.Sign, want, measured)
				}
			}
			if s.SignLike() && len(signs) == 0 {
				t.Error("no sign probe in the manual loop of a sign-like optimiser; the test checks nothing")
			}
			// With mini-batches the best iterate is a logged one.
			if l.BatchSize > 0 && l.BatchSize < l.Train.N() && res.Best.Step%l.LogEvery != 0 && res.Best.Step != l.Steps {
				t.Errorf("mini-batch best iterate at step %d, not a logged step", res.Best.Step)
			}
		})
	}
}

func maxAbsDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// TestRunSpecConstantIsRun: with the constant schedule, RunSpec and Run
// give the same rows and iterates, apart from the sign probe that Run does
// not take.
func TestRunSpecConstantIsRun(t *testing.T) {
	for _, name := range []string{"adam", "gd", "sgd", "rmsprop"} {
		l, w0 := famLoop(t)
		s := famSpec(t, name, 0.01, optim.ScheduleSpec{})
		a, err := l.RunSpec(context.Background(), s, w0)
		if err != nil {
			t.Fatal(err)
		}
		b, err := l.Run(context.Background(), s.Name, s.New(), s.Norm(), w0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.W, b.W) || a.Best.Step != b.Best.Step {
			t.Errorf("%s: RunSpec and Run differ", name)
		}
		for i := range a.Records {
			ra, rb := a.Records[i], b.Records[i]
			ra.Sign = SignAgreement{}
			if !recordsEqual(ra, rb) {
				t.Errorf("%s row %d: %+v vs %+v", name, i, ra, rb)
			}
		}
	}
}

// recordsEqual compares rows field by field, NaN equal to NaN.
func recordsEqual(a, b Record) bool {
	fa := []float64{a.Loss, a.TrainError, a.TestError, a.FeaturePos, a.FeatureNeg, a.NoiseMinPos, a.NoiseMinNeg, a.NoiseMaxPos, a.NoiseMaxNeg, a.GradL1, a.GradL2Sq}
	fb := []float64{b.Loss, b.TrainError, b.TestError, b.FeaturePos, b.FeatureNeg, b.NoiseMinPos, b.NoiseMinNeg, b.NoiseMaxPos, b.NoiseMaxNeg, b.GradL1, b.GradL2Sq}
	for i := range fa {
		if fa[i] != fb[i] && !(math.IsNaN(fa[i]) && math.IsNaN(fb[i])) {
			return false
		}
	}
	return a.Optimizer == b.Optimizer && a.Step == b.Step && a.Sign == b.Sign
}

// TestMiniBatchDeterministic: the same seed gives the same run; another
// seed another batch order and so other weights; mini-batch differs from
// full batch.
func TestMiniBatchDeterministic(t *testing.T) {
	run := func(seed uint64, batch int) []float64 {
		l, w0 := famLoop(t)
		l.Seed, l.BatchSize = seed, batch
		res, err := l.RunSpec(context.Background(), famSpec(t, "adam", 0.01, optim.ScheduleSpec{}), w0)
		if err != nil {
			t.Fatal(err)
		}
		return res.W
	}
	if !slices.Equal(run(1, 3), run(1, 3)) {
		t.Error("the same seed gave different runs")
	}
	if slices.Equal(run(1, 3), run(2, 3)) {
		t.Error("seeds 1 and 2 gave the same mini-batch run")
	}
	if slices.Equal(run(1, 3), run(1, 0)) {
		t.Error("batch size 3 gave the full-batch run")
	}
	// The seed does not matter for full batch.
	if !slices.Equal(run(1, 0), run(2, 0)) {
		t.Error("the seed changed a full-batch run")
	}
}

// TestSignThresholdScalesWithLR: a larger threshold counts fewer
// coordinates; 0 counts every coordinate with a non-zero gradient.
func TestSignThresholdScalesWithLR(t *testing.T) {
	coords := func(th float64) int {
		l, w0 := famLoop(t)
		l.SignThreshold = th
		res, err := l.RunSpec(context.Background(), famSpec(t, "adam", 0.01, optim.ScheduleSpec{}), w0)
		if err != nil {
			t.Fatal(err)
		}
		return res.Records[1].Sign.Coords
	}
	c0, c1, cBig := coords(0), coords(0.01), coords(1e9)
	if !(c0 > c1 && c1 > 0 && cBig == 0) {
		t.Errorf("coordinates counted at thresholds 0, 0.01η, 1e9η: %d, %d, %d; want decreasing to 0", c0, c1, cBig)
	}
}

func TestRunSpecRejectsInvalid(t *testing.T) {
	l, w0 := famLoop(t)
	s := famSpec(t, "adam", 0.01, optim.ScheduleSpec{})
	s.Schedule = optim.ScheduleSpec{Kind: "step"}
	res, err := l.RunSpec(context.Background(), s, w0)
	if !errors.Is(err, optim.ErrInvalid) || res == nil || res.Err != err {
		t.Errorf("RunSpec with step_size 0: %v (result %+v)", err, res)
	}
}

// TestCSVSignColumns: metrics.csv keeps its first 13 columns and ends with
// sign_agree, sign_coords: empty for GD and on the last row, a fraction
// and a count for Adam.
func TestCSVSignColumns(t *testing.T) {
	l, w0 := famLoop(t)
	var records []Record
	for _, s := range []optim.Spec{famSpec(t, "adam", 0.01, optim.ScheduleSpec{}), famSpec(t, "gd", 0.5, optim.ScheduleSpec{})} {
		res, err := l.RunSpec(context.Background(), s, w0)
		if err != nil {
			t.Fatal(err)
		}
		records = append(records, res.Records...)
	}
	rows := csvRows(t, records)
	if !slices.Equal(rows[0][:13], metricsColumns) || !slices.Equal(rows[0][13:], []string{"sign_agree", "sign_coords"}) {
		t.Fatalf("header %v", rows[0])
	}
	for i, row := range rows[1:] {
		r := records[i]
		last := r.Step == l.Steps
		empty := row[13] == "" && row[14] == ""
		switch {
		case r.Optimizer == "gd" || last:
			if !empty {
				t.Errorf("%s step %d: sign columns %q %q, want empty", r.Optimizer, r.Step, row[13], row[14])
			}
		case row[14] == "" || (row[13] == "") != (r.Sign.Coords == 0):
			t.Errorf("adam step %d: sign columns %q %q for %+v", r.Step, row[13], row[14], r.Sign)
		}
	}
}
