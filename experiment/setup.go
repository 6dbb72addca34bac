package experiment

import (
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

// Prepare validates the configuration and draws or loads the training set,
// the test set and W₀. With DataFrom, n and d are taken from the file (and
// recorded in Setup.Config); the test set is drawn from the configured
// distribution with the file's d.
func Prepare(cfg config.Config) (*Setup, error) {
	s := &Setup{}
	if cfg.DataFrom != "" {
		set, err := loadData(cfg.DataFrom)
		if err != nil {
			return nil, err
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
	pm := cfg.PatchModel()
	var err error
	if s.Train == nil {
		if s.Train, err = pm.Train(cfg.N, RNG(cfg.Seed, stream.TrainData)); err != nil {
			return nil, err
		}
	}
	if s.Test, err = pm.Test(cfg.TestSize, RNG(cfg.Seed, stream.TestData)); err != nil {
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

func loadData(path string) (*data.Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data_from: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("data_from: %w", err)
	}
	set, err := data.ReadNPZ(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("data_from %s: %w", path, err)
	}
	if set.N()%2 != 0 {
		return nil, fmt.Errorf("%w: data_from %s: n=%d must be even", config.ErrInvalid, path, set.N())
	}
	return set, nil
}
