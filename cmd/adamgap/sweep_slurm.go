package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/adamgap/adamgap/sweep"
)

func newSweepSlurmCmd() *cobra.Command {
	var (
		s              sweep.Slurm
		out, sbatchBin string
		submit         bool
	)
	cmd := &cobra.Command{
		Use:   "slurm SPEC --shards N --out DIR [--submit]",
		Short: "Write (and submit) a SLURM job array that runs a sweep, and a merge job after it",
		Long: `Slurm copies SPEC to DIR/sweep.yaml and writes two sbatch scripts to DIR/slurm:
sweep.sbatch, an array of --shards tasks where task i runs
"adamgap sweep run DIR/sweep.yaml --out DIR --shard i/N", and merge.sbatch,
which runs "adamgap sweep merge DIR". It prints both; with --submit it
submits the array and then the merge job with --dependency=afterok:ARRAY,
so the merge runs only if every task succeeded. A failed task shows its exit
code (squeue/scontrol, or sacct where accounting is on) and its log in
DIR/slurm/logs; submit it again alone with "sbatch --array=i
DIR/slurm/sweep.sbatch" (complete runs are skipped), then merge.`,
		Example: `  adamgap sweep slurm examples/phase.yaml --shards 25 --out /scratch/phase --time 1:00:00 --submit`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef(cmd, "--out is required: the sweep folder, on a file system every node sees")
			}
			if s.Shards < 1 {
				return usagef(cmd, "--shards=%d must be at least 1", s.Shards)
			}
			spec, runs, err := sweep.LoadPlan(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if s.Binary == "" {
				if s.Binary, err = os.Executable(); err != nil {
					return fmt.Errorf("could not find the adamgap binary; give --binary: %w", err)
				}
			}
			if s.Binary, err = filepath.Abs(s.Binary); err != nil {
				return err
			}
			if s.Shards > len(runs) {
				return usagef(cmd, "--shards=%d is more than the %d runs of the plan; give at most %d (one task per run)", s.Shards, len(runs), len(runs))
			}
			if s.Dir, err = filepath.Abs(out); err != nil {
				return err
			}
			if err := s.Validate(); err != nil {
				return usagef(cmd, "%w", err)
			}
			if _, err := sweep.WriteSpec(out, spec); err != nil {
				return err
			}
			array, merge, err := s.Write()
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "# %s (%d runs in %d tasks)\n%s\n# %s\n%s\n", array, len(runs), s.Shards, s.Array(), merge, s.Merge())
			if !submit {
				// The same command line with every flag the user gave.
				line := []string{"adamgap", "sweep", "slurm", sweep.ShellQuote(args[0])}
				cmd.Flags().Visit(func(f *pflag.Flag) {
					if sv, ok := f.Value.(pflag.SliceValue); ok {
						for _, v := range sv.GetSlice() {
							line = append(line, "--"+f.Name+"="+sweep.ShellQuote(v))
						}
						return
					}
					line = append(line, "--"+f.Name+"="+sweep.ShellQuote(f.Value.String()))
				})
				fmt.Fprintf(w, "Submit with: %s --submit\n", strings.Join(line, " "))
				return nil
			}
			aid, mid, err := sweep.Submit(cmd.Context(), sbatchBin, array, merge)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "Submitted array job %s (%d tasks) and merge job %s (afterok:%s)\n", aid, s.Shards, mid, aid)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "sweep folder, visible to every node")
	f.IntVar(&s.Shards, "shards", 0, "number of array tasks")
	s.Jobs = 1
	f.Var((*jobsValue)(&s.Jobs), "jobs", "CPUs per task (--cpus-per-task) and runs each task trains at once")
	f.StringVar(&s.Time, "time", "", "time limit per task (sbatch --time), e.g. 2:00:00")
	f.StringVar(&s.Partition, "partition", "", "partition (sbatch --partition)")
	f.StringArrayVar(&s.Extra, "sbatch", nil, "further sbatch option for both jobs, e.g. --sbatch=--mem=2G (repeatable)")
	f.StringVar(&s.Binary, "binary", "", "adamgap executable as the nodes see it (default: this one)")
	f.BoolVar(&s.Lean, "lean", false, "pass --lean to sweep run (smaller run folders)")
	f.BoolVar(&submit, "submit", false, "submit the jobs with sbatch")
	f.StringVar(&sbatchBin, "sbatch-path", "sbatch", "sbatch executable")
	return cmd
}
