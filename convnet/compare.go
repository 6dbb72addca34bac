package convnet

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/adamgap/adamgap/internal/pool"
	"github.com/adamgap/adamgap/internal/stream"
	"github.com/adamgap/adamgap/progress"
)

// Config is a comparison of optimisers: for each seed, every optimiser
// starts from the same initial weights (Net.Init with the seed's stream
// stream.ConvnetInit) and visits the training set in the same mini-batch
// order (stream.ConvnetBatches).
type Config struct {
	Net    Net     `json:"net"`
	Lambda float64 `json:"lambda"` // coupled weight decay λ ≥ 0
	Batch  int     `json:"batch"`  // mini-batch size ≥ 1
	Epochs int     `json:"epochs"` // passes over the training set ≥ 1
	Cutoff float64 `json:"cutoff"` // HighFreqShare's cut-off, cycles per pixel, in (0, 0.7)
	// ConvInit multiplies the convolution's initial weights and biases
	// (PyTorch's default, see Net.Init); 0 means 1.
	ConvInit   float64     `json:"conv_init"`
	Optimizers []Optimizer `json:"optimizers"`
	Seeds      []uint64    `json:"seeds"`
}

// Validate returns an error naming the first setting out of range.
func (c Config) Validate() error {
	if err := c.Net.Validate(); err != nil {
		return err
	}
	switch {
	case !(c.Lambda >= 0) || math.IsInf(c.Lambda, 1):
		return fmt.Errorf("%w: lambda=%g must be non-negative and finite", ErrInvalid, c.Lambda)
	case c.Batch < 1:
		return fmt.Errorf("%w: batch=%d must be at least 1", ErrInvalid, c.Batch)
	case c.Epochs < 1:
		return fmt.Errorf("%w: epochs=%d must be at least 1", ErrInvalid, c.Epochs)
	case !(c.Cutoff > 0 && c.Cutoff < 0.7):
		return fmt.Errorf("%w: cutoff=%g must lie in (0, 0.7) cycles per pixel", ErrInvalid, c.Cutoff)
	case !(c.ConvInit >= 0) || math.IsInf(c.ConvInit, 1):
		return fmt.Errorf("%w: conv_init=%g must be non-negative and finite (0 means 1)", ErrInvalid, c.ConvInit)
	case len(c.Optimizers) == 0:
		return fmt.Errorf("%w: no optimizers (known: adam, sgd, sgd-momentum)", ErrInvalid)
	case len(c.Seeds) == 0:
		return fmt.Errorf("%w: no seeds", ErrInvalid)
	}
	for _, o := range c.Optimizers {
		if err := o.Validate(); err != nil {
			return err
		}
	}
	for i, s := range c.Seeds {
		if slices.Contains(c.Seeds[:i], s) {
			return fmt.Errorf("%w: seed %d is listed twice", ErrInvalid, s)
		}
	}
	return nil
}

// RNG returns the generator of stream s of seed (stream.ConvnetInit: the
// initial weights, stream.ConvnetBatches: the mini-batch order; every
// stream is listed in internal/stream).
func RNG(seed, s uint64) *rand.Rand { return stream.New(seed, s) }

// Run is one optimiser trained from one seed.
type Run struct {
	Seed          uint64    `json:"seed"`
	Optimizer     Optimizer `json:"optimizer"`
	TrainAccuracy float64   `json:"train_accuracy"` // of the final weights on the whole training set
	TestAccuracy  float64   `json:"test_accuracy"`
	TrainLoss     float64   `json:"train_loss"` // cross-entropy + (λ/2)‖w‖² of the final weights
	Noisiness     Noisiness `json:"noisiness"`  // of the final first-layer filters
	// UpdateNoisiness is that of what training added to the filters,
	// w_T − w_0, without the initial weights' white noise.
	UpdateNoisiness Noisiness `json:"update_noisiness"`
	Epochs          []Epoch   `json:"epochs"`
	Seconds         float64   `json:"seconds"`
	Weights         []float64 `json:"-"` // final weights, layout of Net
}

