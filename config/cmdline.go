package config

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/adamgap/adamgap/optim"
)

// Flags binds one command-line flag per configuration field (the adamgap
// command's run and check): flag names are the YAML keys with '-' for '_',
// the optimisers' hyper-parameters come from optim's tables (HyperFlags).
// Only flags the user set override the configuration they are applied to.
type Flags struct {
	c          Config
	optimizers string
	hyper      *HyperFlags
	sched      optim.ScheduleSpec
	file       string
}

// Register adds the flags to fs.
func (f *Flags) Register(fs *pflag.FlagSet) {
	p := Paper()
	fs.StringVar(&f.file, "config", "", "YAML configuration file (as written to DIR/config.yaml); flags override it")
	fs.IntVar(&f.c.D, "d", p.D, "patch dimension d")
	fs.IntVar(&f.c.N, "n", p.N, "training examples n (even: n/2 per class)")
	fs.IntVar(&f.c.S, "s", p.S, "noise sparsity s (at most d-1)")
	fs.Float64Var(&f.c.SigmaP, "sigma-p", p.SigmaP, "noise standard deviation σp (> 0)")
	fs.Float64Var(&f.c.Alpha, "alpha", p.Alpha, "feature-noise strength α (>= 0)")
	fs.IntVar(&f.c.TestSize, "test-size", p.TestSize, "fresh test examples")
	fs.IntVar(&f.c.M, "m", p.M, "neurons per class m")
	fs.IntVar(&f.c.Q, "q", p.Q, "activation exponent q (σ(z)=max(0,z)^q, q >= 1)")
	fs.Float64Var(&f.c.Sigma0, "sigma0", p.Sigma0, "initialisation standard deviation σ₀")
	fs.Float64Var(&f.c.Lambda, "lambda", p.Lambda, "weight decay λ (>= 0, coupled: inside the gradient)")
	fs.IntVar(&f.c.Steps, "steps", p.Steps, "optimiser steps T")
	fs.IntVar(&f.c.LogEvery, "log-every", p.LogEvery, "log the probes every k steps")
	fs.IntVar(&f.c.TestEvery, "test-every", p.TestEvery, "evaluate test error every k steps (0: only at the end; a multiple of --log-every)")
	fs.Var(SeedFlag(&f.c.Seed), "seed", "seed of the data, test data and W₀ (one; for several seeds use a sweep)")
	fs.StringVar(&f.c.DataFrom, "data-from", "", "data.npz to train on instead of drawing data: noise_index, noise_value (n,k), feature (d,), y_train (n,), or X_train (n,2,d) float64 and y_train (n,)")
	fs.StringVar(&f.c.DType, "dtype", "float64", "precision of weights, optimiser state and activations: float64 or float32 (adam and gd)")
	fs.StringVar(&f.c.DataLayout, "data-layout", "auto", "arrays of data.npz: auto (sparse noise patches, plus X_train up to 2^22 values), dense (X_train at any size) or sparse")
	fs.StringVar(&f.c.InitFrom, "init-from", "", "NPZ whose W0 (2,m,d) float64 is the initial weights")
	fs.StringVar(&f.optimizers, "optimizer", "", "optimiser, or a comma-separated list trained from the same start: "+strings.Join(optim.Names(), ", ")+" (default adam,gd)")
	f.hyper = AddHyperFlags(fs) // --lr, --beta1, …, --schedule-gamma, … from optim's tables
	fs.StringVar(&f.sched.Kind, "schedule", "", "learning-rate schedule: "+strings.Join(optim.ScheduleKinds(), ", ")+" (default constant)")
	fs.IntVar(&f.c.BatchSize, "batch-size", p.BatchSize, "examples per step (0: full batch; else at most n, reshuffled every epoch)")
	fs.StringVar(&f.c.BatchSampling, "batch-sampling", "", "mini-batches: epoch (reshuffled every epoch; default), subset (independent B-subset every step) or replacement")
	fs.StringVar(&f.c.TestLabels, "test-labels", "", "test-set labels: coin (default), balanced, positive or negative")
	fs.Float64Var(&f.c.SignThreshold, "sign-threshold", p.SignThreshold, "sign-agreement probe: count coordinates with |g| > this × learning rate")
}

