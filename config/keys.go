package config

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/keytable"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/train"
)

// Group is the part of the configuration a key belongs to; the explorer's
// form shows one box per group.
type Group string

// The groups, in the order of the form.
const (
	GroupData     Group = "data"     // the data distribution and the test set
	GroupNetwork  Group = "network"  // the network and its objective
	GroupTraining Group = "training" // the loop, its probes and its precision
	GroupReplay   Group = "replay"   // files read instead of drawn (not in the explorer's form)
)

// Key describes one key of the run configuration (one field of Config
// besides Optimizers). The table of them, Keys, is the one place that says
// what a key is called, what it means, which values it takes and which
// field of Config holds it; everything else reads the table:
//
//   - config.yaml: Config.Marshal writes, Parse and Load read the keys in the
//     table's order (checkTypes checks their YAML types from the field's Go type);
//   - Config.Validate checks each key (check) and returns a *FieldError;
//   - the flags of "adamgap run" and "adamgap check" (Flags: --NAME with '-'
//     for '_', usage Doc) and so "adamgap run --help";
//   - sweep axes (any key but seed) and the explorer's form, its field for
//     each error (FieldError.Key) and its copy-the-command (explorer.Command).
//
// Adding a key is: a field of Config, its row in keys below (name, group,
// label, doc, field and check; Choices for a text key that takes a list of
// values), its value in Paper() if the zero value is not the default, and
// the code that uses the field. An integer, float64, uint64 or string
// field needs nothing else: YAML, flags, help, validation, sweeps and the
// explorer follow. A new key that must not change old configurations'
// config.yaml (and so sweep run ids) is a text key left out when empty, or
// a number whose zero is what runs did before it existed, with OmitZero.
// TestKeyTable (cmd/adamgap/keys_test.go) then checks the new row through
// all of the above; docs/semantics.md ("Adding a configuration key") shows
// one addition as a diff.
type Key struct {
	// Name is the YAML key; the flag is Name with '-' for '_'.
	Name  string
	Group Group
	// Label is the explorer form's label (Name when empty) and Hint the
	// few words beside it.
	Label, Hint string
	// Doc is the flag's usage line: what the key is and what it takes.
	Doc string
	// Choices returns the values a text key takes; nil for any text (a
	// path). Without a check of its own, such a key must be empty or one
	// of them ("one of [a b c]").
	Choices func() []string
	// Default is the value an empty text stands for ("float64" for dtype).
	Default string
	// OmitDefault leaves a text key out of config.yaml when it is Default
	// (it is always left out when empty).
	OmitDefault bool
	// OmitZero leaves a number out of config.yaml when it is 0, so that
	// configurations written before the key existed read and write the same.
	OmitZero bool
	// Path marks a file to read (data_from, init_from): made absolute on
	// the command line, relative to a config.yaml's folder in Load, and
	// refused by the explorer.
	Path bool

	field func(*Config) any     // the field: *int, *float64, *uint64 or *string
	check func(c Config) string // "" when the value is allowed, else what is allowed
}

