package report

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Lines draws a metric along one sweep axis: one line per series, the mean
// over seeds with error bars of ± one standard deviation.
type Lines struct {
	Title          string
	XLabel, YLabel string
	// XTicks, when given, names the x positions 0, 1, … (for axes whose
	// values are not numbers, or are not evenly spaced); the series' X are
	// then indices.
	XTicks []string
	Series []Series
	// YBounds, when YBounds[0] < YBounds[1], is the range the values can
	// take (an error rate: [0, 1]; a difference of two: [−1, 1]): the y
	// axis, head room for the legend included, stays inside it.
	YBounds [2]float64
}

// LogX reports whether the x axis is logarithmic: numeric x (no XTicks),
// all positive, spanning two decades or more (learning rates 1e-5…1e-3).
func (l *Lines) LogX() bool {
	if l.XTicks != nil {
		return false
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range l.Series {
		for _, x := range s.X {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	return lo > 0 && hi/lo >= 100
}

// Series is one line of Lines.
type Series struct {
	Label        string
	X, Mean, Std []float64 // equal lengths; NaN Mean: no point
}

type meanStd struct{ s Series }

func (m meanStd) Len() int { return len(m.s.X) }
func (m meanStd) XY(i int) (float64, float64) {
	return m.s.X[i], m.s.Mean[i]
}
func (m meanStd) YError(i int) (float64, float64) {
	if m.s.Std == nil || math.IsNaN(m.s.Std[i]) {
		return 0, 0
	}
	return m.s.Std[i], m.s.Std[i]
}

func (l *Lines) plot() (*plot.Plot, error) {
	if len(l.Series) == 0 {
		return nil, fmt.Errorf("lines: no series to draw")
	}
	p := plot.New()
	p.Title.Text = l.Title
	p.X.Label.Text = l.XLabel
	p.Y.Label.Text = l.YLabel
	p.Add(plotter.NewGrid())
	if l.XTicks != nil {
		p.X.Tick.Marker = indexTicks(l.XTicks)
	}
	if l.LogX() {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	var curves []plotter.XYs
	for i, s := range l.Series {
		if len(s.Mean) != len(s.X) || (s.Std != nil && len(s.Std) != len(s.X)) {
			return nil, fmt.Errorf("lines: series %q: X, Mean and Std have lengths %d, %d, %d", s.Label, len(s.X), len(s.Mean), len(s.Std))
		}
		// Points without a value are left out.
		var kept Series
		for k := range s.X {
			if !math.IsNaN(s.Mean[k]) {
				kept.X = append(kept.X, s.X[k])
				kept.Mean = append(kept.Mean, s.Mean[k])
				if s.Std != nil {
					kept.Std = append(kept.Std, s.Std[k])
				}
			}
		}
		if len(kept.X) == 0 {
			continue
		}
		ms := meanStd{kept}
		line, points, err := plotter.NewLinePoints(ms)
		if err != nil {
			return nil, fmt.Errorf("lines: series %q: %w", s.Label, err)
		}
		col := plotutil.Color(i)
		line.Color, points.Color = col, col
		line.Width = vg.Points(1.5)
		points.Shape = plotutil.Shape(i)
		bars, err := plotter.NewYErrorBars(ms)
		if err != nil {
			return nil, fmt.Errorf("lines: series %q: %w", s.Label, err)
		}
		bars.Color = col
		p.Add(line, points, bars)
		p.Legend.Add(s.Label, line, points)
		xy := make(plotter.XYs, len(kept.X))
		for k := range kept.X {
			xy[k] = plotter.XY{X: kept.X[k], Y: kept.Mean[k]}
			if kept.Std != nil && !math.IsNaN(kept.Std[k]) { // the error bar's ends too
				curves = append(curves, plotter.XYs{{X: kept.X[k], Y: kept.Mean[k] - kept.Std[k]}, {X: kept.X[k], Y: kept.Mean[k] + kept.Std[k]}})
			}
		}
		curves = append(curves, xy)
	}
	// The legend in the corner the lines cross least (head room above the
	// data when they cross all four).
	wd, ht := l.size()
	w, h := legendFraction(p, wd-1.2*vg.Inch, ht-1.3*vg.Inch)
	placeLegend(p, curves, w, h, l.LogX())
	if lo, hi := l.YBounds[0], l.YBounds[1]; lo < hi {
		p.Y.Min, p.Y.Max = max(p.Y.Min, lo), min(p.Y.Max, hi)
		if !(p.Y.Min < p.Y.Max) {
			p.Y.Min, p.Y.Max = lo, hi
		}
	}
	return p, nil
}

func (l *Lines) size() (vg.Length, vg.Length) { return 5.5 * vg.Inch, 3.8 * vg.Inch }

// draw draws p inside margins of the picture c, the title wrapped to its
// width and the legend boxed.
func (l *Lines) draw(p *plot.Plot, c draw.Canvas) {
	margin := 2 * vg.Millimeter
	c = draw.Crop(c, 0, -2*margin, 0, -margin)
	wrapTitle(p, c.Max.X-c.Min.X-4*margin)
	boxLegend(p)
	p.Draw(c)
}

// render builds the plot and draws it on c.
func (l *Lines) render(c draw.Canvas) error {
	p, err := l.plot()
	if err != nil {
		return err
	}
	l.draw(p, c)
	return nil
}

// WritePNG writes the plot as a PNG at 150 dpi.
func (l *Lines) WritePNG(w io.Writer) error {
	return writePNG(w, l)
}

// WriteSVG writes the plot as SVG.
func (l *Lines) WriteSVG(w io.Writer) error {
	return writeSVG(w, l)
}
