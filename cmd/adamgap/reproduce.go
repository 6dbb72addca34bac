package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/outdir"
	"github.com/adamgap/adamgap/internal/shquote"
	"github.com/adamgap/adamgap/paper"
	"github.com/adamgap/adamgap/progress"
)

// reproduceCommands are the further experiments of "adamgap reproduce
// NAME", one file each; a new one is one more entry here.
var reproduceCommands = []func() *cobra.Command{
	newBenignCmd,
	newConvexCmd,
	newFamilyCmd,
	newFigure1Cmd,
	newLabelFlipCmd,
	newLemmasCmd,
	newPhaseCmd,
	newStochasticCmd,
}

func newReproduceCmd() *cobra.Command {
	o := paper.DefaultTable1()
	var (
		out   string
		seeds int
	)
	cmd := &cobra.Command{
		Use:   "reproduce [table1|figure2|all]",
		Short: "Reproduce the paper's Table 1 and Figure 2 (Section 6 settings)",
		Long: `Reproduce trains Adam (PyTorch form, η=5e-5, β=(0.9,0.999)) and gradient
descent (η=0.02) from the same W₀ on the same data, at the paper's Section 6
settings: d=1000, n=200, s=100, σp=0.1, α=0.2, σ₀=0.01, λ=1e-5, m=20, q=3,
T=10⁴, 10⁴ test examples. It prints Table 1 (table1), the path of Figure 2
(figure2) or both (all, the default), and writes every output file to --out.

With --seeds K (K > 1) it trains seeds --seed … --seed+K−1 (the first into
--out, the others into --out/seeds/seed<k>/) and prints Table 1 over seeds:
mean ± sd and every seed's value of the last iterate's and the min-gradient
iterate's errors, by class too, beside the paper's 0.884 / 0; the same
numbers go to --out/table1_seeds.json.`,
		Example: `  adamgap reproduce
  adamgap reproduce table1 --seed 3 --out results/seed3
  adamgap reproduce table1 --seeds 10 --out results/table1-10seeds`,
		Args:      cobra.MatchAll(cobra.MaximumNArgs(1), cobra.OnlyValidArgs),
		ValidArgs: []string{"table1", "figure2", "all"},
		RunE: func(cmd *cobra.Command, args []string) error {
			what := "all"
			if len(args) == 1 {
				what = args[0]
			}
			switch {
			case seeds < 1:
				return usagef(cmd, "--seeds=%d must be at least 1", seeds)
			case seeds > 1 && what == "figure2":
				return usagef(cmd, "--seeds=%d applies to table1 and all; figure2 shows one seed", seeds)
			case seeds > 1:
				return table1Seeds(cmd, o, seeds, out)
			}
			rep, err := table1(cmd, o, out)
			if rep == nil {
				return err
			}
			w := cmd.OutOrStdout()
			if what == "table1" || what == "all" {
				fmt.Fprint(w, rep.Table())
			}
			if what == "figure2" || what == "all" {
				fmt.Fprintf(w, "\nFigure 2: %s (and .svg)\n%s", filepath.Join(out, "figure2.png"), rep.Curves())
			}
			fmt.Fprintf(w, "\nResults in %s\n", out)
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", "results/table1", "output folder: new or empty (see --force); written whole when the run is complete")
	cmd.Flags().Var(config.SeedFlag(&o.Config.Seed), "seed", "seed of the data, test data and W₀ (the first seed with --seeds)")
	cmd.Flags().IntVar(&seeds, "seeds", 1, "seeds to train: --seed, --seed+1, …; above 1, Table 1 shows mean ± sd and every seed")
	runFlags(cmd.Flags(), &o)
	for _, sub := range reproduceCommands {
		cmd.AddCommand(sub())
	}
	return cmd
}

// table1 trains the configuration of o into the output folder out (a fresh
// folder renamed into place when complete; see experiment.RunInto). It
// returns the report whenever training started, with the first error.
func table1(cmd *cobra.Command, o paper.Table1Options, out string) (*paper.Table1Report, error) {
	if err := outNotFile(cmd, out); err != nil {
		return nil, err
	}
	o.Out = out
	rep, err := withProgress(cmd, paper.Table1, o)
	if err == nil {
		noteInterrupted(cmd, out)
	}
	return rep, err
}

// noteInterrupted tells, after a run into out completed, of the folders
// .OUT.interrupted-* that earlier, interrupted runs into out left beside
// it: nothing removes them but the user.
func noteInterrupted(cmd *cobra.Command, out string) {
	if kept := outdir.Interrupted(out); len(kept) > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "note: %d folder(s) of interrupted runs into %s are kept beside it (their logged rows); remove them when done: rm -r %s\n",
			len(kept), out, shquote.Join(kept))
	}
}

// runFlags registers the flags of a command that writes one run folder:
// --jobs (optimisers at once), --force and --max-memory.
func runFlags(fs *pflag.FlagSet, o *paper.Table1Options) {
	fs.Var((*jobsValue)(&o.Jobs), "jobs", "optimisers trained concurrently (0: one per CPU)")
	fs.BoolVar(&o.Force, "force", false, "replace what --out holds (once the new run is complete)")
	maxMemoryFlag(fs, &o.MaxMemory)
}

// table1Seeds trains the configuration of o over seeds, writes every seed's
// output folder (the first into out, the others into out/seeds/seed<k>)
// and table1_seeds.json, and prints Table 1 over seeds.
func table1Seeds(cmd *cobra.Command, o paper.Table1Options, seeds int, out string) error {
	if err := outNotFile(cmd, out); err != nil {
		return err
	}
	o.Out = out
	rep, err := withProgress(cmd, func(ctx context.Context, o paper.Table1Options, rec progress.Recorder) (*paper.Table1SeedsReport, error) {
		return paper.Table1Seeds(ctx, o, seeds, rec)
	}, o)
	if rep == nil {
		return optionError(cmd, err)
	}
	return emit(cmd, out, "table1_seeds.json", rep, err)
}
