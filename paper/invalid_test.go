package paper

import (
	"context"
	"errors"
	"math"
	"os"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/convnet"
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
		{"Check zero", func(ctx context.Context) error { _, err := Check(ctx, CheckOptions{}, nil); return err }, nil},
		{"Check bad config", func(ctx context.Context) error {
			o := DefaultCheck()
			o.Config.D = 0
			_, err := Check(ctx, o, nil)
			return err
		}, config.ErrInvalid},
		{"Check no optimiser", func(ctx context.Context) error {
			o := DefaultCheck()
			o.Config.Optimizers = nil
			_, err := Check(ctx, o, nil)
			return err
		}, config.ErrInvalid},
		{"Table1 zero", func(ctx context.Context) error { _, err := Table1(ctx, Table1Options{}, nil); return err }, config.ErrInvalid},
		{"Table1 jobs", func(ctx context.Context) error {
			o := DefaultTable1()
			o.Jobs = -1
			_, err := Table1(ctx, o, nil)
			return err
		}, nil},
		{"Convex zero", func(ctx context.Context) error { _, err := Convex(ctx, ConvexOptions{}, nil); return err }, nil},
		{"Convex lr-adam Inf", func(ctx context.Context) error {
			o := DefaultConvex()
			o.LRAdam = inf
			_, err := Convex(ctx, o, nil)
			return err
		}, nil},
		{"Convex test-size", func(ctx context.Context) error {
			o := DefaultConvex()
			o.TestSize = -1
			_, err := Convex(ctx, o, nil)
			return err
		}, nil},
		{"Convex jobs", func(ctx context.Context) error {
			o := DefaultConvex()
			o.Jobs = -2
			_, err := Convex(ctx, o, nil)
			return err
		}, nil},
		{"Lemmas zero", func(ctx context.Context) error { _, err := Lemmas(ctx, LemmasOptions{}, nil); return err }, nil},
		{"Lemmas steps-eta Inf", func(ctx context.Context) error {
			o := DefaultLemmas()
			o.StepsEta = inf
			_, err := Lemmas(ctx, o, nil)
			return err
		}, nil},
		{"Lemmas tiny eta", func(ctx context.Context) error {
			o := DefaultLemmas()
			o.Etas = []float64{1e-300}
			_, err := Lemmas(ctx, o, nil)
			return err
		}, nil},
		{"Lemmas test-size", func(ctx context.Context) error {
			o := DefaultLemmas()
			o.TestSize = 0
			_, err := Lemmas(ctx, o, nil)
			return err
		}, nil},
		{"Stochastic zero", func(ctx context.Context) error { _, err := Stochastic(ctx, StochasticOptions{}, nil); return err }, nil},
		{"Stochastic epochs overflow", func(ctx context.Context) error {
			o := DefaultStochastic()
			o.Epochs = math.MaxInt / 2
			_, err := Stochastic(ctx, o, nil)
			return err
		}, nil},
		{"Stochastic seeds wrap", func(ctx context.Context) error {
			o := DefaultStochastic()
			o.FirstSeed = math.MaxUint64
			_, err := Stochastic(ctx, o, nil)
			return err
		}, nil},
		{"Stochastic jobs", func(ctx context.Context) error {
			o := DefaultStochastic()
			o.Jobs = -1
			_, err := Stochastic(ctx, o, nil)
			return err
		}, nil},
		{"Figure1 zero", func(ctx context.Context) error { _, err := Figure1(ctx, Figure1Options{}, nil); return err }, nil},
		{"Figure1 cutoff NaN", func(ctx context.Context) error {
			o := DefaultFigure1()
			o.Cutoff = nan
			_, err := Figure1(ctx, o, nil)
			return err
		}, convnet.ErrInvalid},
		{"Figure1 jobs", func(ctx context.Context) error {
			o := DefaultFigure1()
			o.Jobs = -1
			_, err := Figure1(ctx, o, nil)
			return err
		}, nil},
		{"Phase jobs", func(ctx context.Context) error {
			_, err := Phase(ctx, PhaseOptions{Dir: t.TempDir(), Jobs: -1, Quick: true}, nil)
			return err
		}, nil},
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
