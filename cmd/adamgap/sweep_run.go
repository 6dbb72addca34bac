package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/sweep"
)

func newSweepRunCmd() *cobra.Command {
	var (
		out, shard string
		jobs       int
		lean       bool
		maxMemory  int64
	)
	cmd := &cobra.Command{
		Use:   "run SPEC --out DIR",
		Short: "Run the runs of a sweep that are not complete yet",
		Long: `Run trains every run of the specification (or of one shard) whose
DIR/runs/<id>/result.json is missing, --jobs runs at a time, each on one core:
the results do not depend on --jobs. A run killed part way leaves no
result.json and is trained again by the next "sweep run"; complete runs are
never trained twice. The specification is copied to DIR/sweep.yaml, which
"sweep merge" and "sweep plot" read.`,
		Example: `  adamgap sweep run examples/small.yaml --out sweeps/small
  adamgap sweep run examples/small.yaml --out sweeps/small --shard 2/8 --jobs 4`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef(cmd, "--out is required: the sweep folder")
			}
			if jobs < 0 {
				return usagef(cmd, "--jobs=%d must be >= 0 (0: one per CPU)", jobs)
			}
			sh, err := shardFlag(cmd, shard)
			if err != nil {
				return err
			}
			spec, runs, err := sweep.LoadPlan(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return runSweep(cmd, spec, runs, out, sh, sweep.Executor{Jobs: jobs, Lean: lean, MaxMemory: maxMemory})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "sweep folder (created if needed)")
	cmd.Flags().Var((*jobsValue)(&jobs), "jobs", "runs trained at once, one core each (0: one per CPU)")
	maxMemoryFlag(cmd.Flags(), &maxMemory)
	cmd.Flags().StringVar(&shard, "shard", "", "run only shard i/N: every N-th run from run i (default: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT inside an array task, else all)")
	cmd.Flags().BoolVar(&lean, "lean", false, "write only config.yaml, metrics.csv, summary.json and result.json per run (no data.npz, weights.npz, figures)")
	return cmd
}

// runSweep runs a shard of a planned sweep into out with ex's settings
// (jobs, lean, memory limit) and prints a summary.
func runSweep(cmd *cobra.Command, spec *sweep.Spec, runs []sweep.Run, out string, sh sweep.Shard, ex sweep.Executor) error {
	stderr := cmd.ErrOrStderr()
	replaced, err := sweep.WriteSpec(out, spec)
	if err != nil {
		return err
	}
	if replaced {
		fmt.Fprintf(stderr, "sweep: %s held another specification; replaced (runs of the new plan already there are kept)\n", out)
	}
	sel := sh.Select(runs)
	if sh.N > 0 {
		fmt.Fprintf(stderr, "sweep: shard %s: %d of %d runs\n", sh, len(sel), len(runs))
	}
	prog := progressOn(cmd)
	ex.Dir, ex.Progress = out, prog
	rep, err := ex.Run(cmd.Context(), sel)
	prog.Close()
	held := ""
	if rep.Held > 0 {
		held = fmt.Sprintf(" (%d held by another sweep run)", rep.Held)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%d runs: %d complete before, %d done now (%d with a diverged optimizer), %d not complete%s\n",
		rep.Total, rep.Skipped, rep.Done, rep.Failed, rep.Total-rep.Skipped-rep.Done, held)
	if err == nil {
		fmt.Fprintf(cmd.OutOrStdout(), "Next: adamgap sweep merge %s\n", out)
	}
	return err
}
