package experiment

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/stream"
)

// RNG returns the generator of one stream of a seed. The training data,
// the test data and W₀ come from independent streams (stream.TrainData,
// TestData, InitWeights; every stream is listed in internal/stream), so
// changing the test-set size does not change the training data or W₀.
func RNG(seed, s uint64) *rand.Rand { return stream.New(seed, s) }

// Setup is what every optimiser of a configuration shares.
type Setup struct {
	Config config.Config
	Train  *data.Set
	Test   *data.Set
	W0     []float64 // internal layout (see package model)
	// TestFrom says where the test set came from: "data_from PATH" when
	// the data file carries one (X_test/y_test or the sparse test arrays),
	// else "drawn from the configured model (…)" naming its parameters.
	TestFrom string
}

// TestDrawn reports whether the test set was drawn from the configured
// model although the training set came from a file: the test error then
// measures the configured distribution, not the file's.
func (s *Setup) TestDrawn() bool {
	return s.Config.DataFrom != "" && !strings.HasPrefix(s.TestFrom, "data_from")
}

// FileSets reports whether both the training and the test set came from
// the data file (data_from with X_test/y_test): then the configured
// model's s, sigma_p and alpha describe neither.
func (s *Setup) FileSets() bool {
	return s.Config.DataFrom != "" && !s.TestDrawn()
}

// UnusedNote is a note on the keys s, sigma_p and alpha when they are set
// to other than the paper's values (config.Paper) but the run does not use
// them, its data file holding both sets; "" otherwise. They are not
// refused, as noise, signal_norm and label_noise are: every config.yaml
// records them, so a run's config.yaml replayed on its own data.npz
// (which holds its test set) carries them, and with d ≤ 100 an s below
// the paper's is needed for config.yaml to be valid.
func (s *Setup) UnusedNote() string {
	if !s.FileSets() {
		return ""
	}
	c, p := s.Config, config.Paper()
	var set []string
	if c.S != p.S {
		set = append(set, fmt.Sprintf("s=%d", c.S))
	}
	if c.SigmaP != p.SigmaP {
		set = append(set, fmt.Sprintf("sigma_p=%g", c.SigmaP))
	}
	if c.Alpha != p.Alpha {
		set = append(set, fmt.Sprintf("alpha=%g", c.Alpha))
	}
	if len(set) == 0 {
		return ""
	}
	return fmt.Sprintf("note: %s not used: data_from %s holds its own training and test sets, and these keys only shape data drawn from the configured model (config.yaml records them as given)",
		strings.Join(set, ", "), c.DataFrom)
}

// Limits bound what Prepare may allocate.
type Limits struct {
	// MaxMemory is the most bytes a run may need (config.Config.Estimate);
	// 0 means config.DefaultMaxMemory().
	MaxMemory int64
	// Jobs is the number of optimisers trained at once (≤ 0: all).
	Jobs int
}

// Prepare is PrepareContext with no cancellation and the default limits.
func Prepare(cfg config.Config) (*Setup, error) {
	return PrepareContext(context.Background(), cfg, Limits{})
}

