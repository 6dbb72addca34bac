package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/sweep"
)

func newSweepCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sweep",
		Short: "Grids of runs × seeds: plan, run (resumably, in shards), merge, plot, SLURM",
		Long: `Sweep runs a grid of configurations × seeds from a YAML specification:

  name: alpha-lr                 # optional
  base:                          # a configuration (keys of config.yaml);
    steps: 2000                  #   absent keys take the paper's values
    optimizers: [{name: adam}, {name: gd}]
  grid:                          # every combination of these axes
    alpha: [0.0, 0.1, 0.2]
    sigma_p: [0.05, 0.1]
  zip:                           # lists varied together, equal lengths
    adam.lr: [1e-4, 1e-3]
    adam.beta1: [0.9, 0.99]
  seeds: 3                       # or a list: [0, 1, 2]

Axis keys are configuration keys, or optimizer (a name or {name: .., lr: ..}),
optimizers (a list), lr, beta1, momentum, … (any hyper-parameter of the single
optimizer; see adamgap run --help) and NAME.PARAM (e.g. adam.lr). Each run gets
a folder DIR/runs/<id>, where the id is a hash of the resolved configuration; a
run is complete when its result.json is there, and complete runs are skipped
when a sweep is run again, so an interrupted sweep resumes where it stopped.`,
		Example: `  adamgap sweep plan examples/small.yaml
  adamgap sweep run examples/small.yaml --out sweeps/small
  adamgap sweep merge sweeps/small
  adamgap sweep plot sweeps/small --x alpha --y sigma_p --diff adam-gd --where adam.lr=1e-3
  adamgap sweep slurm examples/phase.yaml --shards 16 --out /scratch/phase --submit`,
	}
	cmd.AddCommand(newSweepPlanCmd(), newSweepRunCmd(), newSweepMergeCmd(), newSweepPlotCmd(), newSweepSlurmCmd())
	return cmd
}

func newSweepPlanCmd() *cobra.Command {
	var shard string
	cmd := &cobra.Command{
		Use:   "plan SPEC",
		Short: "Print the runs of a sweep specification: index, id and axis values",
		Example: `  adamgap sweep plan examples/small.yaml
  adamgap sweep plan examples/phase.yaml --shard 3/25`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, runs, err := sweep.LoadPlan(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			sh, err := shardFlag(cmd, shard)
			if err != nil {
				return err
			}
			sel := sh.Select(runs)
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "index\tid\tpoint")
			for _, r := range sel {
				fmt.Fprintf(w, "%d\t%s\t%s\n", r.Index, r.ID, r.Label())
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d runs (shard %s of %d runs: %d axes × %d seeds), %d optimizer(s) each\n",
				len(sel), sh, len(runs), len(spec.Axes), len(spec.Seeds), len(spec.Base.Optimizers))
			return nil
		},
	}
	cmd.Flags().StringVar(&shard, "shard", "", "show only shard i/N (default: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT inside an array task, else all)")
	return cmd
}

// shardFlag resolves --shard: the flag, else the SLURM array task, else
// the whole plan.
func shardFlag(cmd *cobra.Command, flag string) (sweep.Shard, error) {
	if flag != "" {
		sh, err := sweep.ParseShard(flag)
		if err != nil {
			return sweep.Shard{}, usagef(cmd, "--shard: %w", err)
		}
		return sh, nil
	}
	sh, _, err := sweep.ShardFromEnv(os.Getenv)
	return sh, err
}
