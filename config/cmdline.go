package config

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/adamgap/adamgap/optim"
)

// Flags binds one command-line flag per configuration key (the adamgap
// command's run and check): --NAME for every key of the table (Keys, with
// '-' for '_' and the key's Doc as usage), --config, --optimizer,
// --schedule, and the optimisers' hyper-parameters from optim's tables
// (HyperFlags). Only flags the user set override the configuration they
// are applied to.
type Flags struct {
	c          Config // the values of the key flags
	optimizers string
	hyper      *HyperFlags
	sched      optim.ScheduleSpec
	file       string
}

// keyFlag is the flag of a key: it reads and writes the key's field of c.
type keyFlag struct {
	k Key
	c *Config
}

func (v *keyFlag) String() string {
	if v.c == nil {
		return ""
	}
	return v.k.Canonical(*v.c)
}

// Type is the type pflag's help shows: int, float, uint or string.
func (v *keyFlag) Type() string { return v.k.Kind() }

func (v *keyFlag) Set(s string) error { return v.k.Parse(v.c, s) }

// Register adds the flags to fs.
func (f *Flags) Register(fs *pflag.FlagSet) {
	f.c = Paper()
	fs.StringVar(&f.file, "config", "", "YAML configuration file (as written to DIR/config.yaml); flags override it")
	for _, k := range keys {
		fs.Var(&keyFlag{k, &f.c}, k.Flag(), k.Doc)
	}
	fs.StringVar(&f.optimizers, "optimizer", "", "optimiser, or a comma-separated list trained from the same start: "+strings.Join(optim.Names(), ", ")+" (default adam,gd)")
	f.hyper = AddHyperFlags(fs) // --lr, --beta1, …, --schedule-gamma, … from optim's tables
	fs.StringVar(&f.sched.Kind, "schedule", "", "learning-rate schedule: "+strings.Join(optim.ScheduleKinds(), ", ")+" (default constant)")
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
	for _, k := range keys {
		if !fs.Changed(k.Flag()) {
			continue
		}
		v := k.Get(f.c)
		switch {
		case k.Choices != nil && strings.TrimSpace(v.(string)) == "":
			// An empty value would read as "the default" in the
			// configuration; typed on the command line it is a mistake,
			// not a choice.
			return Config{}, flagErrorf("--%s is empty; leave it out for the default or give a value: %s", k.Flag(), k.Doc)
		case k.Path:
			// The config.yaml written to --out then names the same file
			// from any folder.
			v = absPath(v.(string))
		}
		k.Set(&c, v)
	}
	if fs.Changed("data-from") {
		// n and d then come from the file; given as well, they must agree.
		if !fs.Changed("n") {
			c.N = 0
		}
		if !fs.Changed("d") {
			c.D = 0
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
	// One rule for the two cadences: test_every must be a multiple of
	// log_every, and neither is ever adjusted, whether given or default
	// (the error suggests the nearest multiples).
	if err := c.Validate(); err != nil && c.DataFrom == "" {
		var fe *FieldError
		if errors.As(err, &fe) && fe.Key == "test_every" && !fs.Changed("test-every") {
			return Config{}, fmt.Errorf("%w; %d is test_every's default: give --test-every with --log-every", err, c.TestEvery)
		}
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
