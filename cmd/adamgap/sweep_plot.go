package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/cmd/adamgap/internal/outfile"
	"github.com/adamgap/adamgap/sweep"
)

func newSweepPlotCmd() *cobra.Command {
	var (
		x, y, metric, optimizers, diff, out string
		where                               []string
	)
	cmd := &cobra.Command{
		Use:   "plot DIR --x KEY [--y KEY]",
		Short: "Plot a sweep: mean ± sd over seeds along one axis, or a heatmap over two",
		Long: `Plot draws the mean and standard deviation over seeds of a result column
(--metric: test_error, train_error, final_loss, best_test_error,
best_train_error, best_grad_norm, best_step, seconds, wall_seconds).

With --x only: line plots with error bars along that axis, one line per
optimizer (or the difference of --diff). With --x and --y: a heatmap with a
colour bar, one per optimizer and one of the difference of the first two
optimizers (or only the one of --optimizer or --diff). Every other
configuration column must take one value: fix it with --where KEY=VALUE.
KEY is a column of results.csv or NAME.PARAM, a parameter of optimizer NAME
in the same run (e.g. --x adam.lr).
PNG and SVG files go to DIR/plots (or --out PREFIX).`,
		Example: `  adamgap sweep plot sweeps/phase --x alpha --y sigma_p
  adamgap sweep plot sweeps/phase --x alpha --y sigma_p --diff adam-gd --metric best_test_error
  adamgap sweep plot sweeps/lr --x adam.lr --metric train_error --where alpha=0.2`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if x == "" {
				return usagef(cmd, "--x is required: the configuration column along the horizontal axis")
			}
			q := sweep.Query{Metric: metric, Where: map[string]string{}}
			for _, w := range where {
				k, v, ok := strings.Cut(w, "=")
				if !ok || k == "" {
					return usagef(cmd, "--where %q: want KEY=VALUE, e.g. lambda=1e-05", w)
				}
				q.Where[k] = v
			}
			if optimizers != "" {
				q.Optimizers = strings.Split(optimizers, ",")
			}
			if diff != "" {
				a, b, err := sweep.ParseDiff(diff)
				if err != nil {
					return usagef(cmd, "--diff: %w", err)
				}
				q.Diff = [2]string{a, b}
			}
			t, rep, err := sweep.Merge(dir)
			if err != nil {
				return err
			}
			if !rep.OK() {
				fmt.Fprintf(cmd.ErrOrStderr(), "sweep plot: warning: %d of %d runs missing, %d failed; plotting what is there (see: adamgap sweep merge %s)\n",
					len(rep.Missing), rep.Runs, len(rep.Failed), dir)
			}
			if out == "" {
				out = filepath.Join(dir, "plots") + string(filepath.Separator)
			}
			plots, err := t.Plots(q, x, y)
			if err != nil { // about --x, --y, --where, --metric …: a usage error
				return usageError{cmd: cmd.CommandPath(), err: err}
			}
			for _, p := range plots {
				base := out + p.Name
				if !strings.HasSuffix(out, string(filepath.Separator)) {
					base = out + "_" + p.Name
				}
				if err := outfile.WriteFigure(base, p.Figure); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s.png (and .svg)\n", base)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&x, "x", "", "configuration column along the horizontal axis, e.g. alpha")
	f.StringVar(&y, "y", "", "configuration column along the vertical axis: draws heatmaps")
	f.StringVar(&metric, "metric", "test_error", "result column to plot")
	f.StringVar(&optimizers, "optimizer", "", "comma-separated optimizers to plot (default: all)")
	f.StringVar(&diff, "diff", "", "plot the difference A−B of two optimizers of the same run, e.g. adam-gd (or adam,gd)")
	f.StringArrayVar(&where, "where", nil, "keep only rows with KEY=VALUE (repeatable)")
	f.StringVar(&out, "out", "", "output path prefix (default: DIR/plots/)")
	return cmd
}
