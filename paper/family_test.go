package paper

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/progress"
)

// The reproductions of the family (README "The signal–noise family")
// assert the papers' qualitative results on real runs of the --quick
// grids.

func cellAt(t *testing.T, cells []GridCell, n int, y float64) GridCell {
	t.Helper()
	for _, c := range cells {
		if c.N == n && c.Y == y {
			return c
		}
	}
	t.Fatalf("no cell n=%d y=%g", n, y)
	return GridCell{}
}

// fitCorners fails the test for every cell that does not fit its training
// set (why says why it must) and returns the cells at the largest n and y
// and at the smallest.
func fitCorners(t *testing.T, cells []GridCell, ns []int, ys []float64, yname, why string) (hi, lo GridCell) {
	t.Helper()
	for _, c := range cells {
		if c.TrainError != 0 {
			t.Errorf("n=%d %s=%g: train error %v, want 0 (%s)", c.N, yname, c.Y, c.TrainError, why)
		}
	}
	return cellAt(t, cells, ns[len(ns)-1], ys[len(ys)-1]), cellAt(t, cells, ns[0], ys[0])
}

// TestBenignPhaseTransition: GD overfits every training set of the grid;
// its test error is near 0 at large n and SNR, near ½ at small ones, and
// the theorem's statistic n·SNR^q separates the two: a single boundary
// n·SNR³ = C puts at least 90% of the cells on their side.
func TestBenignPhaseTransition(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a grid of runs")
	}
	o := QuickBenign()
	rep, err := Benign(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	hi, lo := fitCorners(t, rep.Cells, o.Ns, o.SNRs, "SNR", "overfitting")
	if !(hi.TestError < 0.05) || !(lo.TestError > 0.4) {
		t.Errorf("test error %v at the largest n and SNR (want < 0.05), %v at the smallest (want > 0.4)", hi.TestError, lo.TestError)
	}
	if a := float64(rep.Boundary.Agreement); !(a >= 0.9) {
		t.Errorf("the boundary n·SNR^3 = C puts %.0f%% of the cells on their side, want >= 90%%\n%s", 100*a, rep.Table())
	}
	checkFigure(t, rep.WritePNG, rep.Heatmap().Overlays != nil)
}

// TestLabelFlipPhaseTransition: GD fits every training set, flipped labels
// included; where n·‖μ‖⁴ is large its test error on noisy labels is the
// Bayes risk p (clean-label error near 0), where it is small it is far
// above p; the boundary n·‖μ‖⁴ = C·σp⁴·d puts at least 90% of the cells on
// their side.
func TestLabelFlipPhaseTransition(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a grid of runs")
	}
	o := QuickLabelFlip()
	rep, err := LabelFlip(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	hi, lo := fitCorners(t, rep.Cells, o.Ns, o.Mus, "‖μ‖", "the flipped labels memorised")
	if math.Abs(float64(hi.TestError)-o.P) > 0.03 || !(hi.TestClean < 0.02) {
		t.Errorf("largest n and ‖μ‖: test error %v (want p=%g ± 0.03), clean %v (want < 0.02)", hi.TestError, o.P, hi.TestClean)
	}
	if !(float64(lo.TestError) > o.P+0.25) {
		t.Errorf("smallest n and ‖μ‖: test error %v, want > p + 0.25", lo.TestError)
	}
	if a := float64(rep.Boundary.Agreement); !(a >= 0.9) {
		t.Errorf("the boundary puts %.0f%% of the cells on their side, want >= 90%%\n%s", 100*a, rep.Table())
	}
	checkFigure(t, rep.WritePNG, true)
}

// TestFamilyGap: on the family's data, with the same W₀, the seed's gap
// (Adam far worse than GD) holds at the seed's sparse point and appears
// on gaussian noise at intermediate SNR, and closes at high SNR (both
// learn the signal).
func TestFamilyGap(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a grid of runs")
	}
	o := QuickFamily()
	rep, err := Family(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Seed
	if s.Noise != "sparse" || !(s.Gap > 0.3) || s.AdamTrain != 0 || s.GDTrain != 0 {
		t.Errorf("seed's sparse point: %+v, want both fitting the data and Adam's test error > GD's + 0.3", s)
	}
	top := o.SNRs[len(o.SNRs)-1]
	widest := 0.0
	for _, r := range rep.Grid {
		if r.SNR == top && !(math.Abs(float64(r.Gap)) < 0.05) {
			t.Errorf("SNR=%g α=%g: gap %v, want it closed (|gap| < 0.05)", r.SNR, r.Alpha, r.Gap)
		}
		widest = max(widest, float64(r.Gap))
	}
	if !(widest > 0.3) {
		t.Errorf("no cell of the gaussian grid has a gap above 0.3 (widest %v)\n%s", widest, rep.Table())
	}
	checkFigure(t, rep.WritePNG, true)
}

