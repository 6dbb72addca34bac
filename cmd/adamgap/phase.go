package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/cmd/adamgap/internal/outfile"
	"github.com/adamgap/adamgap/paper"
)

func newPhaseCmd() *cobra.Command {
	o := paper.DefaultPhase()
	cmd := &cobra.Command{
		Use:   "phase",
		Short: "Phase diagram: test error of Adam and GD and their gap over α × σp (3 seeds)",
		Long: `Phase trains Adam and GD from the same start at the paper's Section 6
settings over a grid of feature-noise strengths α and noise levels σp, 3 seeds
each (the sweep of examples/phase.yaml: 5 × 5 × 3 = 75 runs of both optimisers),
then writes results.csv and heatmaps of the mean test error of Adam, of GD and
of Adam − GD to --out/plots, and prints them as tables. It is a sweep folder:
an interrupted run resumes, and "adamgap sweep plot" draws more from it.
--quick runs a small 2 × 2 version in seconds.`,
		Example: `  adamgap reproduce phase --out results/phase
  adamgap reproduce phase --quick --out /tmp/phase`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := outNotFile(cmd, o.Dir); err != nil {
				return err
			}
			rep, err := withProgress(cmd, paper.Phase, o)
			if rep == nil {
				return err
			}
			// results.csv is written; the tables before the figures, so a
			// figure that fails loses nothing computed.
			fmt.Fprint(cmd.OutOrStdout(), rep.Table())
			for _, m := range rep.Maps {
				if werr := outfile.WriteFigure(rep.PlotBase(m), m.Map); werr != nil && err == nil {
					err = werr
				}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&o.Dir, "out", "", "sweep folder, created if needed; complete runs in it are kept (default results/phase, results/phase-quick with --quick)")
	cmd.Flags().Var((*jobsValue)(&o.Jobs), "jobs", "runs trained at once, one core each (0: one per CPU)")
	cmd.Flags().BoolVar(&o.Quick, "quick", false, "a 2 × 2 grid on a small problem (d=200, n=40, s=20, 600 steps), for a check in seconds")
	cmd.Flags().BoolVar(&o.AllFiles, "all-files", false, "write every run's data.npz, weights.npz and figures too (about 5 MB per run)")
	return cmd
}