var keys = []Key{
	{Name: "d", Group: GroupData, Hint: "patch dimension", Doc: "patch dimension d",
		field: func(c *Config) any { return &c.D },
		check: func(c Config) string {
			return between(c.D, 2, MaxD, "at least 2", fmt.Sprintf("at most %d (coordinates are stored as int32)", MaxD))
		}},
	{Name: "n", Group: GroupData, Hint: "training examples (even)", Doc: "training examples n (even: n/2 per class)",
		field: func(c *Config) any { return &c.N },
		check: func(c Config) string {
			return unless(c.N >= 2 && c.N%2 == 0, "an even number >= 2 (labels are balanced, n/2 per class)")
		}},
	{Name: "s", Group: GroupData, Hint: "noise sparsity", Doc: "noise sparsity s (at most d-1; sparse noise only)",
		field: func(c *Config) any { return &c.S },
		check: func(c Config) string {
			return unless(c.Noise == string(data.Gaussian) || c.S >= 1 && c.S <= c.D-1, fmt.Sprintf("in [1, d-1=%d]", c.D-1))
		}},
	{Name: "sigma_p", Group: GroupData, Label: "σp", Hint: "noise std", Doc: "noise standard deviation σp (> 0)",
		field: func(c *Config) any { return &c.SigmaP },
		check: func(c Config) string { return positive(c.SigmaP) }},
	{Name: "alpha", Group: GroupData, Label: "α", Hint: "feature noise", Doc: "feature-noise strength α (>= 0)",
		field: func(c *Config) any { return &c.Alpha },
		check: func(c Config) string { return nonNegative(c.Alpha, "") }},
	{Name: "noise", Group: GroupData, Hint: "noise patch",
		Doc:     "noise patch: sparse (the seed's: s coordinates N(0, σp²)) or gaussian (dense N(0, σp²(I − μμᵀ/‖μ‖²)); s unused)",
		Choices: names(data.NoiseKinds), Default: string(data.Sparse), OmitDefault: true,
		field: func(c *Config) any { return &c.Noise },
		check: func(c Config) string {
			_, err := data.ParseNoise(c.Noise)
			return unless(err == nil, fmt.Sprintf("one of %v", data.NoiseKinds()))
		}},
	{Name: "signal_norm", Group: GroupData, Label: "‖μ‖", Hint: "signal norm; 0: 1", OmitZero: true,
		Doc:   "signal norm ‖μ‖ (> 0; μ = ‖μ‖·e₁; 0 or unset: 1, the seed's v = e₁); SNR = ‖μ‖/(σp·√d)",
		field: func(c *Config) any { return &c.SignalNorm },
		check: func(c Config) string { return nonNegative(c.SignalNorm, " (0: the default 1)") }},
	{Name: "label_noise", Group: GroupData, Label: "label noise", Hint: "flip probability", OmitZero: true,
		Doc:   "probability p that a label is flipped after its example is drawn, in [0, 0.5) (test_error on the flipped test labels, test_error_clean on the clean ones)",
		field: func(c *Config) any { return &c.LabelNoise },
		check: func(c Config) string { return unless(c.LabelNoise >= 0 && c.LabelNoise < 0.5, "in [0, 0.5)") }},
	{Name: "test_size", Group: GroupData, Label: "test size", Hint: "fresh test examples", Doc: "fresh test examples",
		field: func(c *Config) any { return &c.TestSize },
		check: func(c Config) string { return unless(c.TestSize >= 1, "at least 1") }},
	{Name: "m", Group: GroupNetwork, Hint: "neurons per class", Doc: "neurons per class m",
		field: func(c *Config) any { return &c.M },
		check: func(c Config) string { return between(c.M, 1, MaxM, "at least 1", fmt.Sprintf("at most %d", MaxM)) }},
	{Name: "q", Group: GroupNetwork, Hint: "activation exponent", Doc: "activation exponent q, real >= 1 (relu_power σ(z)=max(0,z)^q; huberized_relu's z^q part)",
		field: func(c *Config) any { return &c.Q },
		check: func(c Config) string {
			switch {
			case !(c.Q >= 1):
				return "a number >= 1"
			case c.Q > MaxQ:
				return fmt.Sprintf("at most %d (the paper needs q >= 3 and uses 3; beyond %d, max(0,z)^q under- or overflows for ordinary z)", MaxQ, MaxQ)
			}
			return ""
		}},
	{Name: "activation", Group: GroupNetwork, Hint: "σ",
		Doc:     "activation σ: relu_power (max(0,z)^q), leaky_relu (max(slope·z, z)) or huberized_relu (z^q/(q·threshold^(q-1)) up to threshold, then linear)",
		Choices: names(func() []model.Activation { return model.Activations }), Default: string(model.ReLUPower), OmitDefault: true,
		field: func(c *Config) any { return &c.Activation },
		check: func(c Config) string {
			return unless(c.Activation == "" || slices.Contains(model.Activations, model.Activation(c.Activation)), fmt.Sprintf("one of %v", model.Activations))
		}},
	{Name: "slope", Group: GroupNetwork, Label: "slope β", Hint: "leaky_relu only", OmitZero: true,
		Doc:   "leaky_relu's negative slope β, in (0, 1); 0 or unset: 0.01, PyTorch's default (unused by the other activations)",
		field: func(c *Config) any { return &c.Slope },
		check: func(c Config) string {
			return unless(c.Activation != string(model.LeakyReLU) || c.Slope >= 0 && c.Slope < 1, "in (0, 1) for activation=leaky_relu (0: the default 0.01)")
		}},
	{Name: "threshold", Group: GroupNetwork, Label: "threshold κ", Hint: "huberized_relu only", OmitZero: true,
		Doc:   "huberized_relu's threshold κ > 0, where z^q/(q·κ^(q-1)) turns linear (unused by the other activations)",
		field: func(c *Config) any { return &c.Threshold },
		check: func(c Config) string {
			return unless(c.Activation != string(model.HuberizedReLU) || c.Threshold > 0 && !math.IsInf(c.Threshold, 0), "a finite number > 0 for activation=huberized_relu")
		}},
	{Name: "output_scale", Group: GroupNetwork, Label: "output scale", Hint: "sum or mean (1/m)",
		Doc:     "class output F_j over the m neurons: sum (the seed's) or mean (the family's 1/m factor)",
		Choices: names(func() []model.OutputScale { return model.OutputScales }), Default: string(model.OutputSum), OmitDefault: true,
		field: func(c *Config) any { return &c.OutputScale },
		check: func(c Config) string {
			return unless(c.OutputScale == "" || slices.Contains(model.OutputScales, model.OutputScale(c.OutputScale)), fmt.Sprintf("one of %v", model.OutputScales))
		}},
	{Name: "sigma0", Group: GroupNetwork, Label: "σ₀", Hint: "init std", Doc: "initialisation standard deviation σ₀",
		field: func(c *Config) any { return &c.Sigma0 },
		check: func(c Config) string { return positive(c.Sigma0) }},
	{Name: "lambda", Group: GroupNetwork, Label: "λ", Hint: "weight decay (coupled)", Doc: "weight decay λ (>= 0, coupled: inside the gradient)",
		field: func(c *Config) any { return &c.Lambda },
		check: func(c Config) string { return nonNegative(c.Lambda, "") }},
	{Name: "steps", Group: GroupTraining, Label: "steps T", Doc: "optimiser steps T",
		field: func(c *Config) any { return &c.Steps },
		check: func(c Config) string {
			return between(c.Steps, 0, MaxSteps, ">= 0", fmt.Sprintf("at most %d", int64(MaxSteps)))
		}},
	{Name: "log_every", Group: GroupTraining, Label: "log every", Hint: "steps", Doc: "log the probes every k steps",
		field: func(c *Config) any { return &c.LogEvery },
		check: func(c Config) string { return unless(c.LogEvery >= 1, ">= 1") }},
	{Name: "test_every", Group: GroupTraining, Label: "test every", Hint: "0: at the end",
		Doc:   "evaluate test error every k steps (0: only at the end; a multiple of --log-every)",
		field: func(c *Config) any { return &c.TestEvery },
		check: func(c Config) string {
			switch {
			case c.TestEvery < 0:
				return ">= 0 (0: test only at the end)"
			case c.TestEvery > 0 && c.LogEvery >= 1 && c.TestEvery%c.LogEvery != 0:
				// Nothing adjusts it (issue 20): the nearest multiples are
				// suggested instead.
				lo := c.TestEvery / c.LogEvery * c.LogEvery
				near := fmt.Sprint(lo+c.LogEvery, " or 0")
				if lo > 0 {
					near = fmt.Sprint(lo, ", ", lo+c.LogEvery, " or 0")
				}
				return fmt.Sprintf("a multiple of log_every=%d (test error is written on logged rows): %s (0: test only at the end)", c.LogEvery, near)
			}
			return ""
		}},
	{Name: "seed", Group: GroupTraining, Doc: "seed of the data, test data and W₀ (one; for several seeds use a sweep)",
		field: func(c *Config) any { return &c.Seed }},
	{Name: "batch_size", Group: GroupTraining, Label: "batch size", Hint: "0: full batch",
		Doc:   "examples per step (0: full batch; else at most n, reshuffled every epoch)",
		field: func(c *Config) any { return &c.BatchSize },
		check: func(c Config) string {
			return unless(c.BatchSize >= 0 && c.BatchSize <= c.N, fmt.Sprintf("0 (full batch) or in [1, n=%d]", c.N))
		}},
	{Name: "sign_threshold", Group: GroupTraining, Label: "sign threshold", Hint: "× learning rate",
		Doc:   "sign-agreement probe: count coordinates with |g| > this × learning rate",
		field: func(c *Config) any { return &c.SignThreshold },
		check: func(c Config) string { return nonNegative(c.SignThreshold, " (a multiple of the learning rate)") }},
	{Name: "batch_sampling", Group: GroupTraining, Label: "batch sampling", Hint: "mini-batches",
		Doc:     "mini-batches: epoch (reshuffled every epoch), subset (independent B-subset every step) or replacement",
		Choices: names(train.Samplings), Default: "epoch",
		field: func(c *Config) any { return &c.BatchSampling }},
	{Name: "test_labels", Group: GroupData, Label: "test labels", Hint: "of the test set",
		Doc:     "test-set labels: coin (a fair coin per example), balanced, positive or negative",
		Choices: names(data.LabelKinds), Default: "coin",
		field: func(c *Config) any { return &c.TestLabels }},
	{Name: "dtype", Group: GroupTraining, Label: "precision", Hint: "float32: adam, gd",
		Doc:     "precision of weights, optimiser state and activations: float64 or float32 (adam and gd)",
		Choices: func() []string { return []string{"float64", "float32"} }, Default: "float64", OmitDefault: true,
		field: func(c *Config) any { return &c.DType },
		check: func(c Config) string {
			return unless(c.DType == "" || c.DType == "float64" || c.DType == "float32", "float64 or float32")
		}},
	{Name: "data_layout", Group: GroupData, Label: "data.npz layout", Hint: "arrays written",
		Doc:     "arrays of data.npz: auto (sparse noise patches, plus X_train up to 2^22 values), dense (X_train at any size) or sparse",
		Choices: data.Layouts, Default: "auto", OmitDefault: true,
		field: func(c *Config) any { return &c.DataLayout },
		check: func(c Config) string {
			return unless(c.DataLayout == "" || slices.Contains(data.Layouts(), c.DataLayout), "one of "+strings.Join(data.Layouts(), ", "))
		}},
	{Name: "data_from", Group: GroupReplay, Path: true,
		Doc:   "data.npz to train on instead of drawing data: noise_index, noise_value (n,k), feature (d,), y_train (n,), or X_train (n,2,d) float64 and y_train (n,)",
		field: func(c *Config) any { return &c.DataFrom }},
	{Name: "init_from", Group: GroupReplay, Path: true,
		Doc:   "NPZ whose W0 (2,m,d) float64 is the initial weights",
		field: func(c *Config) any { return &c.InitFrom }},
}

