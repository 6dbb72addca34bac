package paper

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/report"
)

// BenignOptions are the settings of Benign: the grid of training sizes n
// and signal-to-noise ratios SNR = ‖μ‖/(σp·√d), and the one network and
// gradient descent every cell trains.
type BenignOptions struct {
	Ns   []int     // training sizes (even)
	SNRs []float64 // increasing, > 0; ‖μ‖ = SNR·σp·√d
	Q    float64   // the activation ReLU^Q (Q > 2 in the theorem)
	GDGrid
}

// DefaultBenign returns the grid of the README: n from 10 to 160, SNR
// from 0.15 to 1.2 (7 values), d = 400, σp = 1, ReLU³ with the 1/m
// output, m = 20, σ₀ = 0.027, GD η = 0.074 for 1000 steps, 1000 test
// examples. None of these numbers is Cao et al.'s (their paper is a
// theory paper); they are chosen so that every cell fits its training set
// in the steps given and the transition lies inside the grid.
func DefaultBenign() BenignOptions {
	return BenignOptions{
		Ns: []int{10, 20, 40, 80, 160}, SNRs: geometric(0.15, 1.2, 7), Q: 3,
		GDGrid: GDGrid{D: 400, SigmaP: 1, M: 20, Output: "mean", Sigma0: 0.027, LR: 0.074, Steps: 1000, TestSize: 1000},
	}
}

// QuickBenign is DefaultBenign on a 3 × 4 grid with 600 steps.
func QuickBenign() BenignOptions {
	o := DefaultBenign()
	o.Ns, o.SNRs, o.Steps = []int{10, 40, 160}, geometric(0.15, 1.2, 4), 600
	return o
}

// Validate reports the first option out of range.
func (o BenignOptions) Validate() error {
	if err := checkGrid(o.Ns, o.SNRs, "snrs"); err != nil {
		return err
	}
	return checkJobs(o.Jobs)
}

func checkGrid(ns []int, ys []float64, yname string) error {
	if len(ns) == 0 || len(ys) == 0 {
		return fmt.Errorf("%w: ns and %s must not be empty", ErrInvalid, yname)
	}
	for i, n := range ns {
		if n < 2 || n%2 != 0 || (i > 0 && n <= ns[i-1]) {
			return fmt.Errorf("%w: ns=%v must be increasing even numbers >= 2", ErrInvalid, ns)
		}
	}
	for i, y := range ys {
		if !(y > 0) || math.IsInf(y, 0) || (i > 0 && y <= ys[i-1]) {
			return fmt.Errorf("%w: %s=%v must be increasing finite numbers > 0", ErrInvalid, yname, ys)
		}
	}
	return nil
}

// BenignReport is what Benign measured: GD's test error on every cell of
// the grid and the boundary n·SNR^q = C of Cao et al.'s benign and harmful
// theorems fitted to it.
type BenignReport struct {
	Options  BenignOptions `json:"options"`
	Cells    []GridCell    `json:"cells"`
	Boundary Boundary      `json:"boundary"`
}

// Benign reproduces the phase diagram of Cao, Chen, Belkin and Gu
// (NeurIPS 2022, "Benign overfitting in two-layer convolutional neural
// networks"): gradient descent on the Gaussian-noise model with ReLU^q and
// the 1/m output fits every training set, and its test error is near 0
// (benign) where n·SNR^q is large and near ½ (harmful) where it is small.
// The theorems give the statistic n·SNR^q and leave its constant open;
// the report fits C to the cells (Boundary) and says how many cells lie on
// their side of n·SNR^q = C.
func Benign(ctx context.Context, o BenignOptions, rec progress.Recorder) (*BenignReport, error) {
	scale := o.SigmaP * math.Sqrt(float64(o.D))
	cells, b, err := gridExperiment(ctx, o, o.GDGrid, 0, o.Q, gridSpec{
		task: "benign", ns: o.Ns, ys: o.SNRs,
		mu:        func(snr float64) float64 { return snr * scale },
		stat:      func(n int, mu float64) float64 { return float64(n) * math.Pow(mu/scale, o.Q) },
		statName:  fmt.Sprintf("n·SNR^%g", o.Q),
		threshold: 0.1,
	}, rec)
	if cells == nil {
		return nil, err
	}
	return &BenignReport{Options: o, Cells: cells, Boundary: b}, err
}

// gridExperiment validates the options o of a grid experiment, completes
// g with the configuration of grid (label noise p, ReLU^q) and its jobs,
// and runs it (runGrid); cells is nil when nothing ran.
func gridExperiment(ctx context.Context, o interface{ Validate() error }, grid GDGrid, p, q float64, g gridSpec, rec progress.Recorder) (cells []GridCell, b Boundary, err error) {
	if err := o.Validate(); err != nil {
		return nil, Boundary{}, err
	}
	if g.base, err = grid.config(p, q); err != nil {
		return nil, Boundary{}, asInvalid(err)
	}
	g.jobs = grid.Jobs
	return runGrid(ctx, g, rec)
}

