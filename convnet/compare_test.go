package convnet

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/progress"
)

// reduced is a configuration that trains in a second or two.
func reduced(seeds ...uint64) Config {
	return Config{
		Net:    Net{Side: 28, Kernel: 5, Filters: 4, Pool: 2, Classes: 10},
		Lambda: 5e-4, Batch: 64, Epochs: 1, Cutoff: 0.25,
		Optimizers: []Optimizer{
			{Name: "adam", LR: 1e-3},
			{Name: "sgd", LR: 0.05},
			{Name: "sgd-momentum", LR: 0.05, Momentum: 0}, // μ=0: must repeat sgd step for step
		},
		Seeds: seeds,
	}
}

func loadMNIST(t *testing.T) (train, test *Data) {
	t.Helper()
	train, test, std, err := MNIST(200)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 8000 || test.Len() != 2000 || !(std.SD > 0) {
		t.Fatalf("MNIST: %d train, %d test, %+v", train.Len(), test.Len(), std)
	}
	return train, test
}

// TestCompareTrains checks that one epoch of every optimiser learns MNIST
// far above chance (0.1), that all runs of a seed share their start and
// mini-batches (sgd-momentum with μ=0 equals sgd exactly), and that the
// results do not depend on the number of concurrent jobs.
func TestCompareTrains(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 8,000 images")
	}
	train, test := loadMNIST(t)
	train, test = every(train, 4), every(test, 2) // 2,000 and 1,000 images
	cfg := reduced(7, 8)
	cfg.Epochs = 2
	var steps atomic.Int64
	c, err := Compare(context.Background(), cfg, train, test, 2, progress.RecorderFunc(func(u progress.Update) {
		if u.Done > 0 {
			steps.Add(1)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if want := len(cfg.Seeds) * len(cfg.Optimizers) * cfg.Epochs * 32; steps.Load() != int64(want) {
		t.Errorf("step called %d times, want %d", steps.Load(), want)
	}
	for _, r := range c.Runs {
		if r.TrainAccuracy < 0.8 || r.TestAccuracy < 0.8 {
			t.Errorf("%s seed %d: train %.3f test %.3f, want both above 0.8 (chance 0.1)", r.Optimizer.Name, r.Seed, r.TrainAccuracy, r.TestAccuracy)
		}
		if len(r.Epochs) != cfg.Epochs || r.Epochs[0].Loss <= 0 || r.Epochs[cfg.Epochs-1].Noisiness == nil {
			t.Fatalf("%s: epochs %+v", r.Optimizer.Name, r.Epochs)
		}
		if last := r.Epochs[cfg.Epochs-1]; *last.Noisiness != r.Noisiness || last.Update == nil || *last.Update != r.UpdateNoisiness {
			t.Errorf("%s: last epoch's noisiness %+v, final %+v", r.Optimizer.Name, *r.Epochs[cfg.Epochs-1].Noisiness, r.Noisiness)
		}
		if r.Noisiness.HighFreq <= 0 || r.Noisiness.HighFreq >= 1 {
			t.Errorf("%s: high-frequency share %v outside (0,1)", r.Optimizer.Name, r.Noisiness.HighFreq)
		}
	}
	for s := range cfg.Seeds {
		if !slices.Equal(c.Run(s, 1).Weights, c.Run(s, 2).Weights) {
			t.Errorf("seed %d: sgd and sgd-momentum with μ=0 differ: not the same start or batches", cfg.Seeds[s])
		}
		if slices.Equal(c.Run(s, 0).Weights, c.Run(s, 1).Weights) {
			t.Errorf("seed %d: adam and sgd ended at the same weights", cfg.Seeds[s])
		}
	}
	if slices.Equal(c.Inits[0].Weights, c.Inits[1].Weights) {
		t.Error("two seeds drew the same initial weights")
	}
	one := reduced(8)
	one.Epochs = cfg.Epochs
	one.Optimizers = one.Optimizers[:1]
	c1, err := Compare(context.Background(), one, train, test, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c1.Runs[0].Weights, c.Run(1, 0).Weights) {
		t.Error("adam, seed 8: weights depend on jobs or on the other runs")
	}
	sum := c.Summaries()
	if len(sum) != 3 || sum[0].TestAccuracy.Mean != (c.Run(0, 0).TestAccuracy+c.Run(1, 0).TestAccuracy)/2 {
		t.Errorf("summary %+v", sum)
	}
	p := c.Pair(0, 1)
	if p.Verdict == "" {
		t.Error("no verdict")
	}
	if d := c.Run(0, 0).Noisiness.HighFreq - c.Run(0, 1).Noisiness.HighFreq + c.Run(1, 0).Noisiness.HighFreq - c.Run(1, 1).Noisiness.HighFreq; math.Abs(p.HighFreqDiff.Mean-d/2) > 1e-12 {
		t.Errorf("paired difference %v, want %v", p.HighFreqDiff.Mean, d/2)
	}
}

// every returns every n-th image of d (d is ordered by digit, so the
// classes keep their shares).
func every(d *Data, n int) *Data {
	px := len(d.X) / d.Len()
	out := &Data{}
	for i := 0; i < d.Len(); i += n {
		out.X = append(out.X, d.X[i*px:(i+1)*px]...)
		out.Y = append(out.Y, d.Y[i])
	}
	return out
}

func TestCompareErrors(t *testing.T) {
	train := &Data{X: make([]float64, 2*28*28), Y: []byte{0, 1}}
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"no seeds", func(c *Config) { c.Seeds = nil }},
		{"duplicate seed", func(c *Config) { c.Seeds = []uint64{1, 1} }},
		{"no optimizers", func(c *Config) { c.Optimizers = nil }},
		{"bad lr", func(c *Config) { c.Optimizers[0].LR = -1 }},
		{"batch", func(c *Config) { c.Batch = 0 }},
		{"epochs", func(c *Config) { c.Epochs = 0 }},
		{"lambda", func(c *Config) { c.Lambda = math.NaN() }},
		{"cutoff", func(c *Config) { c.Cutoff = 0 }},
		{"kernel", func(c *Config) { c.Net.Kernel = 0 }},
		{"conv init", func(c *Config) { c.ConvInit = -1 }},
	} {
		cfg := reduced(1)
		tc.edit(&cfg)
		if _, err := Compare(context.Background(), cfg, train, train, 1, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v, want ErrInvalid", tc.name, err)
		}
	}
}

// TestDivergence checks that an absurd learning rate ends in an error, not
// in NaN results.
func TestDivergence(t *testing.T) {
	train, test := loadMNIST(t)
	cfg := reduced(1)
	cfg.Optimizers = []Optimizer{{Name: "sgd", LR: 1e6}}
	if _, err := Compare(context.Background(), cfg, train, test, 1, nil); !errors.Is(err, optim.ErrDiverged) {
		t.Errorf("lr=1e6: error %v, want optim.ErrDiverged", err)
	}
}

func TestCompareCancel(t *testing.T) {
	train, test := loadMNIST(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Compare(ctx, reduced(1), train, test, 1, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v", err)
	}
}

func TestTrainerErrors(t *testing.T) {
	net := Net{Side: 4, Kernel: 2, Filters: 1, Pool: 1, Classes: 2}
	w := make([]float64, net.Len())
	good := &Data{X: make([]float64, 2*16), Y: []byte{0, 1}}
	for _, tc := range []struct {
		name string
		tr   Trainer
		d    *Data
	}{
		{"empty data", Trainer{Net: net, Batch: 1, Epochs: 1}, &Data{}},
		{"pixels", Trainer{Net: net, Batch: 1, Epochs: 1}, &Data{X: make([]float64, 15), Y: []byte{0}}},
		{"batch", Trainer{Net: net, Batch: 0, Epochs: 1}, good},
		{"epochs", Trainer{Net: net, Batch: 1, Epochs: 0}, good},
		{"lambda", Trainer{Net: net, Batch: 1, Epochs: 1, Lambda: -1}, good},
	} {
		_, err := tc.tr.Run(context.Background(), Optimizer{Name: "sgd", LR: 0.1}.New(), w, tc.d, RNG(1, 2), nil)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v, want ErrInvalid", tc.name, err)
		}
	}
	if _, err := (Trainer{Net: net, Batch: 1, Epochs: 2}).Run(context.Background(), Optimizer{Name: "sgd", LR: 0.1}.New(), w, good, RNG(1, 2), nil); err != nil {
		t.Errorf("valid run: %v", err)
	}
}

func TestPairedVerdict(t *testing.T) {
	for _, tc := range []struct {
		p    Paired
		want string
	}{
		{Paired{Seeds: 3, NoisierSeeds: 3, HighFreqDiff: Stat{Mean: 0.1, SD: 0.05}}, "noisier"}, // 2·0.05/√3 = 0.058
		{Paired{Seeds: 3, NoisierSeeds: 3, HighFreqDiff: Stat{Mean: 0.05, SD: 0.05}}, "no consistent difference"},
		{Paired{Seeds: 3, NoisierSeeds: 2, HighFreqDiff: Stat{Mean: 0.1, SD: 0.01}}, "no consistent difference"},
		{Paired{Seeds: 4, NoisierSeeds: 0, HighFreqDiff: Stat{Mean: -0.1, SD: 0.05}}, "smoother"},
		{Paired{Seeds: 1, NoisierSeeds: 1, HighFreqDiff: Stat{Mean: 0.5}}, "no consistent difference (one seed)"},
	} {
		if got := tc.p.verdict(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
}
