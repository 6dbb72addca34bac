package paper

import (
	"context"
	"errors"
	"math"
	"os"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/convnet"
	"github.com/adamgap/adamgap/progress"
)

// TestInvalidOptions: zero-value and nonsense options of every experiment
// are refused before any work with an error wrapping ErrInvalid (and the
// other package's ErrInvalid where that package judged them), never a
// panic, a run or a silent default.
func TestInvalidOptions(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, tc := range []struct {
		name string
		run  func(ctx context.Context) error
		also error // the other package's sentinel, if any
	}{
		{"Check zero", call(Check, CheckOptions{}, nil), nil},
		{"Check bad config", call(Check, DefaultCheck(), func(o *CheckOptions) { o.Config.D = 0 }), config.ErrInvalid},
		{"Check no optimiser", call(Check, DefaultCheck(), func(o *CheckOptions) { o.Config.Optimizers = nil }), config.ErrInvalid},
		{"Table1 zero", call(Table1, Table1Options{}, nil), config.ErrInvalid},
		{"Table1 jobs", call(Table1, DefaultTable1(), func(o *Table1Options) { o.Jobs = -1 }), nil},
		{"Convex zero", call(Convex, ConvexOptions{}, nil), nil},
		{"Convex lr-adam Inf", call(Convex, DefaultConvex(), func(o *ConvexOptions) { o.LRAdam = inf }), nil},
		{"Convex test-size", call(Convex, DefaultConvex(), func(o *ConvexOptions) { o.TestSize = -1 }), nil},
		{"Convex jobs", call(Convex, DefaultConvex(), func(o *ConvexOptions) { o.Jobs = -2 }), nil},
		{"Lemmas zero", call(Lemmas, LemmasOptions{}, nil), nil},
		{"Lemmas steps-eta Inf", call(Lemmas, DefaultLemmas(), func(o *LemmasOptions) { o.StepsEta = inf }), nil},
		{"Lemmas tiny eta", call(Lemmas, DefaultLemmas(), func(o *LemmasOptions) { o.Etas = []float64{1e-300} }), nil},
		{"Lemmas test-size", call(Lemmas, DefaultLemmas(), func(o *LemmasOptions) { o.TestSize = 0 }), nil},
		{"Stochastic zero", call(Stochastic, StochasticOptions{}, nil), nil},
		{"Stochastic epochs overflow", call(Stochastic, DefaultStochastic(), func(o *StochasticOptions) { o.Epochs = math.MaxInt / 2 }), nil},
		{"Stochastic seeds wrap", call(Stochastic, DefaultStochastic(), func(o *StochasticOptions) { o.FirstSeed = math.MaxUint64 }), nil},
		{"Stochastic jobs", call(Stochastic, DefaultStochastic(), func(o *StochasticOptions) { o.Jobs = -1 }), nil},
		{"Figure1 zero", call(Figure1, Figure1Options{}, nil), nil},
		{"Figure1 cutoff NaN", call(Figure1, DefaultFigure1(), func(o *Figure1Options) { o.Cutoff = nan }), convnet.ErrInvalid},
		{"Figure1 jobs", call(Figure1, DefaultFigure1(), func(o *Figure1Options) { o.Jobs = -1 }), nil},
		{"Phase jobs", call(Phase, PhaseOptions{Dir: t.TempDir(), Jobs: -1, Quick: true}, nil), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A cancelled context: an option that slipped through would
			// start work (and leave files) instead of failing at once.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			wd, _ := os.Getwd()
			before, _ := os.ReadDir(wd)
			err := tc.run(ctx)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want one wrapping paper.ErrInvalid", err)
			}
			if tc.also != nil && !errors.Is(err, tc.also) {
				t.Errorf("err = %v, want it to wrap %v too", err, tc.also)
			}
			if after, _ := os.ReadDir(wd); len(after) != len(before) {
				t.Errorf("the call left files in the working folder")
			}
		})
	}
}

// call returns a call of the experiment run with options o changed by mod
// (when not nil), without a recorder.
func call[O, R any](run func(context.Context, O, progress.Recorder) (R, error), o O, mod func(*O)) func(context.Context) error {
	return func(ctx context.Context) error {
		if mod != nil {
			mod(&o)
		}
		_, err := run(ctx, o, nil)
		return err
	}
}

// TestAsInvalidKeepsMessage: another package's error marked as ErrInvalid
// reads as before.
func TestAsInvalidKeepsMessage(t *testing.T) {
	err := config.Config{}.Validate()
	got := asInvalid(err)
	if got.Error() != err.Error() || !errors.Is(got, ErrInvalid) || !errors.Is(got, config.ErrInvalid) {
		t.Errorf("asInvalid(%q) = %q (paper %v, config %v)", err, got, errors.Is(got, ErrInvalid), errors.Is(got, config.ErrInvalid))
	}
	if plain := errors.New("disk full"); asInvalid(plain) != plain {
		t.Errorf("asInvalid marked an unrelated error")
	}
}
