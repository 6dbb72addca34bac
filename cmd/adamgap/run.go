package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/paper"
	"github.com/adamgap/adamgap/report"
)

func newRunCmd() *cobra.Command {
	var (
		flags config.Flags
		out   string
		o     paper.Table1Options
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

--out must be new or empty (--force replaces a folder that holds files, once
the new run is complete): the files are written to .OUT.partial-* beside it,
metrics.csv row by row, and the folder is renamed to --out when complete, so
Ctrl-C or a crash leaves --out as it was (Ctrl-C keeps the rows logged so far
in .OUT.interrupted-*, kept until you remove it: rm -r .OUT.interrupted-*).
A configuration whose memory estimate exceeds --max-memory is refused
before anything is allocated.

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
			var err error
			if o.Config, err = resolveConfig(cmd, &flags); err != nil {
				return err
			}
			if c := o.Config; saveB && (c.BatchSize <= 0 || c.BatchSize >= c.N) {
				return usagef(cmd, "--save-batches needs a mini-batch run: batch_size=%d is the full batch (n=%d)", c.BatchSize, c.N)
			}
			o.SaveBatches = saveB
			rep, err := table1(cmd, o, out)
			if rep != nil {
				fmt.Fprint(cmd.OutOrStdout(), report.Table1(rep.Outcome.Results))
				fmt.Fprint(cmd.OutOrStdout(), dataNote(rep.Outcome))
				fmt.Fprintf(cmd.OutOrStdout(), "\nResults in %s\n", out)
			}
			return err
		},
	}
	flags.Register(cmd.Flags())
	cmd.Flags().StringVar(&out, "out", "", "output folder: new or empty (see --force); written whole when the run is complete")
	runFlags(cmd.Flags(), &o)
	cmd.Flags().BoolVar(&saveB, "save-batches", false, "write DIR/batches.npy, the examples of every step (int32 (steps, batch_size), −1 padding), for replays outside adamgap")
	return cmd
}