// Init is a seed's initial weights, shared by its runs.
type Init struct {
	Seed      uint64    `json:"seed"`
	Noisiness Noisiness `json:"noisiness"`
	Weights   []float64 `json:"-"`
}

// Comparison is what Compare measured.
type Comparison struct {
	Config Config `json:"config"`
	Inits  []Init `json:"inits"` // one per seed, in Config.Seeds order
	Runs   []Run  `json:"runs"`  // seed-major: Runs[s·len(Optimizers)+o]
}

// Run returns the run of seed index s and optimiser index o.
func (c *Comparison) Run(s, o int) *Run { return &c.Runs[s*len(c.Config.Optimizers)+o] }

// Compare trains every optimiser of cfg from every seed, up to jobs runs at
// a time (0: one per CPU), and measures accuracy and filter noisiness. The
// results do not depend on jobs. rec, if not nil, is told of every
// optimiser step (Task "figure1", Unit "steps"), from several goroutines at
// once. On error Compare returns the first one and nil.
func Compare(ctx context.Context, cfg Config, train, test *Data, jobs int, rec progress.Recorder) (*Comparison, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Comparison{Config: cfg, Runs: make([]Run, len(cfg.Seeds)*len(cfg.Optimizers))}
	for _, s := range cfg.Seeds {
		w0 := make([]float64, cfg.Net.Len())
		cfg.Net.Init(w0, RNG(s, stream.ConvnetInit))
		if cfg.ConvInit != 0 {
			conv, cb, _, _ := cfg.Net.parts(w0)
			for i := range conv {
				conv[i] *= cfg.ConvInit
			}
			for i := range cb {
				cb[i] *= cfg.ConvInit
			}
		}
		c.Inits = append(c.Inits, Init{Seed: s, Noisiness: cfg.Net.FilterNoisiness(w0, cfg.Cutoff), Weights: w0})
	}
	tr := Trainer{Net: cfg.Net, Lambda: cfg.Lambda, Batch: cfg.Batch, Epochs: cfg.Epochs, Cutoff: cfg.Cutoff}
	var step func()
	if rec != nil {
		count := &progress.Counter{R: rec, Task: "figure1", Unit: "steps", Total: len(c.Runs) * tr.Steps(train.Len())}
		count.Start("")
		step = func() { count.Step("", false, nil) }
	}
	// The first failure stops the others: it alone is returned.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
	)
	err := pool.Run(ctx, len(c.Runs), jobs, func(ctx context.Context, i int) error {
		si, oi := i/len(cfg.Optimizers), i%len(cfg.Optimizers)
		r, err := trainOne(ctx, tr, cfg, c.Inits[si], cfg.Optimizers[oi], train, test, step)
		if err != nil {
			mu.Lock()
			if firstErr == nil {
				firstErr = fmt.Errorf("convnet: %s, seed %d: %w", cfg.Optimizers[oi].Label(), cfg.Seeds[si], err)
				cancel()
			}
			mu.Unlock()
			return err
		}
		c.Runs[i] = r
		return nil
	})
	switch {
	case firstErr != nil:
		return nil, firstErr
	case err != nil:
		return nil, err
	}
	return c, nil
}

func trainOne(ctx context.Context, tr Trainer, cfg Config, init Init, o Optimizer, train, test *Data, step func()) (Run, error) {
	start := time.Now()
	w := slices.Clone(init.Weights)
	hist, err := tr.Run(ctx, o.New(), w, train, RNG(init.Seed, stream.ConvnetBatches), step)
	if err != nil {
		return Run{}, err
	}
	r := Run{Seed: init.Seed, Optimizer: o, Epochs: hist, Weights: w}
	r.TrainLoss, r.TrainAccuracy = Evaluate(cfg.Net, cfg.Lambda, w, train)
	_, r.TestAccuracy = Evaluate(cfg.Net, cfg.Lambda, w, test)
	r.Noisiness = cfg.Net.FilterNoisiness(w, cfg.Cutoff)
	delta := slices.Clone(w)
	for i, v := range init.Weights {
		delta[i] -= v
	}
	r.UpdateNoisiness = cfg.Net.FilterNoisiness(delta, cfg.Cutoff)
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}