func checkFigure(t *testing.T, write func(w io.Writer) error, overlays bool) {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "\x89PNG") || !overlays {
		t.Error("the figure is not a PNG, or has no boundary/marker drawn over it")
	}
}

// TestFamilyOptionsRejects: bad grids are errors naming the option.
func TestFamilyOptionsRejects(t *testing.T) {
	b := DefaultBenign()
	b.Ns = []int{10, 5}
	l := DefaultLabelFlip()
	l.P = 0.5
	f := DefaultFamily()
	f.Alphas = []float64{0.2, 0.1}
	fp, fnan := DefaultFamily(), DefaultFamily()
	fp.P, fnan.P = 0.5, math.NaN()
	for _, c := range []struct {
		err  error
		want string
	}{
		{b.Validate(), "ns=[10 5]"},
		{l.Validate(), "p=0.5"},
		{f.Validate(), "alphas=[0.2 0.1]"},
		{fp.Validate(), "p=0.5 must be in (0, 0.5)"},
		{fnan.Validate(), "p=NaN must be in (0, 0.5)"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("err = %v, want it to name %q", c.err, c.want)
		}
	}
}

// TestFitBoundary: the fitted constant separates separable cells exactly
// and reports the fraction on their side otherwise.
func TestFitBoundary(t *testing.T) {
	c, a := fitBoundary([]float64{1, 2, 4, 8}, []bool{false, false, true, true})
	if a != 1 || !(c > 2 && c < 4) {
		t.Errorf("separable: C=%v agreement=%v, want C in (2,4), 1", c, a)
	}
	_, a = fitBoundary([]float64{1, 2, 4, 8, 16}, []bool{false, true, false, true, true})
	if a != 0.8 {
		t.Errorf("one cell on the wrong side: agreement %v, want 0.8", a)
	}
}

// TestInterruptedGridsKeepCells: benign, labelflip and family stopped
// after their first cell return a report of what was computed (the
// finished cell, the others marked with their error; no boundary fitted to
// part of a grid) with ctx's error, so that the command line writes
// NAME.partial.json; family returned nothing.
func TestInterruptedGridsKeepCells(t *testing.T) {
	stopAfterFirst := func(cancel context.CancelFunc) progress.Recorder {
		return progress.RecorderFunc(func(u progress.Update) {
			if u.Item != "" {
				cancel()
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := QuickFamily()
	f.SNRs, f.Alphas, f.Steps, f.Jobs = []float64{1}, []float64{0}, 20, 1
	rep, err := Family(ctx, f, stopAfterFirst(cancel))
	if !errors.Is(err, context.Canceled) || rep == nil {
		t.Fatalf("family: report %v, error %v; want a report and context.Canceled", rep != nil, err)
	}
	if r := rep.Grid[0]; r.Error != "" || math.IsNaN(float64(r.Gap)) {
		t.Errorf("family: the finished cell was lost: %+v", r)
	}
	if r := rep.Variants[len(rep.Variants)-1]; r.Error == "" || !math.IsNaN(float64(r.Gap)) {
		t.Errorf("family: a cell that never ran is not marked: %+v", r)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	b := QuickBenign()
	b.Steps, b.Jobs = 20, 1
	brep, err := Benign(ctx, b, stopAfterFirst(cancel))
	if !errors.Is(err, context.Canceled) || brep == nil {
		t.Fatalf("benign: report %v, error %v; want a report and context.Canceled", brep != nil, err)
	}
	if c := brep.Cells[0]; c.Error != "" || math.IsNaN(float64(c.TestError)) {
		t.Errorf("benign: the finished cell was lost: %+v", c)
	}
	if !strings.Contains(brep.Table(), "not fitted (1 cells finished)") {
		t.Errorf("benign: the table of an interrupted grid claims a boundary:\n%s", brep.Table())
	}
}
