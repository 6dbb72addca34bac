package report

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap draws a metric over two sweep axes: one cell per (x, y) value,
// coloured by Z and labelled with its mean (± standard deviation when Std
// is given), with a colour bar. Cells are equally spaced whatever the axis
// values; the tick labels give the values.
type Heatmap struct {
	Title          string
	XLabel, YLabel string
	ZLabel         string      // colour bar label
	XTicks, YTicks []string    // one per column, one per row
	Z              [][]float64 // Z[row][col]; NaN for a missing cell
	Std            [][]float64 // optional, same shape
	// Diverging uses a blue–grey–red scale symmetric around 0, for
	// differences; else the scale is viridis (Sequential).
	Diverging bool
	// ZMin and ZMax, when ZMin < ZMax, fix the colour scale's range (values
	// outside take its end colours), so that maps drawn side by side
	// compare: ShareScale sets them. Else the range is that of Z.
	ZMin, ZMax float64
	// Overlays are drawn over the cells: boundary curves and markers (see
	// Overlay).
	Overlays []Overlay
}

type heatGrid struct{ h *Heatmap }

func (g heatGrid) Dims() (c, r int)   { return len(g.h.XTicks), len(g.h.YTicks) }
func (g heatGrid) Z(c, r int) float64 { return g.h.Z[r][c] }
func (g heatGrid) X(c int) float64    { return float64(c) }
func (g heatGrid) Y(r int) float64    { return float64(r) }
func (h *Heatmap) check() error {
	if len(h.XTicks) == 0 || len(h.YTicks) == 0 {
		return fmt.Errorf("heatmap: no cells to draw")
	}
	if len(h.Z) != len(h.YTicks) {
		return fmt.Errorf("heatmap: %d rows of values for %d y ticks", len(h.Z), len(h.YTicks))
	}
	for i, row := range h.Z {
		if len(row) != len(h.XTicks) {
			return fmt.Errorf("heatmap: row %d has %d values for %d x ticks", i, len(row), len(h.XTicks))
		}
	}
	return nil
}

// colorMap returns the scale: over [ZMin, ZMax] when set, else a range
// that covers every finite value; symmetric around 0 when Diverging.
func (h *Heatmap) colorMap() palette.ColorMap {
	lo, hi := h.ZMin, h.ZMax
	if !(lo < hi) {
		lo, hi = h.zRange()
	}
	if lo > hi { // nothing finite
		lo, hi = 0, 1
	}
	var cm palette.ColorMap
	if h.Diverging {
		a := math.Max(math.Abs(lo), math.Abs(hi))
		if a == 0 {
			a = 1
		}
		cm = Diverging()
		lo, hi = -a, a
	} else {
		cm = Sequential()
		if lo == hi {
			lo, hi = lo-0.5, hi+0.5
		}
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	return cm
}

func (h *Heatmap) plots() (main, bar *plot.Plot, err error) {
	if err := h.check(); err != nil {
		return nil, nil, err
	}
	cm := h.colorMap()
	pal := cm.Palette(256)
	hm := plotter.NewHeatMap(heatGrid{h}, pal)
	hm.Min, hm.Max = cm.Min(), cm.Max()
	hm.NaN = color.Gray{Y: 0xdd}
	// Values outside a fixed range (ZMin, ZMax) take the end colours
	// (gonum leaves such cells blank).
	cols := pal.Colors()
	hm.Underflow, hm.Overflow = cols[0], cols[len(cols)-1]

	main = plot.New()
	main.Title.Text = h.Title
	main.X.Label.Text = h.XLabel
	main.Y.Label.Text = h.YLabel
	main.Add(hm)
	main.X.Tick.Marker = indexTicks(h.XTicks)
	main.Y.Tick.Marker = indexTicks(h.YTicks)
	main.X.Padding, main.Y.Padding = 0, 0
	main.X.Min, main.X.Max = -0.5, float64(len(h.XTicks))-0.5
	main.Y.Min, main.Y.Max = -0.5, float64(len(h.YTicks))-0.5

	// Cell labels, dark on light cells and light on dark ones.
	var lab plotter.XYLabels
	var styles []text.Style
	size := font.Length(9)
	if len(h.XTicks) > 6 {
		size = 7
	}
	num := h.cellFormat()
	for r, row := range h.Z {
		for c, v := range row {
			if math.IsNaN(v) {
				continue
			}
			s := num(v)
			if h.Std != nil && !math.IsNaN(h.Std[r][c]) {
				s += "\n±" + num(h.Std[r][c])
			}
			lab.XYs = append(lab.XYs, plotter.XY{X: float64(c), Y: float64(r)})
			lab.Labels = append(lab.Labels, s)
			st := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, size),
				XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
			if col, err := cm.At(math.Max(cm.Min(), math.Min(cm.Max(), v))); err == nil && luminance(col) < 0.45 {
				st.Color = color.White
			}
			styles = append(styles, st)
		}
	}
	if len(lab.XYs) > 0 {
		l, err := plotter.NewLabels(lab)
		if err != nil {
			return nil, nil, err
		}
		l.TextStyle = styles
		main.Add(l)
	}

	addOverlays(main, h.Overlays)

	bar = plot.New()
	bar.HideX()
	bar.Y.Label.Text = h.ZLabel
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	return main, bar, nil
}

