package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/sweep"
)

func newSweepMergeCmd() *cobra.Command {
	var shards int
	cmd := &cobra.Command{
		Use:   "merge DIR",
		Short: "Merge a sweep's results into DIR/results.csv; fail if runs are missing",
		Long: `Merge reads DIR/sweep.yaml, plans it and collects the result of every run
into DIR/results.csv: one row per run and optimizer with every configuration
field, the final and best-iterate (min-gradient) metrics and the wall time.
pandas reads it with pd.read_csv(path). Missing runs (never run, interrupted,
crashed) and failed runs (a diverged optimizer) are listed, and the command
exits with status 1 when there are any; the table is written anyway.`,
		Example: `  adamgap sweep merge sweeps/small`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if shards == 0 {
				shards = sweep.Shards(dir)
			}
			t, rep, err := sweep.WriteMerged(dir)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s: %d rows from %d of %d runs\n", filepath.Join(dir, sweep.MergedFile), len(t.Rows), rep.Complete, rep.Runs)
			if len(rep.Extra) > 0 {
				fmt.Fprintf(w, "note: %d run folder(s) in %s are not part of the plan and were left out: %v\n", len(rep.Extra), filepath.Join(dir, "runs"), rep.Extra)
			}
			return rep.Err(dir, shards)
		},
	}
	cmd.Flags().IntVar(&shards, "shards", 0, "number of shards the sweep was run in, to name the shard of each missing run (default: from DIR/slurm)")
	return cmd
}
