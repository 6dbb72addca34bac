package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/report"
)

func newReproduceCmd() *cobra.Command {
	var (
		out   string
		seed  uint64
		seeds int
		jobs  int
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
			if seeds < 1 {
				return usagef(cmd, "--seeds=%d must be at least 1", seeds)
			}
			if seeds > 1 && what == "figure2" {
				return usagef(cmd, "--seeds=%d applies to table1 and all; figure2 shows one seed", seeds)
			}
			cfg := config.Paper()
			cfg.Seed = seed
			o, err := execute(cmd, cfg, out, jobs, false)
			if o == nil {
				return err
			}
			if seeds > 1 && err == nil {
				return reproduceSeeds(cmd, o, out, seeds, jobs)
			}
			w := cmd.OutOrStdout()
			if what == "table1" || what == "all" {
				fmt.Fprintf(w, "Table 1 (seed %d)\n\n%s\nPaper: training error 0 / 0, test error Adam 0.884, GD 0.\n", seed, report.Table1(o.Results))
			}
			if what == "figure2" || what == "all" {
				fmt.Fprintf(w, "\nFigure 2: %s (and .svg)\n", filepath.Join(out, "figure2.png"))
				for _, r := range o.Results {
					fmt.Fprintln(w, "  "+report.Curves(r))
				}
			}
			fmt.Fprintf(w, "\nResults in %s\n", out)
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", "results", "output folder (created if needed)")
	cmd.Flags().Uint64Var(&seed, "seed", 0, "seed of the data, test data and W₀ (the first seed with --seeds)")
	cmd.Flags().IntVar(&seeds, "seeds", 1, "seeds to train: --seed, --seed+1, …; above 1, Table 1 shows mean ± sd and every seed")
	cmd.Flags().IntVar(&jobs, "jobs", 0, "optimisers trained concurrently (0: one per CPU)")
	for _, sub := range reproduceExtras {
		cmd.AddCommand(sub())
	}
	return cmd
}

// reproduceSeeds trains the paper's configuration for the seeds after the
// first (whose outcome is first), prints Table 1 over seeds and writes
// table1_seeds.json to out.
func reproduceSeeds(cmd *cobra.Command, first *experiment.Outcome, out string, seeds, jobs int) error {
	outs, dirs := []*experiment.Outcome{first}, []string{out}
	for k := 1; k < seeds; k++ {
		cfg := config.Paper()
		cfg.Seed = first.Config.Seed + uint64(k)
		dir := filepath.Join(out, "seeds", fmt.Sprintf("seed%d", cfg.Seed))
		o, err := execute(cmd, cfg, dir, jobs, false)
		if err != nil {
			return err
		}
		outs, dirs = append(outs, o), append(dirs, dir)
	}
	return emit(cmd, out, "table1_seeds.json", newTable1Seeds(outs, dirs), nil)
}

// reproduceExtras are the further experiments of "adamgap reproduce NAME"
// (convex, stochastic, phase, figure1, …); each lives in a file of its own
// and appends its constructor here from an init function.
var reproduceExtras []func() *cobra.Command
