package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/report"
)

func newRunCmd() *cobra.Command {
	var (
		flags configFlags
		out   string
		jobs  int
		saveB bool
	)
	cmd := &cobra.Command{
		Use:   "run --out DIR [flags]",
		Short: "Train one or more optimisers from the same start and write the results",
		Long: `Run trains the network with each optimiser given by --optimizer (or by the
--config file) on the same data from the same W₀, then writes config.yaml,
data.npz, metrics.csv, summary.json, weights.npz, table1.md and
figure2.png/.svg to --out. Unset flags take the paper's Section 6 values.
With --save-batches a mini-batch run also writes batches.npy: row t holds
the sorted example indices of step t (int32, −1 padding for a smaller last
batch of an epoch), so NumPy or PyTorch can replay it step for step.

` + optimizerHelp(),
		Example: `  adamgap run --optimizer adam --out runs/adam
  adamgap run --optimizer adam,gd --alpha 0.05 --steps 5000 --out runs/alpha005
  adamgap run --config runs/adam/config.yaml --seed 3 --out runs/adam-s3
  adamgap run --optimizer gd --data-from my_data.npz --init-from my_w0.npz --out runs/replay`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef(cmd, "--out is required: the folder to write results to")
			}
			cfg, err := flags.resolve(cmd)
			if err != nil {
				return err
			}
			if saveB && (cfg.BatchSize <= 0 || cfg.BatchSize >= cfg.N) {
				return usagef(cmd, "--save-batches needs a mini-batch run: batch_size=%d is the full batch (n=%d)", cfg.BatchSize, cfg.N)
			}
			o, err := execute(cmd, cfg, out, jobs, saveB)
			if o != nil {
				fmt.Fprint(cmd.OutOrStdout(), report.Table1(o.Results))
				fmt.Fprintf(cmd.OutOrStdout(), "\nResults in %s\n", out)
			}
			return err
		},
	}
	flags.register(cmd.Flags())
	cmd.Flags().StringVar(&out, "out", "", "output folder (created if needed)")
	cmd.Flags().IntVar(&jobs, "jobs", 0, "optimisers trained concurrently (0: one per CPU)")
	cmd.Flags().BoolVar(&saveB, "save-batches", false, "write DIR/batches.npy, the examples of every step (int32 (steps, batch_size), −1 padding), for replays outside adamgap")
	return cmd
}

// execute prepares, writes the inputs, trains and writes the results. It
// returns the outcome whenever training started, with the first error.
func execute(cmd *cobra.Command, cfg config.Config, out string, jobs int, saveBatches bool) (*experiment.Outcome, error) {
	setup, err := experiment.Prepare(cfg)
	if err != nil {
		return nil, err
	}
	if err := setup.WriteInputs(out); err != nil {
		return nil, err
	}
	if saveBatches {
		if err := setup.WriteBatches(out); err != nil {
			return nil, err
		}
	}
	progress(cmd.ErrOrStderr(), "training %d optimiser(s) for %d steps (d=%d, n=%d, s=%d, m=%d)\n",
		len(setup.Config.Optimizers), setup.Config.Steps, setup.Config.D, setup.Config.N, setup.Config.S, setup.Config.M)
	o, runErr := experiment.Execute(cmd.Context(), setup, jobs)
	for _, r := range o.Results {
		if r.Err == nil {
			progress(cmd.ErrOrStderr(), "%s: %.2fs, train error %.4g, test error %.4g\n", r.Optimizer, r.Seconds, r.TrainError, r.TestError)
		}
	}
	writeErr := o.WriteResults(out)
	if runErr != nil {
		return o, fmt.Errorf("%w (what was computed is in %s)", runErr, out)
	}
	return o, writeErr
}

func progress(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, format, args...)
}
