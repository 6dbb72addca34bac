package report

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// An Overlay is drawn over the cells of a Heatmap, in cell coordinates
// (column c, row r at (c, r); LogPosition maps an axis value there), with
// Label (when not empty) on a line of its own under the title, saying
// what the mark is ("red line: …"): the boundary curves of the family's
// theorems and the marked points of its experiments. (A legend inside the
// frame would hide cells.)
type Overlay struct {
	Plotter plot.Plotter
	Label   string
}

func addOverlays(p *plot.Plot, overlays []Overlay) {
	for _, o := range overlays {
		p.Add(o.Plotter)
		if o.Label != "" {
			p.Title.Text += "\n" + o.Label
		}
	}
}

// LogPosition returns where v falls on a heat-map axis whose cells hold
// the increasing positive values vals: i at vals[i], linear in log v in
// between and beyond (so a curve drawn through it is straight where the
// axis values are geometric).
func LogPosition(v float64, vals []float64) float64 { return position(v, vals, math.Log) }

// LinearPosition is LogPosition linear in v in between and beyond, for an
// axis whose values are evenly spaced or hold 0.
func LinearPosition(v float64, vals []float64) float64 {
	return position(v, vals, func(x float64) float64 { return x })
}

// position is i at vals[i], linear in scale(v) in between and beyond.
func position(v float64, vals []float64, scale func(float64) float64) float64 {
	if len(vals) < 2 {
		return 0
	}
	i := 0
	for i < len(vals)-2 && v > vals[i+1] {
		i++
	}
	a, b := scale(vals[i]), scale(vals[i+1])
	return float64(i) + (scale(v)-a)/(b-a)
}

// logValue is the inverse of LogPosition: the axis value at position p.
func logValue(p float64, vals []float64) float64 {
	i := min(max(int(math.Floor(p)), 0), len(vals)-2)
	a, b := math.Log(vals[i]), math.Log(vals[i+1])
	return math.Exp(a + (p-float64(i))*(b-a))
}

// CurveOverlay returns the curve y = f(x) for x over the x axis, in the
// cell coordinates of a heat map whose columns hold xs and rows ys
// (LogPosition), clipped to the map: a theorem's boundary. dashed draws it
// dashed.
func CurveOverlay(label string, xs, ys []float64, f func(x float64) float64, c color.Color, dashed bool) Overlay {
	var pts plotter.XYs
	ymin, ymax := -0.5, float64(len(ys))-0.5
	for k := 0; k <= 400; k++ {
		// From half a cell before the first column to half a cell after
		// the last.
		px := -0.5 + float64(len(xs))*float64(k)/400
		py := LogPosition(f(logValue(px, xs)), ys)
		if math.IsNaN(py) || py < ymin || py > ymax {
			continue
		}
		pts = append(pts, plotter.XY{X: px, Y: py})
	}
	l, _ := plotter.NewLine(pts)
	l.Color = c
	l.Width = vg.Points(2.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
	}
	return Overlay{Plotter: l, Label: label}
}

// PointAt marks the point at cell coordinates (x, y) of a heat map with a
// thick ring around the cell's number.
func PointAt(label string, x, y float64, c color.Color) Overlay {
	s, _ := plotter.NewScatter(plotter.XYs{{X: x, Y: y}})
	s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(17), Shape: thickRing{}}
	return Overlay{Plotter: s, Label: label}
}

// thickRing is a ring glyph drawn with a 2.5 pt line.
type thickRing struct{}

func (thickRing) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(2.5)})
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.Stroke(p)
}
