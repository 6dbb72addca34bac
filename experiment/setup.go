package experiment

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"

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
// the file's. The test set is drawn from the configured distribution with
// the file's d.
func PrepareContext(ctx context.Context, cfg config.Config, lim Limits) (*Setup, error) {
	if lim.MaxMemory <= 0 {
		lim.MaxMemory = config.DefaultMaxMemory()
	}
	s := &Setup{}
	if cfg.DataFrom != "" {
		set, err := loadData(cfg.DataFrom, lim.MaxMemory)
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
		if cfg.S > cfg.D-1 {
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
		if s.Train, err = pm.TrainContext(ctx, cfg.N, RNG(cfg.Seed, stream.TrainData)); err != nil {
			return nil, err
		}
	}
	if s.Test, err = pm.TestContext(ctx, cfg.TestSize, RNG(cfg.Seed, stream.TestData)); err != nil {
		return nil, err
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

func loadData(path string, maxBytes int64) (*data.Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data_from: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("data_from: %w", err)
	}
	set, err := data.ReadNPZMax(f, st.Size(), maxBytes)
	if err != nil {
		return nil, fmt.Errorf("data_from %s: %w", path, err)
	}
	if set.N()%2 != 0 {
		return nil, fmt.Errorf("%w: data_from %s: n=%d must be even", config.ErrInvalid, path, set.N())
	}
	return set, nil
}
