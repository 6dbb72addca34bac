package report

import (
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"

	xfont "golang.org/x/image/font"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Figure1 is the analogue of the paper's Figure 1: the first-layer filters
// of networks trained by different optimisers, side by side. Each panel is
// a grid of filters; each filter is scaled to its own range (minimum black,
// maximum white), as filter visualisations usually are, so what shows is
// its shape, not its size.
type Figure1 struct {
	Title   string
	Caption []string // lines under the panels
	Kernel  int      // filter side k
	Columns int      // panels per row; 0: all in one row
	Panels  []FilterPanel
}

// FilterPanel is one panel of Figure1; one without a title and filters
// leaves its slot empty.
type FilterPanel struct {
	Title   string
	Lines   []string    // short lines under the title (accuracy, noisiness)
	Filters [][]float64 // each k² values, row-major
}

// figure1 geometry, in pixels.
const (
	f1Margin  = 24
	f1Gap     = 6  // between filters
	f1PanelGp = 40 // between panels
	f1Title   = 22 // font sizes
	f1Text    = 15
	f1Cell    = 84 // a filter's side, at least; rounded to a multiple of k
)

// WritePNG draws the figure as a PNG. It returns an error if a filter does
// not have k² values or there is nothing to draw.
func (f Figure1) WritePNG(w io.Writer) error {
	k := f.Kernel
	if k < 1 || len(f.Panels) == 0 {
		return fmt.Errorf("report: Figure1: need k ≥ 1 (got %d) and at least one panel", k)
	}
	nf := 0
	for _, p := range f.Panels {
		for i, flt := range p.Filters {
			if len(flt) != k*k {
				return fmt.Errorf("report: Figure1: panel %q filter %d has %d values, want k²=%d", p.Title, i, len(flt), k*k)
			}
		}
		nf = max(nf, len(p.Filters))
	}
	if nf == 0 {
		return fmt.Errorf("report: Figure1: no filters to draw")
	}
	scale := (f1Cell + k - 1) / k
	cell := scale * k
	cols := int(math.Ceil(math.Sqrt(float64(nf))))
	rows := (nf + cols - 1) / cols
	panelW := cols*cell + (cols-1)*f1Gap
	maxLines := 0
	for _, p := range f.Panels {
		maxLines = max(maxLines, len(p.Lines))
	}
	titleH := 0
	if f.Title != "" {
		titleH = f1Title + 16
	}
	perRow := len(f.Panels)
	if f.Columns > 0 {
		perRow = min(f.Columns, perRow)
	}
	panelRows := (len(f.Panels) + perRow - 1) / perRow
	headH := f1Title + 8 + maxLines*(f1Text+5) + 10
	gridH := rows*cell + (rows-1)*f1Gap
	rowH := headH + gridH + f1PanelGp
	width := 2*f1Margin + perRow*panelW + (perRow-1)*f1PanelGp
	height := f1Margin + titleH + panelRows*rowH - f1PanelGp + 14 + len(f.Caption)*(f1Text+5) + f1Margin

	c := vgimg.NewWith(vgimg.UseWH(vg.Length(width), vg.Length(height)), vgimg.UseDPI(72))
	dc := draw.New(c)
	style := func(size float64, bold bool) draw.TextStyle {
		fnt := font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Length(size)}
		if bold {
			fnt.Weight = xfont.WeightBold
		}
		return draw.TextStyle{Color: color.Black, Font: fnt, Handler: plot.DefaultTextHandler, XAlign: text.XCenter, YAlign: text.YTop}
	}
	// vg's y axis points up; pixel rows point down.
	at := func(x, y int) vg.Point { return vg.Point{X: vg.Length(x), Y: vg.Length(height - y)} }
	if f.Title != "" {
		dc.FillText(style(f1Title, true), at(width/2, f1Margin), f.Title)
	}
	img := c.Image()
	for pi, p := range f.Panels {
		x0 := f1Margin + (pi%perRow)*(panelW+f1PanelGp)
		y := f1Margin + titleH + (pi/perRow)*rowH
		gridTop := y + headH
		if p.Title != "" {
			dc.FillText(style(f1Title, true), at(x0+panelW/2, y), p.Title)
		}
		y += f1Title + 8
		for _, l := range p.Lines {
			dc.FillText(style(f1Text, false), at(x0+panelW/2, y), l)
			y += f1Text + 5
		}
		for i, flt := range p.Filters {
			cx := x0 + (i%cols)*(cell+f1Gap)
			cy := gridTop + (i/cols)*(cell+f1Gap)
			drawFilter(img, flt, k, scale, cx, cy)
		}
	}
	y := f1Margin + titleH + panelRows*rowH - f1PanelGp + 14
	for _, l := range f.Caption {
		s := style(f1Text, false)
		s.XAlign = text.XLeft
		dc.FillText(s, at(f1Margin, y), l)
		y += f1Text + 5
	}
	return png.Encode(w, img)
}

// drawFilter paints a k×k filter at (x0, y0), each entry a scale×scale
// square, grey level (v − min)/(max − min); a constant filter is mid-grey.
func drawFilter(img interface{ Set(x, y int, c color.Color) }, flt []float64, k, scale, x0, y0 int) {
	lo, hi := flt[0], flt[0]
	for _, v := range flt {
		lo, hi = min(lo, v), max(hi, v)
	}
	for a := range k {
		for b := range k {
			g := 0.5
			if hi > lo {
				g = (flt[a*k+b] - lo) / (hi - lo)
			}
			c := color.Gray{Y: uint8(math.Round(255 * g))}
			for dy := range scale {
				for dx := range scale {
					img.Set(x0+b*scale+dx, y0+a*scale+dy, c)
				}
			}
		}
	}
}
