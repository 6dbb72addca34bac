package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/adamgap/adamgap/cmd/adamgap/internal/outfile"
	"github.com/adamgap/adamgap/paper"
)

// The three experiments of the signal–noise family (README "The
// signal–noise family"): each writes NAME.json and NAME.png/.svg to --out.

func newBenignCmd() *cobra.Command {
	o := paper.DefaultBenign()
	var (
		out, ns, snrs string
		quick         bool
	)
	cmd := &cobra.Command{
		Use:   "benign",
		Short: "Cao et al. 2022: GD's test error over n × SNR on gaussian noise (ReLU^q, 1/m output), with the benign/harmful boundary n·SNR^q = C",
		Long: `Benign reproduces the phase transition of Cao, Chen, Belkin and Gu
(NeurIPS 2022, "Benign overfitting in two-layer convolutional neural
networks"): gradient descent on the gaussian-noise model (ξ ⟂ μ) with ReLU^q
and the 1/m output fits every training set; its test error is near 0 where
n·SNR^q is large (benign overfitting) and near ½ where it is small (harmful).
The theorems give the statistic n·SNR^q, not its constant: the constant is
fitted to the cells and the report says how many cells lie on their side of
the boundary, which is drawn over the heat map.

Writes DIR/benign.json and DIR/benign.png/.svg. --quick trains a 3 × 4 grid.`,
		Example: `  adamgap reproduce benign --out results/benign
  adamgap reproduce benign --quick --out /tmp/benign`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := ownOut(cmd, out, "benign"); err != nil {
				return err
			}
			if quick {
				q := paper.QuickBenign()
				o.Ns, o.SNRs = q.Ns, q.SNRs
				quickSteps(cmd, &o.Steps, q.Steps)
			}
			if err := parseGrid(cmd, ns, snrs, "snrs", &o.Ns, &o.SNRs); err != nil {
				return err
			}
			return runReport(cmd, paper.Benign, o, out, "benign.json", func(r *paper.BenignReport) error {
				return writeFig(cmd, filepath.Join(out, "benign"), r)
			})
		},
	}
	f := cmd.Flags()
	gdGridFlags(f, "benign", &o.GDGrid, &out, &quick, &ns)
	f.StringVar(&snrs, "snrs", "", "comma-separated SNRs ‖μ‖/(σp√d), increasing (default 7 from 0.15 to 1.2)")
	f.Float64Var(&o.Q, "q", o.Q, "activation exponent q of ReLU^q (the theorem needs q > 2)")
	return cmd
}