// Table prints the grid (test error, rows SNR, columns n) and the fitted
// boundary.
func (r *BenignReport) Table() string {
	var b strings.Builder
	o := r.Options
	fmt.Fprintf(&b, "Benign overfitting (Cao et al. 2022): GD on gaussian noise, d=%d σp=%g, ReLU^%g, %s output, m=%d, σ₀=%g, η=%g, %d steps\n\n",
		o.D, o.SigmaP, o.Q, o.Output, o.M, o.Sigma0, o.LR, o.Steps)
	gridTable(&b, testErrorTitle, "SNR", r.Cells, o.Ns, testAndTrain)
	writeBoundary(&b, r.Boundary)
	return b.String()
}

// testErrorTitle is the title of the tables of testAndTrain.
const testErrorTitle = "test error of GD's last iterate (train error in brackets where not 0)"

// testAndTrain is a cell's test error, with its train error in brackets
// where not 0.
func testAndTrain(c GridCell) string {
	s := g3(c.TestError)
	if t := float64(c.TrainError); t != 0 && !math.IsNaN(t) {
		s += fmt.Sprintf(" (%s)", g3(c.TrainError))
	}
	return s
}

// gridTable writes title and a table of the cells, a row per y (named
// yname) and a column per n, each cell's text from cell.
func gridTable(b *strings.Builder, title, yname string, cells []GridCell, nvals []int, cell func(GridCell) string) {
	ns := len(nvals)
	fmt.Fprintf(b, "%s\n\n| %s \\ n |", title, yname)
	for _, n := range nvals {
		fmt.Fprintf(b, " %d |", n)
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", ns) + "\n")
	for i, c := range cells {
		if i%ns == 0 {
			fmt.Fprintf(b, "| %.3g |", c.Y)
		}
		fmt.Fprintf(b, " %s |", cell(c))
		if i%ns == ns-1 {
			b.WriteString("\n")
		}
	}
}

func writeBoundary(b *strings.Builder, bd Boundary) {
	if math.IsNaN(float64(bd.C)) {
		fmt.Fprintf(b, "\nBoundary %s = C: not fitted (%d cells finished).\n", bd.Statistic, bd.Cells)
		return
	}
	fmt.Fprintf(b, "\nBoundary %s = C fitted to the cells (benign: test error < %g): C = %s; %.0f%% of the %d cells lie on their side of it.\n",
		bd.Statistic, bd.Threshold, g3(bd.C), 100*float64(bd.Agreement), bd.Cells)
}

// Heatmap is the test-error map over n × SNR with the fitted boundary
// n·SNR^q = C drawn over it.
func (r *BenignReport) Heatmap() *report.Heatmap {
	o := r.Options
	return gridHeatmap(report.Heatmap{
		Title:  fmt.Sprintf("Cao et al. 2022: GD test error, gaussian noise (d=%d), ReLU^%g, 1/m output", o.D, o.Q),
		YLabel: "SNR = ‖μ‖/(σp√d)", ZLabel: "test error", ZMin: 0, ZMax: 0.5,
	}, o.Ns, o.SNRs, r.Cells, func(c GridCell) Num { return c.TestError }, r.Boundary,
		func(c float64) string {
			return fmt.Sprintf("red line: n·SNR^%g = C = %.3g, the theorem's boundary (C fitted to the cells)", o.Q, c)
		},
		func(c, n float64) float64 { return math.Pow(c/n, 1/o.Q) })
}

// gridHeatmap completes h, the heat map of a grid's cells over n × ys
// (its title, y label and z range set), with the cells' z and, where the
// boundary was fitted, the boundary's curve y(n) = curve(C, n), named by
// label(C).
func gridHeatmap(h report.Heatmap, ns []int, ys []float64, cells []GridCell, z func(GridCell) Num, bd Boundary,
	label func(c float64) string, curve func(c, n float64) float64) *report.Heatmap {
	h.XLabel = "training examples n"
	h.XTicks, h.YTicks = formatTicks(ns), formatTicks(ys)
	h.Z = gridZ(cells, len(ns), z)
	if c := float64(bd.C); !math.IsNaN(c) {
		h.Overlays = append(h.Overlays, report.CurveOverlay(label(c), floats(ns), ys,
			func(n float64) float64 { return curve(c, n) }, color.RGBA{R: 255, G: 40, B: 40, A: 255}, false))
	}
	return &h
}

// WritePNG and WriteSVG write the heat map.
func (r *BenignReport) WritePNG(w io.Writer) error { return r.Heatmap().WritePNG(w) }
func (r *BenignReport) WriteSVG(w io.Writer) error { return r.Heatmap().WriteSVG(w) }
