package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/cmd/adamgap/internal/outfile"
	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/paper"
)

func newCheckCmd() *cobra.Command {
	var (
		flags  config.Flags
		o      = paper.DefaultCheck()
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "check [flags]",
		Short: "Evaluate the paper's parameter conditions (Section A.1, the lemmas' assumptions) for a configuration",
		Long: `Check evaluates, for a configuration (the paper's Section 6 settings, a
--config file and/or flags, as for "adamgap run"), every parameter condition of
the paper's theory: the magnitudes of Section A.1, the relations derived from
them, and the assumptions of Lemmas 5.1–5.8 and A.1–A.13. Each is printed as
the ratio of its two sides with constants and polylog(n) factors set to 1,
and judged with a slack factor K (--slack) standing in for them:

  Θ: 1/K ≤ ratio ≤ K    O: ratio ≤ K    o: ratio ≤ 1/K
  Ω: ratio ≥ 1/K        ω: ratio ≥ K    ≤, ≥: exactly

Adam's η and β come from the first Adam-type optimiser of the configuration,
GD's η from the first one whose best iterate is chosen in ℓ₂. It also prints
the time scales the lemmas predict and where Lemma 5.1 (disjoint noise
supports) stands.`,
		Example: `  adamgap check                       # the paper's own experiment
  adamgap check --s 1 --n 10 --d 40000  # a configuration inside Lemma 5.1
  adamgap check --config runs/a/config.yaml --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return optionError(cmd, err)
			}
			var err error
			if o.Config, err = resolveConfig(cmd, &flags); err != nil {
				return err
			}
			if c := o.Config; c.DataFrom != "" && (c.D == 0 || c.N == 0) {
				// d and n come from the file (--data-from): read it, as a
				// run would; the conditions of d=0, n=0 say nothing.
				setup, err := experiment.PrepareContext(cmd.Context(), c, experiment.Limits{})
				if err != nil {
					return err
				}
				o.Config = setup.Config
			}
			rep, err := paper.Check(cmd.Context(), o, nil)
			if err != nil {
				return optionError(cmd, err)
			}
			if asJSON {
				return outfile.Encode(cmd.OutOrStdout(), rep)
			}
			fmt.Fprint(cmd.OutOrStdout(), rep.Table())
			return nil
		},
	}
	flags.Register(cmd.Flags())
	cmd.Flags().Float64Var(&o.Slack, "slack", o.Slack, "factor K standing in for the hidden constants and polylog(n) factors")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of the table")
	return cmd
}