// names turns a list of typed names into texts, for Choices.
func names[T ~string](list func() []T) func() []string {
	return func() []string {
		var out []string
		for _, v := range list() {
			out = append(out, string(v))
		}
		return out
	}
}

// unless returns allowed when ok is false, else "".
func unless(ok bool, allowed string) string {
	if ok {
		return ""
	}
	return allowed
}

// between returns low when v < lo, high when v > hi, else "".
func between(v, lo, hi int, low, high string) string {
	switch {
	case v < lo:
		return low
	case v > hi:
		return high
	}
	return ""
}

func positive(v float64) string {
	return unless(v > 0 && !math.IsInf(v, 0), "a finite number > 0")
}

func nonNegative(v float64, why string) string {
	return unless(v >= 0 && !math.IsInf(v, 0), "a finite number >= 0"+why)
}

// Keys returns the configuration's keys in their fixed order: that of
// config.yaml, of Validate and of the flags.
func Keys() []Key { return slices.Clone(keys) }

// LookupKey returns the key called name (its YAML key).
func LookupKey(name string) (Key, bool) {
	return keytable.Find(keys, name, func(k Key) string { return k.Name })
}

// Flag is the key's command-line flag name, without dashes.
func (k Key) Flag() string { return keytable.Flag(k.Name) }