// cellFormat returns how cell values are written: three decimals for
// values of moderate size (error rates and their differences), three
// significant digits otherwise.
func (h *Heatmap) cellFormat() func(float64) string {
	big := 0.0
	for _, row := range h.Z {
		for _, v := range row {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				big = math.Max(big, math.Abs(v))
			}
		}
	}
	if big >= 0.01 && big < 1000 {
		return func(v float64) string { return fmt.Sprintf("%.3f", v) }
	}
	return func(v float64) string { return fmt.Sprintf("%.3g", v) }
}

// luminance is the relative luminance of c in [0, 1].
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// indexTicks labels the integer positions 0, 1, … with names.
type indexTicks []string

func (t indexTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for i, s := range t {
		if v := float64(i); v >= min && v <= max {
			ticks = append(ticks, plot.Tick{Value: v, Label: s})
		}
	}
	return ticks
}

func (h *Heatmap) render(c draw.Canvas) error {
	main, bar, err := h.plots()
	if err != nil {
		return err
	}
	barW := 2.2 * vg.Centimeter
	margin := 2 * vg.Millimeter // the bar's right edge and the title stay inside the picture
	c = draw.Crop(c, 0, 0, 0, -margin)
	mc := draw.Crop(c, 0, -barW-margin-vg.Millimeter*3, 0, 0)
	wrapTitle(main, mc.Max.X-mc.Min.X-2*margin)
	main.Draw(mc)
	// Align the bar with the cells.
	dc := main.DataCanvas(mc)
	bar.Draw(draw.Crop(c, c.Max.X-c.Min.X-barW-margin, -margin, dc.Min.Y-c.Min.Y, dc.Max.Y-c.Max.Y))
	return nil
}

func (h *Heatmap) size() (vg.Length, vg.Length) {
	w := vg.Length(len(h.XTicks))*1.5*vg.Centimeter + 6*vg.Centimeter
	ht := vg.Length(len(h.YTicks))*1.2*vg.Centimeter + 3.5*vg.Centimeter
	return max(w, 5*vg.Inch), max(ht, 3.5*vg.Inch)
}

// WritePNG writes the heatmap as a PNG at 150 dpi.
func (h *Heatmap) WritePNG(w io.Writer) error {
	return writePNG(w, h)
}

// WriteSVG writes the heatmap as SVG.
func (h *Heatmap) WriteSVG(w io.Writer) error {
	return writeSVG(w, h)
}
