package main

import (
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/paper"
)

func newConvexCmd() *cobra.Command {
	o := paper.DefaultConvex()
	var out string
	cmd := &cobra.Command{
		Use:   "convex",
		Short: "Theorem 4.2: on a convex objective Adam and GD reach the same solution; on the CNN they do not",
		Long: `Convex trains the linear model F(w,x) = ⟨w,x⟩ on x ∈ R^{2d} with logistic loss
and weight decay λ/2‖w‖² (strongly convex) on the paper's data (Section 6
settings, --seed), with gradient descent and with Adam under several
learning-rate schedules, all from the same w₀ ~ N(0, σ₀²). The exact minimiser
w* comes from L-BFGS (gonum/optimize) refined by Newton steps. Adam at a
constant η stalls in a ball around w* whose radius grows with η; a decaying
schedule (step, cosine, exponential) brings it to w*.

Beside it, the CNN of Table 1 is trained with Adam and GD at the paper's
settings (--cnn-steps; 0 skips it). The CNN has no unique minimiser, so its
column shows the distances that exist: Adam vs GD, and each from W₀.

Writes DIR/convex.json (every number of the tables) and DIR/cnn/ (the CNN
run's usual output files).`,
		Example: `  adamgap reproduce convex --out results/convex
  adamgap reproduce convex --lambda 1e-3 --steps 20000 --cnn-steps 0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReport(cmd, paper.Convex, o, out, "convex.json", func(r *paper.ConvexReport) error {
				if r.CNNRun == nil {
					return nil
				}
				return r.CNNRun.Write(filepath.Join(out, "cnn"))
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "results/convex", "output folder (created if needed)")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "seed of the data, test data and both starts")
	f.Float64Var(&o.Lambda, "lambda", o.Lambda, "weight decay λ of the linear model (> 0)")
	f.IntVar(&o.Steps, "steps", o.Steps, "steps T of every linear-model run")
	f.Float64Var(&o.LRAdam, "lr-adam", o.LRAdam, "Adam's base learning rate on the linear model")
	f.Float64Var(&o.LRGD, "lr-gd", o.LRGD, "GD's learning rate on the linear model (stable below 2/L, L ≈ (1+α²)/4 + λ)")
	f.IntVar(&o.CNNSteps, "cnn-steps", o.CNNSteps, "steps of the CNN runs at the paper's settings (0: skip)")
	f.IntVar(&o.TestSize, "test-size", o.TestSize, "fresh test examples")
	f.Var((*jobsValue)(&o.Jobs), "jobs", "CNN optimisers trained concurrently (0: one per CPU)")
	return cmd
}