// Kind is the Go type of the key's value: "int", "float64", "uint64" or
// "string".
func (k Key) Kind() string { return k.value(&Config{}).Kind().String() }

// Sweepable reports whether the key can be a sweep axis: every key but
// seed, which a sweep varies with seeds:.
func (k Key) Sweepable() bool { return k.Name != "seed" }

// value is the key's field of c.
func (k Key) value(c *Config) reflect.Value { return reflect.ValueOf(k.field(c)).Elem() }

// Get returns the key's value in c: an int, float64, uint64 or string.
func (k Key) Get(c Config) any { return k.value(&c).Interface() }

// Set gives the key the value v in c; v must be of the key's type (Get's).
func (k Key) Set(c *Config, v any) { k.value(c).Set(reflect.ValueOf(v)) }

// Format writes the key's value in c as text that Parse reads back: a
// whole number in digits, a float64 in the shortest form that reads back
// (strconv 'g'), a text as it is.
func (k Key) Format(c Config) string {
	switch v := k.Get(c).(type) {
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// Canonical is the key's value in c as Format writes it, an empty text
// written as the value it stands for (Default).
func (k Key) Canonical(c Config) string {
	if s := k.Format(c); s != "" || k.Default == "" {
		return s
	}
	return k.Default
}

// Parse reads text as the key's value and sets it in c: a whole number for
// an int, a number for a float64, an unsigned whole number for a uint64.
// It checks the type, not the range (Validate's work).
func (k Key) Parse(c *Config, text string) error {
	switch p := k.field(c).(type) {
	case *int:
		n, err := strconv.ParseInt(text, 0, strconv.IntSize)
		if err != nil {
			// A whole number may be written as YAML reads it, 1e4 too.
			v, ferr := strconv.ParseFloat(text, 64)
			switch {
			case ferr != nil || math.IsNaN(v) || math.IsInf(v, 0):
				return fmt.Errorf("%q is not a whole number", text)
			case v != math.Trunc(v):
				return fmt.Errorf("%s must be a whole number", text)
			case math.Abs(v) >= 1<<63:
				return fmt.Errorf("%s is out of range: it must be at most %d", text, math.MaxInt)
			}
			n = int64(v)
		}
		*p = int(n)
	case *float64:
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return fmt.Errorf("%s is out of range for a float64", text)
			}
			return fmt.Errorf("%q is not a number", text)
		}
		*p = v
	case *uint64:
		return (*seedValue)(p).Set(text)
	case *string:
		*p = text
	}
	return nil
}

