// Package config holds the fully resolved configuration of a run: the data
// distribution, the network, the training loop and one or more optimisers
// that start from the same data and the same W₀. It reads and writes YAML;
// a configuration written by Config.Marshal reads back (Parse, Load) to the
// same value. Every key of the configuration is described once, in the
// key table (Keys: name, group, help, allowed values, field); YAML, flags,
// validation and the explorer's form read it. The optimisers'
// hyper-parameters are described once, in optim.ParamTable;
// AddHyperFlags makes their command-line flags.
package config

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("config")

// Config is one experiment: every optimiser in Optimizers trains the same
// network from the same W₀ on the same data.
type Config struct {
	// Data (Definition 3.1).
	D        int     // patch dimension d
	N        int     // training examples n, even (balanced labels)
	S        int     // noise sparsity s ≤ d−1
	SigmaP   float64 // noise standard deviation σp > 0
	Alpha    float64 // feature-noise strength α ≥ 0
	TestSize int     // fresh test examples

	// The signal–noise family (data.PatchModel): Noise is "sparse" (the
	// default, "") or "gaussian"; SignalNorm is ‖μ‖ (0 means 1, the seed's
	// v = e₁); LabelNoise is the probability p ∈ [0, ½) of a flipped label.
	Noise      string
	SignalNorm float64
	LabelNoise float64

	// Network and objective.
	M int     // neurons per class
	Q float64 // activation exponent q, real in [1, MaxQ] (relu_power, huberized_relu); the paper's theory needs q ≥ 3
	// Activation is σ (model.Activation: "" or "relu_power", "leaky_relu",
	// "huberized_relu"); Slope is leaky_relu's β (0: DefaultSlope) and Threshold
	// huberized_relu's κ (unused, and not passed to the network, for the
	// other activations); OutputScale is "" or "sum", or "mean" (1/m).
	Activation  string
	Slope       float64
	Threshold   float64
	OutputScale string
	Sigma0      float64 // initialisation standard deviation σ₀ > 0
	Lambda      float64 // coupled weight decay λ ≥ 0: (λ/2)‖W‖² is in the objective and λW in every optimiser's gradient (AdamW's decoupled decay is its own weight_decay)

	// Training.
	Steps     int    // T, the number of optimiser steps
	LogEvery  int    // probe cadence in steps (≥ 1); step 0 and step T are always logged
	TestEvery int    // test-error cadence in steps (0: only at the end); a multiple of LogEvery
	Seed      uint64 // seeds data, test data, W₀ and the batch order (independent streams)

	// BatchSize is the number of examples of one step's gradient: 0 (the
	// default) is the full batch; else in [1, n], batches reshuffled every
	// epoch (see train.Loop). Probes are logged on the full training set.
	BatchSize int
	// BatchSampling is how mini-batches are drawn (train.Sampling): ""
	// or "epoch" (reshuffled every epoch), "subset" (an independent
	// uniform B-subset every step) or "replacement" (B independent draws
	// every step).
	BatchSampling string
	// TestLabels is how the test set's labels are chosen (data.Labels):
	// "" or "coin" (fair coin flips, the distribution D), "balanced",
	// "positive" or "negative".
	TestLabels string
	// SignThreshold scales the threshold of Lemma A.2's sign-agreement
	// probe (Adam family): coordinates with |g| > SignThreshold·η count
	// (see train.Loop). Paper sets 1.
	SignThreshold float64

	Optimizers []optim.Spec

	// DType is the precision of training: "float64" (the default) or
	// "float32" (PyTorch's default) for the weights, the optimiser's state
	// and the activations; losses and norms are summed in float64. An empty
	// string means float64.
	DType string
	// DataLayout says which arrays data.npz holds: "auto" (the default;
	// the sparse noise patches, and X_train dense as well up to
	// data.DenseLimit values), "dense" (X_train too at any size) or
	// "sparse" (no X_train). An empty string means auto.
	DataLayout string

	// Replay: data and W₀ made elsewhere. Empty means generate from Seed.
	DataFrom string // data.npz, sparse or dense layout (data.ReadNPZ)
	InitFrom string // NPZ with W0 (2,m,d)
}

// Paper returns the settings of Section 6 of the paper, with Adam (PyTorch
// form, η = 5e-5) and GD (η = 0.02) as the optimisers.
func Paper() Config {
	adam, _ := optim.Default("adam")
	gd, _ := optim.Default("gd")
	return Config{
		D: 1000, N: 200, S: 100, SigmaP: 0.1, Alpha: 0.2, TestSize: 10000,
		M: 20, Q: 3, Sigma0: 0.01, Lambda: 1e-5,
		Steps: 10000, LogEvery: 100, TestEvery: 1000, Seed: 0,
		SignThreshold: 1,
		Optimizers:    []optim.Spec{adam, gd},
	}
}

// PatchModel returns the data distribution.
func (c Config) PatchModel() data.PatchModel {
	return data.PatchModel{D: c.D, S: c.S, SigmaP: c.SigmaP, Alpha: c.Alpha,
		Noise: data.Noise(c.Noise), SignalNorm: c.SignalNorm, LabelNoise: c.LabelNoise}
}

// Layout returns the layout of data.npz (DataLayout; empty is auto). The
// configuration must be valid.
func (c Config) Layout() data.Layout {
	l, _ := data.ParseLayout(cmp.Or(c.DataLayout, "auto"))
	return l
}

// Float32 reports whether training runs in float32 (DType).
func (c Config) Float32() bool { return c.DType == "float32" }

// DefaultSlope is leaky_relu's slope β when the configuration leaves it 0:
// PyTorch's default negative_slope.
const DefaultSlope = 0.01

// CNN returns the network.
func (c Config) CNN() model.CNN {
	n := model.CNN{D: c.D, M: c.M, Q: c.Q, Lambda: c.Lambda,
		Activation: model.Activation(c.Activation), Output: model.OutputScale(c.OutputScale)}
	switch n.Activation {
	case model.LeakyReLU:
		n.Slope = cmp.Or(c.Slope, DefaultSlope)
	case model.HuberizedReLU:
		n.Threshold = c.Threshold
	}
	return n
}

// Validate reports the first key out of its allowed range (a *FieldError
// naming the key, its value and what is allowed), in the order of Keys,
// then the sizes beyond what a data set can index, then the optimisers.
func (c Config) Validate() error {
	for _, k := range keys {
		if err := k.validate(c); err != nil {
			return err
		}
	}
	if err := c.checkBounds(); err != nil {
		return err
	}
	if len(c.Optimizers) == 0 {
		return fieldErr("optimizers", "optimizers is empty; give at least one of %v", optim.Names())
	}
	seen := map[string]bool{}
	for i, o := range c.Optimizers {
		if err := o.Validate(); err != nil {
			return optimizerError(i, "", err)
		}
		if seen[o.Name] {
			return fieldErr(fmt.Sprintf("optimizers[%d].name", i), "optimizers[%d]: optimizer=%q appears twice; each optimizer may appear once per run", i, o.Name)
		}
		seen[o.Name] = true
		if c.Float32() {
			if err := o.Check32(); err != nil {
				return optimizerError(i, "", err)
			}
		}
	}
	return nil
}
