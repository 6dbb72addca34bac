package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/report"
	"github.com/adamgap/adamgap/sweep"
)

func init() { reproduceExtras = append(reproduceExtras, newPhaseCmd) }

// phaseSpec is examples/phase.yaml (TestPhaseSpecMatchesExample keeps them
// equal): the paper's Section 6 settings over α × σp, 3 seeds.
const phaseSpec = `# The Adam–GD gap over feature-noise strength α × noise level σp:
# the paper's Section 6 settings otherwise (d=1000, n=200, s=100, m=20, q=3,
# σ₀=0.01, λ=1e-5, T=10⁴, 10⁴ test examples; Adam η=5e-5, GD η=0.02).
#   adamgap reproduce phase --out results/phase      # runs, merges and plots this
#   adamgap sweep run examples/phase.yaml --out results/phase
#   adamgap sweep plot results/phase --x alpha --y sigma_p
name: phase
base:
  log_every: 500
  test_every: 0
  optimizers:
    - name: adam
      lr: 5.0e-5
    - name: gd
      lr: 0.02
grid:
  sigma_p: [0.025, 0.05, 0.1, 0.2, 0.4]
  alpha: [0.0, 0.05, 0.1, 0.2, 0.4]
seeds: 3
`

// phaseQuickSpec is the CI-sized phase diagram: the same axes on a smaller
// problem, a 2 × 2 grid, 3 seeds.
const phaseQuickSpec = `name: phase-quick
base:
  d: 200
  n: 40
  s: 20
  test_size: 1000
  steps: 600
  log_every: 100
  test_every: 0
  optimizers:
    - name: adam
      lr: 1.0e-4
    - name: gd
      lr: 0.05
grid:
  sigma_p: [0.1, 0.3]
  alpha: [0.0, 0.2]
seeds: 3
`

func newPhaseCmd() *cobra.Command {
	var (
		out        string
		jobs       int
		quick, all bool
	)
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
			text := phaseSpec
			if quick {
				text = phaseQuickSpec
			}
			spec, err := sweep.ParseSpec([]byte(text))
			if err != nil {
				return err
			}
			runs, err := spec.Plan()
			if err != nil {
				return err
			}
			if _, err := sweep.WriteSpec(out, spec); err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			start := time.Now()
			ex := sweep.Executor{Dir: out, Jobs: jobs, Lean: !all, Progress: sweep.NewProgress(stderr, isTerminal(stderr))}
			rep, err := ex.Run(cmd.Context(), runs)
			if err != nil {
				return err
			}
			wall := time.Since(start)
			t, mrep, err := sweep.WriteMerged(out)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Phase diagram (%s): %d runs × %d optimizers, %d trained now in %s\n\n", spec.Name, len(runs), len(spec.Base.Optimizers), rep.Done, wall.Round(time.Second))
			for _, q := range []sweep.Query{
				{Metric: "test_error", Optimizers: []string{"adam"}},
				{Metric: "test_error", Optimizers: []string{"gd"}},
				{Metric: "test_error", Diff: [2]string{"adam", "gd"}},
			} {
				h, err := t.Heatmap(q, "alpha", "sigma_p")
				if err != nil {
					return err
				}
				name := plotName(q, "alpha", "sigma_p")
				base := filepath.Join(out, "plots", name)
				if err := writeFigure(base, h); err != nil {
					return err
				}
				fmt.Fprintf(w, "%s\n%s  → %s.png (and .svg)\n\n", h.Title, heatmapTable(h), base)
			}
			fmt.Fprintf(w, "Table: %s\n", filepath.Join(out, sweep.MergedFile))
			return mrep.Err(out, 0)
		},
	}
	cmd.Flags().StringVar(&out, "out", "results/phase", "sweep folder (created if needed; complete runs in it are kept)")
	cmd.Flags().IntVar(&jobs, "jobs", 0, "runs trained at once, one core each (0: one per CPU)")
	cmd.Flags().BoolVar(&quick, "quick", false, "a 2 × 2 grid on a small problem (d=200, n=40, s=20, 600 steps), for a check in seconds")
	cmd.Flags().BoolVar(&all, "all-files", false, "write every run's data.npz, weights.npz and figures too (about 5 MB per run)")
	return cmd
}

func writeFigure(base string, fig interface {
	WritePNG(io.Writer) error
	WriteSVG(io.Writer) error
}) error {
	if err := makeDir(filepath.Dir(base)); err != nil {
		return err
	}
	if err := atomicfile.Write(base+".png", fig.WritePNG); err != nil {
		return err
	}
	return atomicfile.Write(base+".svg", fig.WriteSVG)
}

// heatmapTable prints a heatmap as text: one row per y value, the largest
// first, as the picture shows it.
func heatmapTable(h *report.Heatmap) string {
	var b strings.Builder
	corner := h.YLabel + ` \ ` + h.XLabel
	wd := len(corner)
	for _, y := range h.YTicks {
		wd = max(wd, len(y))
	}
	fmt.Fprintf(&b, "%*s |", wd, corner)
	for _, x := range h.XTicks {
		fmt.Fprintf(&b, " %14s", x)
	}
	b.WriteString("\n")
	for i := len(h.YTicks) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "%*s |", wd, h.YTicks[i])
		for j := range h.XTicks {
			cell := "—"
			if !math.IsNaN(h.Z[i][j]) {
				cell = fmt.Sprintf("%.3f ± %.3f", h.Z[i][j], h.Std[i][j])
			}
			fmt.Fprintf(&b, " %14s", cell)
		}
		b.WriteString("\n")
	}
	return b.String()
}