// validate returns the key's error in c, or nil.
func (k Key) validate(c Config) error {
	check := k.check
	if check == nil && k.Choices != nil {
		check = func(c Config) string {
			v := k.Format(c)
			return unless(v == "" || slices.Contains(k.Choices(), v), fmt.Sprintf("one of %v", k.Choices()))
		}
	}
	if check == nil {
		return nil
	}
	if allowed := check(c); allowed != "" {
		return &FieldError{Key: k.Name, Value: k.Get(c), Allowed: allowed}
	}
	return nil
}

// A FieldError is a configuration value that is not allowed, or a key that
// cannot be read: Key names the field as the YAML does ("n",
// "optimizers[1].lr", "optimizers[0].schedule.gamma"; "" when no single key
// is to blame), Value is the value refused and Allowed what is allowed.
// Where another layer said what is wrong (the YAML decoder, package optim)
// Err holds its error and Value and Allowed are empty. It wraps ErrInvalid.
type FieldError struct {
	Key     string
	Value   any
	Allowed string
	Err     error
}

// Error reads "config: KEY=VALUE must be ALLOWED" (a text value quoted), or
// "config: " and Err's message.
func (e *FieldError) Error() string {
	if e.Err != nil {
		return ErrInvalid.Error() + ": " + e.Err.Error()
	}
	if s, ok := e.Value.(string); ok {
		return fmt.Sprintf("%v: %s=%q must be %s", ErrInvalid, e.Key, s, e.Allowed)
	}
	return fmt.Sprintf("%v: %s=%v must be %s", ErrInvalid, e.Key, e.Value, e.Allowed)
}

// Unwrap returns ErrInvalid and Err.
func (e *FieldError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalid}
	}
	return []error{ErrInvalid, e.Err}
}

// fieldErr is a *FieldError for key whose message is format's.
func fieldErr(key, format string, args ...any) error {
	return &FieldError{Key: key, Err: fmt.Errorf(format, args...)}
}
