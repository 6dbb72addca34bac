package main

import (
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/paper"
)

func newStochasticCmd() *cobra.Command {
	o := paper.DefaultStochastic()
	var (
		out, batches, opts string
		keepRuns           bool
	)
	cmd := &cobra.Command{
		Use:   "stochastic",
		Short: "Tang, Zhang, Cao & Zou (arXiv 2510.11354): mini-batch Adam and AdamW generalise, large batches do not",
		Long: `Stochastic reproduces the synthetic experiment of Tang, Zhang, Cao and Zou,
"Understanding the Generalization of Stochastic Gradient Adam in Learning
Neural Networks" (arXiv 2510.11354): the data and network of Section 6 of Zou
et al. (d=1000, n=200, s=100, σp=0.1, α=0.2, σ₀=0.01, m=20, q=3), η=5e-5,
β=(0.9, 0.999), and four cells:

  Adam,  coupled weight decay λ=1e-5 (inside the gradient), batch 100 and 2
  AdamW, decoupled weight decay 0.01 (λ=0),                  batch 100 and 2

each over --seeds seeds (data, test set, W₀ and batch order all follow the
seed). Their reported test errors: Adam 0.9545 (batch 100) and 0 (batch 2),
AdamW 0.5485 and 0, training error 0 in all four, after T = 10⁴ "epochs".

Ten thousand epochs at batch 2 are 10⁶ steps per run, ≈ 20 CPU-seconds
each here; by default every run takes --steps optimiser steps instead (the
same number of updates for both batch sizes, so batch 2 sees fewer epochs).
--epochs E trains E epochs (E·⌈n/B⌉ steps) instead. The table says which.
Mini-batches are reshuffled every epoch; probes and errors are measured on
the full training set and on --test-size fresh test examples at the end,
by class too (a test error near ½ can be one class learned and the other
flipped; each run's outcome says which).

The choices the follow-up leaves open can be varied to see what they do to
the cells: --batch-sampling (epoch, subset, replacement), --test-labels
(coin, balanced, positive, negative), --lr, --adam-lambda, --adamw-decay,
--n (the training-set size);
--optimizers trains only some cells.

Writes DIR/stochastic.json, and with --keep-runs each run's output folder.`,
		Example: `  adamgap reproduce stochastic --out results/stochastic
  adamgap reproduce stochastic --epochs 1000 --seeds 5 --out results/stochastic-e1000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("steps") && cmd.Flags().Changed("epochs") && o.Epochs > 0 {
				// --epochs would silently win.
				return usagef(cmd, "--steps=%d and --epochs=%d: give one (--epochs E trains E·⌈n/B⌉ steps per run)", o.Steps, o.Epochs)
			}
			var err error
			if o.BatchSizes, err = parseList(batches, "an integer", strconv.Atoi); err != nil {
				return usagef(cmd, "--batch-sizes=%q: %v", batches, err)
			}
			if o.Optimizers, err = parseList(opts, "an optimiser name", func(s string) (string, error) { return s, nil }); err != nil {
				return usagef(cmd, "--optimizers=%q: %v", opts, err)
			}
			if keepRuns {
				o.Save = func(name string, r *experiment.Outcome) error {
					return r.Write(filepath.Join(out, "runs", name))
				}
			}
			return runReport(cmd, paper.Stochastic, o, out, "stochastic.json", nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "results/stochastic", "output folder (created if needed)")
	f.IntVar(&o.Seeds, "seeds", o.Seeds, "seeds per cell")
	f.Uint64Var(&o.FirstSeed, "first-seed", o.FirstSeed, "the seeds are first-seed, first-seed+1, …")
	f.IntVar(&o.Steps, "steps", o.Steps, "optimiser steps per run (or --epochs, not both)")
	f.IntVar(&o.Epochs, "epochs", o.Epochs, "epochs per run instead of --steps (Tang et al.: 10000)")
	f.StringVar(&batches, "batch-sizes", "100,2", "comma-separated batch sizes (n=200 is full batch)")
	f.IntVar(&o.TestSize, "test-size", o.TestSize, "fresh test examples")
	f.IntVar(&o.LogEvery, "log-every", o.LogEvery, "log the full-objective probes every k steps (0: 20 rows per run)")
	f.Var((*jobsValue)(&o.Jobs), "jobs", "runs trained concurrently (0: one per CPU)")
	f.BoolVar(&keepRuns, "keep-runs", false, "write each run's output folder (config.yaml, metrics.csv, …) to DIR/runs/")
	f.StringVar(&opts, "optimizers", "adam,adamw", "comma-separated cells to train: adam, adamw")
	f.IntVar(&o.N, "n", o.N, "training examples (even; the paper's 200): batch n is the full batch")
	f.StringVar((*string)(&o.Sampling), "batch-sampling", string(o.Sampling), "mini-batches: epoch (reshuffled every epoch), subset (independent B-subset every step) or replacement")
	f.StringVar((*string)(&o.TestLabels), "test-labels", string(o.TestLabels), "test-set labels: coin (fair coin flips), balanced, positive or negative")
	f.Float64Var(&o.LR, "lr", o.LR, "learning rate η of Adam and AdamW")
	f.Float64Var(&o.AdamLambda, "adam-lambda", o.AdamLambda, "Adam's coupled weight decay λ")
	f.Float64Var(&o.AdamWDecay, "adamw-decay", o.AdamWDecay, "AdamW's decoupled weight decay")
	return cmd
}