// Resolve returns the configuration: the paper's defaults, then the
// --config file, then the flags the user set on fs (the set Register was
// given). A mistake in the flags themselves (an empty value, a
// hyper-parameter flag with several optimisers …) is a *FlagError; a
// configuration out of range is Validate's error.
func (f *Flags) Resolve(fs *pflag.FlagSet) (Config, error) {
	c := Paper()
	if f.file != "" {
		var err error
		if c, err = Load(f.file, c); err != nil {
			return Config{}, err
		}
	}
	set := func(name string, apply func()) {
		if fs.Changed(name) {
			apply()
		}
	}
	set("d", func() { c.D = f.c.D })
	set("n", func() { c.N = f.c.N })
	set("s", func() { c.S = f.c.S })
	set("sigma-p", func() { c.SigmaP = f.c.SigmaP })
	set("alpha", func() { c.Alpha = f.c.Alpha })
	set("test-size", func() { c.TestSize = f.c.TestSize })
	set("m", func() { c.M = f.c.M })
	set("q", func() { c.Q = f.c.Q })
	set("sigma0", func() { c.Sigma0 = f.c.Sigma0 })
	set("lambda", func() { c.Lambda = f.c.Lambda })
	set("steps", func() { c.Steps = f.c.Steps })
	set("log-every", func() { c.LogEvery = f.c.LogEvery })
	set("test-every", func() { c.TestEvery = f.c.TestEvery })
	set("seed", func() { c.Seed = f.c.Seed })
	set("data-from", func() {
		// n and d then come from the file; given as well, they must agree.
		c.DataFrom = absPath(f.c.DataFrom)
		if !fs.Changed("n") {
			c.N = 0
		}
		if !fs.Changed("d") {
			c.D = 0
		}
	})
	set("init-from", func() { c.InitFrom = absPath(f.c.InitFrom) })
	set("dtype", func() { c.DType = f.c.DType })
	set("data-layout", func() { c.DataLayout = f.c.DataLayout })
	set("batch-size", func() { c.BatchSize = f.c.BatchSize })
	set("sign-threshold", func() { c.SignThreshold = f.c.SignThreshold })
	set("batch-sampling", func() { c.BatchSampling = f.c.BatchSampling })
	set("test-labels", func() { c.TestLabels = f.c.TestLabels })
	// An empty value would read as "the default" in the configuration;
	// typed on the command line it is a mistake, not a choice.
	for _, name := range []string{"dtype", "data-layout", "batch-sampling", "test-labels"} {
		if fl := fs.Lookup(name); fs.Changed(name) && strings.TrimSpace(fl.Value.String()) == "" {
			return Config{}, flagErrorf("--%s is empty; leave it out for the default or give a value: %s", name, fl.Usage)
		}
	}
	if fs.Changed("optimizer") {
		c.Optimizers = nil
		for _, name := range strings.Split(f.optimizers, ",") {
			s, err := optim.Default(strings.TrimSpace(name))
			if err != nil {
				return Config{}, flagErrorf("--optimizer: %w", err)
			}
			c.Optimizers = append(c.Optimizers, s)
		}
	}
	one := func(flag string) error {
		if len(c.Optimizers) != 1 {
			return flagErrorf("--%s needs exactly one optimizer, have %d; set per-optimizer values in a --config file", flag, len(c.Optimizers))
		}
		return nil
	}
	for _, h := range f.hyper.Changed() {
		if err := one(h.Flag); err != nil {
			return Config{}, err
		}
		if err := c.Optimizers[0].Set(h.Param, h.Value); err != nil {
			return Config{}, flagErrorf("--%s: %w", h.Flag, err)
		}
	}
	if fs.Changed("schedule") {
		if err := one("schedule"); err != nil {
			return Config{}, err
		}
		sc, err := optim.DefaultSchedule(f.sched.Kind)
		if err != nil {
			return Config{}, flagErrorf("--schedule: %w", err)
		}
		c.Optimizers[0].Schedule = sc
	}
	for _, h := range f.hyper.ScheduleChanged() {
		if err := one(h.Flag); err != nil {
			return Config{}, err
		}
		sc := &c.Optimizers[0].Schedule
		if !slices.Contains(sc.Params(), h.Param) {
			return Config{}, flagErrorf("--%s: %q is not a parameter of schedule %s (it has: %s)", h.Flag, h.Param, sc, strings.Join(sc.Params(), ", "))
		}
		if err := sc.Set(h.Param, h.Value); err != nil {
			return Config{}, flagErrorf("--%s: %w", h.Flag, err)
		}
	}
	// The default test cadence follows --log-every: test error is written
	// on logged rows, so it becomes the next multiple of log_every.
	if !fs.Changed("test-every") && c.TestEvery == Paper().TestEvery && c.LogEvery > 0 && c.TestEvery%c.LogEvery != 0 {
		c.TestEvery = (c.TestEvery/c.LogEvery + 1) * c.LogEvery
	}
	if err := c.Validate(); err != nil && c.DataFrom == "" {
		return Config{}, err
	}
	return c, nil
}

// SeedFlag is a --seed flag value that sets *p: one unsigned 64-bit seed;
// a list is refused with a pointer to sweeps.
func SeedFlag(p *uint64) pflag.Value { return (*seedValue)(p) }

type seedValue uint64

func (v *seedValue) String() string { return strconv.FormatUint(uint64(*v), 10) }
func (v *seedValue) Type() string   { return "uint" }
func (v *seedValue) Set(s string) error {
	if strings.ContainsAny(s, ", ") {
		return fmt.Errorf("--seed takes one seed; to train several seeds, write a sweep specification with \"seeds: [%s]\" and run \"adamgap sweep run SPEC --out DIR\"", strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }), ", "))
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("--seed %q must be a whole number in [0, %d]", s, uint64(math.MaxUint64))
	}
	*v = seedValue(n)
	return nil
}

// A FlagError is a mistake in the command-line flags themselves, as
// opposed to a configuration out of range; the command reports it as a
// usage error.
type FlagError struct{ Msg string }

func (e *FlagError) Error() string { return e.Msg }

func flagErrorf(format string, args ...any) error {
	return &FlagError{Msg: fmt.Errorf(format, args...).Error()}
}

// absPath makes a path absolute, so that the config.yaml written to --out
// names the same file from any folder; it leaves the path as given if the
// working folder cannot be found.
func absPath(p string) string {
	if p == "" {
		return p
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