func newLabelFlipCmd() *cobra.Command {
	o := paper.DefaultLabelFlip()
	var (
		out, ns, mus string
		quick        bool
	)
	cmd := &cobra.Command{
		Use:   "labelflip",
		Short: "Kou et al. 2023: GD's test error against the Bayes risk p over n × ‖μ‖ (ReLU, label-flip noise), with the boundary n·‖μ‖⁴ = C·σp⁴·d",
		Long: `Labelflip reproduces the phase transition of Kou, Chen, Chen and Gu (ICML
2023, "Benign overfitting in two-layer ReLU convolutional neural networks"):
gradient descent on the gaussian-noise model with a fraction p of flipped
training labels, ReLU and the 1/m output, fits every training set, flipped
labels included; its test error (on test labels flipped the same way) comes
near the Bayes risk p where n·‖μ‖⁴ ≳ σp⁴·d and stays a constant above it where
n·‖μ‖⁴ ≲ σp⁴·d. The constant of the boundary is fitted to the cells and drawn
over the heat map of test error − p; the test error on clean labels is in
the JSON and the table.

Writes DIR/labelflip.json and DIR/labelflip.png/.svg. --quick trains a 3 × 4 grid.`,
		Example: `  adamgap reproduce labelflip --out results/labelflip
  adamgap reproduce labelflip --quick --p 0.2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := ownOut(cmd, out, "labelflip"); err != nil {
				return err
			}
			if quick {
				q := paper.QuickLabelFlip()
				o.Ns, o.Mus = q.Ns, q.Mus
				quickSteps(cmd, &o.Steps, q.Steps)
			}
			if err := parseGrid(cmd, ns, mus, "mus", &o.Ns, &o.Mus); err != nil {
				return err
			}
			return runReport(cmd, paper.LabelFlip, o, out, "labelflip.json", func(r *paper.LabelFlipReport) error {
				return writeFig(cmd, filepath.Join(out, "labelflip"), r)
			})
		},
	}
	f := cmd.Flags()
	gdGridFlags(f, "labelflip", &o.GDGrid, &out, &quick, &ns)
	f.StringVar(&mus, "mus", "", "comma-separated signal norms ‖μ‖, increasing (default 7 from 0.5 to 8)")
	f.Float64Var(&o.P, "p", o.P, "label noise: probability of a flipped label, in (0, 0.5)")
	return cmd
}

func newFamilyCmd() *cobra.Command {
	o := paper.DefaultFamily()
	var quick bool
	var out string
	cmd := &cobra.Command{
		Use:   "family",
		Short: "The seed's Adam–GD gap on the family's data: a heat map of the gap over SNR × α (gaussian noise), the seed's sparse point marked, label noise and ReLU variants",
		Long: `Family asks the seed paper's question on the family's data: Adam (PyTorch's
form) and GD train the seed's network (ReLU³, sum output, m = 20) from the
same W₀ on the gaussian-noise model, over a grid of SNR × feature noise α,
at the seed's sparse point scaled to the same d and n (s = d/10, ‖μ‖ = 1,
α = 0.2), and on the variants α ∈ {0, 0.2} × label noise {0, p} ×
{ReLU, ReLU³} at the seed's SNR. The gap is Adam's test error minus GD's, on
the clean test labels.

Writes DIR/family.json and DIR/family.png/.svg (the gap over SNR × α, the
seed's point marked). --quick trains a 4 × 3 grid with 2500 steps.`,
		Example: `  adamgap reproduce family --out results/family
  adamgap reproduce family --quick`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := ownOut(cmd, out, "family"); err != nil {
				return err
			}
			if quick {
				q := paper.QuickFamily()
				o.SNRs, o.Alphas = q.SNRs, q.Alphas
				quickSteps(cmd, &o.Steps, q.Steps)
			}
			return runReport(cmd, paper.Family, o, out, "family.json", func(r *paper.FamilyReport) error {
				return writeFig(cmd, filepath.Join(out, "family"), r)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "results/family", "output folder (created if needed)")
	f.BoolVar(&quick, "quick", false, "a 4 × 3 grid with 2500 steps (a minute or two)")
	f.IntVar(&o.Steps, "steps", o.Steps, "steps of every run")
	f.Float64Var(&o.P, "p", o.P, "label noise of the variants with flipped labels")
	commonFamilyFlags(f, &o.Seed, &o.Jobs, &o.TestSize)
	return cmd
}

// gdGridFlags declares the flags that benign and labelflip share: --out
// (results/NAME by default), --quick, --ns, the grid's d, steps and
// learning rate, and the common ones.
func gdGridFlags(f *pflag.FlagSet, name string, g *paper.GDGrid, out *string, quick *bool, ns *string) {
	f.StringVar(out, "out", "results/"+name, "output folder (created if needed)")
	f.BoolVar(quick, "quick", false, "a 3 × 4 grid with 600 steps (about a minute)")
	f.StringVar(ns, "ns", "", "comma-separated training sizes n (default 10,20,40,80,160)")
	f.IntVar(&g.D, "d", g.D, "patch dimension d")
	f.IntVar(&g.Steps, "steps", g.Steps, "GD steps per cell")
	f.Float64Var(&g.LR, "lr", g.LR, "GD learning rate")
	commonFamilyFlags(f, &g.Seed, &g.Jobs, &g.TestSize)
}

func commonFamilyFlags(f *pflag.FlagSet, seed *uint64, jobs *int, testSize *int) {
	f.Uint64Var(seed, "seed", *seed, "seed of the data, test data and W₀ of every run")
	f.Var((*jobsValue)(jobs), "jobs", "runs trained concurrently (0: one per CPU)")
	f.IntVar(testSize, "test-size", *testSize, "fresh test examples per run")
}

// ownOut refuses, before anything is trained, an --out folder that holds
// files other than the experiment's own (NAME.json, NAME.partial.json,
// NAME.png, NAME.svg):
// a run's folder or another experiment's would end up mixing two runs. A
// rerun of the same experiment replaces its own files.
func ownOut(cmd *cobra.Command, out, name string) error {
	des, err := os.ReadDir(out)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if st, serr := os.Stat(out); serr == nil && !st.IsDir() {
			return usagef(cmd, "--out %s is a file, not a folder", out)
		}
		return err
	}
	var other []string
	for _, de := range des {
		switch n := de.Name(); {
		case strings.HasPrefix(n, "."), n == name+".json", n == name+".partial.json", n == name+".png", n == name+".svg":
		default:
			if de.IsDir() {
				n += "/"
			}
			other = append(other, n)
		}
	}
	if len(other) == 0 {
		return nil
	}
	if len(other) > 4 {
		other = append(other[:4], fmt.Sprintf("… (%d in all)", len(other)))
	}
	return usagef(cmd, "--out %s holds other files (%s), not only %s's %s.json/.png/.svg; choose another folder, so that it does not mix two runs", out, strings.Join(other, ", "), name, name)
}

// quickSteps sets the steps of --quick unless --steps was given.
func quickSteps(cmd *cobra.Command, steps *int, quick int) {
	if !cmd.Flags().Changed("steps") {
		*steps = quick
	}
}

// parseGrid reads the --ns and the signal-axis flag when given.
func parseGrid(cmd *cobra.Command, ns, ys, yflag string, nsOut *[]int, ysOut *[]float64) error {
	// A flag given empty is an error, not the default grid.
	if cmd.Flags().Changed("ns") {
		v, err := parseList(ns, "an integer", strconv.Atoi)
		if err == nil && len(v) == 0 {
			err = errors.New("give at least one training size")
		}
		if err != nil {
			return usagef(cmd, "--ns=%q: %v", ns, err)
		}
		*nsOut = v
	}
	if cmd.Flags().Changed(yflag) {
		v, err := parseList(ys, "a number", func(s string) (float64, error) { return strconv.ParseFloat(s, 64) })
		if err == nil && len(v) == 0 {
			err = errors.New("give at least one value")
		}
		if err != nil {
			return usagef(cmd, "--%s=%q: %v", yflag, ys, err)
		}
		*ysOut = v
	}
	return nil
}

func writeFig(cmd *cobra.Command, base string, fig outfile.Figure) error {
	if err := outfile.WriteFigure(base, fig); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Figure: %s.png (and .svg)\n", base)
	return nil
}