// PrepareContext validates the configuration, checks its memory estimate
// against the limit (an error wrapping config.ErrTooLarge) and draws or
// loads the training set, the test set and W₀, stopping with ctx's error
// once ctx is done. With DataFrom, n and d are taken from the file (and
// recorded in Setup.Config): a configured n or d other than 0 must equal
// the file's. The test set is the file's when it carries one (then
// test_size is the file's too), else drawn from the configured
// distribution with the file's d (Setup.TestFrom says which).
func PrepareContext(ctx context.Context, cfg config.Config, lim Limits) (*Setup, error) {
	if lim.MaxMemory <= 0 {
		lim.MaxMemory = config.DefaultMaxMemory()
	}
	s := &Setup{}
	if cfg.DataFrom != "" {
		set, test, err := loadData(cfg.DataFrom, lim.MaxMemory)
		if err != nil {
			return nil, err
		}
		if cfg.N != 0 && cfg.N != set.N() {
			return nil, fmt.Errorf("%w: n=%d conflicts with data_from %s, which holds n=%d examples; leave n unset to take it from the file", config.ErrInvalid, cfg.N, cfg.DataFrom, set.N())
		}
		if cfg.D != 0 && cfg.D != set.D {
			return nil, fmt.Errorf("%w: d=%d conflicts with data_from %s, whose patches have d=%d; leave d unset to take it from the file", config.ErrInvalid, cfg.D, cfg.DataFrom, set.D)
		}
		cfg.D, cfg.N = set.D, set.N()
		if test != nil {
			if err := unusedWithFileTest(cfg); err != nil {
				return nil, err
			}
			cfg.TestSize = test.N()
			s.Test, s.TestFrom = test, "data_from "+cfg.DataFrom
		}
		if cfg.PatchModel().Noise != data.Gaussian && cfg.S > cfg.D-1 {
			if test != nil {
				// s shapes nothing here, but config.yaml must hold a
				// configuration that validates.
				return nil, fmt.Errorf("%w: s=%d must be at most d-1=%d (d from %s; s is not used with the file's test set, but the run's config.yaml must be valid: give s=%d or less)", config.ErrInvalid, cfg.S, cfg.D-1, cfg.DataFrom, cfg.D-1)
			}
			return nil, fmt.Errorf("%w: s=%d must be at most d-1=%d (d from %s, used for the test set)", config.ErrInvalid, cfg.S, cfg.D-1, cfg.DataFrom)
		}
		s.Train = set
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Estimate(lim.Jobs).Check(lim.MaxMemory); err != nil {
		return nil, err
	}
	pm := cfg.PatchModel()
	var err error
	if s.Train == nil {
		if s.Train, err = pm.TrainFlips(ctx, cfg.N, RNG(cfg.Seed, stream.TrainData), RNG(cfg.Seed, stream.TrainFlips)); err != nil {
			return nil, err
		}
	}
	if s.Test == nil {
		if s.Test, err = pm.TestFlips(ctx, cfg.TestSize, data.Labels(cfg.TestLabels), RNG(cfg.Seed, stream.TestData), RNG(cfg.Seed, stream.TestFlips)); err != nil {
			return nil, err
		}
		s.TestFrom = fmt.Sprintf("drawn from the configured model (%v, test_size=%d, test_labels=%s, seed=%d)", pm, cfg.TestSize, cmp.Or(cfg.TestLabels, string(data.Coin)), cfg.Seed)
	}
	cnn := cfg.CNN()
	if cfg.InitFrom != "" {
		f, err := os.Open(cfg.InitFrom)
		if err != nil {
			return nil, fmt.Errorf("init_from: %w", err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil, fmt.Errorf("init_from: %w", err)
		}
		if s.W0, err = cnn.ReadNPZ(f, st.Size(), "W0"); err != nil {
			return nil, fmt.Errorf("init_from %s: %w", cfg.InitFrom, err)
		}
	} else {
		s.W0 = cnn.Init(cfg.Sigma0, RNG(cfg.Seed, stream.InitWeights))
	}
	s.Config = cfg
	return s, nil
}

// loadData reads the training set of a data file and its test set, nil
// when it has none.
func loadData(path string, maxBytes int64) (train, test *data.Set, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("data_from: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("data_from: %w", err)
	}
	train, test, err = data.ReadNPZSets(f, st.Size(), maxBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("data_from %s: %w", path, err)
	}
	if train.N()%2 != 0 {
		return nil, nil, fmt.Errorf("%w: data_from %s: n=%d must be even", config.ErrInvalid, path, train.N())
	}
	return train, test, nil
}

// unusedWithFileTest refuses the keys that only shape a test set drawn from
// the configured model (noise, signal_norm, label_noise) when data_from
// holds both sets: set to anything but their defaults, they would be
// ignored without a word.
func unusedWithFileTest(cfg config.Config) error {
	why := fmt.Sprintf("has no effect: data_from %s holds its own training and test sets, and this key only shapes a test set drawn from the configured model", cfg.DataFrom)
	switch {
	case cfg.Noise != "" && cfg.Noise != string(data.Sparse):
		return fmt.Errorf("%w: noise=%s %s; allowed: unset (sparse)", config.ErrInvalid, cfg.Noise, why)
	case cfg.SignalNorm != 0 && cfg.SignalNorm != 1:
		return fmt.Errorf("%w: signal_norm=%g %s; allowed: unset (1)", config.ErrInvalid, cfg.SignalNorm, why)
	case cfg.LabelNoise != 0:
		return fmt.Errorf("%w: label_noise=%g %s (a file's labels are trained and tested on as they are; y_test_clean names clean test labels); allowed: unset (0)", config.ErrInvalid, cfg.LabelNoise, why)
	}
	return nil
}
