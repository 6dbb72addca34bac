package paper

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/report"
)

// LabelFlipOptions are the settings of LabelFlip: the grid of training
// sizes n and signal norms ‖μ‖, the label noise p and the one network and
// gradient descent every cell trains.
type LabelFlipOptions struct {
	Ns     []int     // training sizes (even)
	Mus    []float64 // signal norms ‖μ‖, increasing
	P      float64   // label noise: the probability of a flipped label (Bayes risk)
	GDGrid           // the network is ReLU (relu_power with q = 1)
}

// DefaultLabelFlip returns the grid of the README: p = 0.1 (Kou et al.'s
// label noise), ReLU with the 1/m output (theirs); n from 10 to 160, ‖μ‖
// from 0.5 to 8 (7 values), d = 400, σp = 1, m = 20, σ₀ = 0.2, GD η = 4
// for 1000 steps and 2000 test examples are chosen here (see the README).
func DefaultLabelFlip() LabelFlipOptions {
	return LabelFlipOptions{
		Ns: []int{10, 20, 40, 80, 160}, Mus: geometric(0.5, 8, 7), P: 0.1,
		GDGrid: GDGrid{D: 400, SigmaP: 1, M: 20, Output: "mean", Sigma0: 0.2, LR: 4, Steps: 1000, TestSize: 2000},
	}
}

// QuickLabelFlip is DefaultLabelFlip on a 3 × 4 grid with 600 steps.
func QuickLabelFlip() LabelFlipOptions {
	o := DefaultLabelFlip()
	o.Ns, o.Mus, o.Steps = []int{10, 40, 160}, geometric(0.5, 8, 4), 600
	return o
}

// Validate reports the first option out of range.
func (o LabelFlipOptions) Validate() error {
	if err := checkGrid(o.Ns, o.Mus, "mus"); err != nil {
		return err
	}
	if !(o.P > 0 && o.P < 0.5) {
		return fmt.Errorf("%w: p=%v must be in (0, 0.5)", ErrInvalid, o.P)
	}
	return checkJobs(o.Jobs)
}

// LabelFlipReport is what LabelFlip measured: GD's test error (on noisy
// and on clean test labels) on every cell and the boundary
// n·‖μ‖⁴/(σp⁴·d) = C of Kou et al.'s main theorem fitted to it.
type LabelFlipReport struct {
	Options  LabelFlipOptions `json:"options"`
	Cells    []GridCell       `json:"cells"`
	Boundary Boundary         `json:"boundary"`
}

// LabelFlip reproduces the phase diagram of Kou, Chen, Chen and Gu (ICML
// 2023, "Benign overfitting in two-layer ReLU convolutional neural
// networks"): gradient descent on the Gaussian-noise model with a fraction
// p of flipped training labels fits every training set (the flipped labels
// included); its test error on noisy labels approaches the Bayes risk p
// where n·‖μ‖⁴ ≳ σp⁴·d (benign) and stays a constant above it where
// n·‖μ‖⁴ ≲ σp⁴·d (harmful). The boundary's constant is fitted (Boundary).
func LabelFlip(ctx context.Context, o LabelFlipOptions, rec progress.Recorder) (*LabelFlipReport, error) {
	noise := math.Pow(o.SigmaP, 4) * float64(o.D)
	cells, b, err := gridExperiment(ctx, o, o.GDGrid, o.P, 1, gridSpec{
		task: "labelflip", ns: o.Ns, ys: o.Mus,
		mu:        func(mu float64) float64 { return mu },
		stat:      func(n int, mu float64) float64 { return float64(n) * math.Pow(mu, 4) / noise },
		statName:  "n·‖μ‖⁴/(σp⁴·d)",
		threshold: o.P + 0.1,
	}, rec)
	if cells == nil {
		return nil, err
	}
	return &LabelFlipReport{Options: o, Cells: cells, Boundary: b}, err
}

// Table prints the grid and the fitted boundary.
func (r *LabelFlipReport) Table() string {
	var b strings.Builder
	o := r.Options
	fmt.Fprintf(&b, "Label-flip noise (Kou et al. 2023): GD on gaussian noise, p=%g (Bayes risk), d=%d σp=%g, ReLU, %s output, m=%d, σ₀=%g, η=%g, %d steps\n\n",
		o.P, o.D, o.SigmaP, o.Output, o.M, o.Sigma0, o.LR, o.Steps)
	gridTable(&b, testErrorTitle, "‖μ‖", r.Cells, o.Ns, testAndTrain)
	b.WriteString("\n")
	gridTable(&b, "test error on the clean test labels", "‖μ‖", r.Cells, o.Ns, func(c GridCell) string { return g3(c.TestClean) })
	writeBoundary(&b, r.Boundary)
	return b.String()
}

// Heatmap is the map of test error minus the Bayes risk p over n × ‖μ‖
// with the fitted boundary n·‖μ‖⁴ = C·σp⁴·d drawn over it.
func (r *LabelFlipReport) Heatmap() *report.Heatmap {
	o := r.Options
	noise := math.Pow(o.SigmaP, 4) * float64(o.D)
	return gridHeatmap(report.Heatmap{
		Title:  fmt.Sprintf("Kou et al. 2023: GD test error − Bayes risk p=%g, gaussian noise (d=%d, σp=%g), ReLU, 1/m output", o.P, o.D, o.SigmaP),
		YLabel: "signal norm ‖μ‖", ZLabel: "test error − p", ZMin: 0, ZMax: 0.4,
	}, o.Ns, o.Mus, r.Cells, func(c GridCell) Num { return c.TestError - Num(o.P) }, r.Boundary,
		func(c float64) string {
			return fmt.Sprintf("red line: n·‖μ‖⁴ = C·σp⁴·d, C = %.3g, the theorem's boundary (C fitted to the cells)", c)
		},
		func(c, n float64) float64 { return math.Pow(c*noise/n, 0.25) })
}

// WritePNG and WriteSVG write the heat map.
func (r *LabelFlipReport) WritePNG(w io.Writer) error { return r.Heatmap().WritePNG(w) }
func (r *LabelFlipReport) WriteSVG(w io.Writer) error { return r.Heatmap().WriteSVG(w) }
