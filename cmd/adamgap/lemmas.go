package main

import (
	"strconv"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/paper"
)

func newLemmasCmd() *cobra.Command {
	o := paper.DefaultLemmas()
	var out, etas string
	cmd := &cobra.Command{
		Use:   "lemmas",
		Short: "Lemma 5.1 (disjoint noise supports) measured, and the flip of Adam's feature learning (Lemma 5.3) across η",
		Long: `Lemmas prints two tables.

Lemma 5.1: the probability that the n noise supports are pairwise disjoint,
exactly (a product of binomial ratios), by Monte Carlo (--trials draws) and
as the lemma's union bound (A.1), from configurations inside the lemma's
assumption s ≤ √d/(2n²) to the paper's experiment (n=200, s=100, d=1000),
with the overlap measured on a drawn data set.

Lemma 5.3 (A.4): Adam (PyTorch form, β=(0.9, 0.999)) at the paper's Section 6
settings for each η of --etas, each run for --steps-eta/η steps: the step at
which the feature learning Λⱼ = max_r ⟨w_{j,r}, j·v⟩ peaks and the step at
which it turns negative, for both classes. The lemma predicts T ∝ 1/η, so
η·T should not change with η; the fitted slope of log T against log η should
be −1.

Writes DIR/lemmas.json.`,
		Example: `  adamgap reproduce lemmas --out results/lemmas
  adamgap reproduce lemmas --etas 1e-5,2e-5,5e-5,1e-4,2e-4,4e-4`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if o.Etas, err = parseList(etas, "a number", func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }); err != nil {
				return usagef(cmd, "--etas=%q: %v", etas, err)
			}
			return runReport(cmd, paper.Lemmas, o, out, "lemmas.json", nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "results/lemmas", "output folder (created if needed)")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "seed of the data, W₀ and the Monte Carlo draws")
	f.IntVar(&o.Trials, "trials", o.Trials, "Monte Carlo draws per Lemma 5.1 row")
	f.StringVar(&etas, "etas", "1.25e-5,2.5e-5,5e-5,1e-4", "comma-separated Adam learning rates of the flip sweep (empty: skip it)")
	f.Float64Var(&o.StepsEta, "steps-eta", o.StepsEta, "each flip run takes steps-eta/η steps (0.1: 2000 steps at η=5e-5, 8000 at 1.25e-5)")
	f.IntVar(&o.LogPoints, "log-points", o.LogPoints, "logged rows per flip run (the flip steps are exact to steps/log-points)")
	f.IntVar(&o.TestSize, "test-size", o.TestSize, "fresh test examples of the flip runs (only the final test error uses them)")
	f.Var((*jobsValue)(&o.Jobs), "jobs", "flip runs trained concurrently (0: one per CPU)")
	return cmd
}
