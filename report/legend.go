package report

import (
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Legends sit inside the data area, legendInset from its edges, on a
// white box (legendPad around the entries) with a thin grey border, so
// that grid lines and curves never run through their text.
const (
	legendInset = 2 * vg.Millimeter
	legendPad   = 1.2 * vg.Millimeter
)

// boxLegend moves p's legend, placed by p.Legend.Top and Left, into a
// plotter drawn after the data: a box that hides what lies under it, then
// the entries. Call it just before drawing p.
func boxLegend(p *plot.Plot) {
	lg := p.Legend
	off := legendInset + legendPad
	lg.XOffs, lg.YOffs = -off, -off
	if lg.Left {
		lg.XOffs = off
	}
	if !lg.Top {
		lg.YOffs = off
	}
	p.Legend = plot.NewLegend()
	p.Add(legendBox{lg})
}

type legendBox struct{ l plot.Legend }

// Plot draws the box and the legend on the data canvas c, where plot.Plot
// would draw the legend (the geometry of plot.Legend.Draw).
func (b legendBox) Plot(c draw.Canvas, _ *plot.Plot) {
	size := b.l.Rectangle(c).Size()
	if size.X <= 0 || size.Y <= 0 {
		return
	}
	l := b.l
	var r vg.Rectangle
	if l.Left {
		r.Min.X = c.Min.X + l.XOffs
	} else {
		r.Min.X = c.Max.X - size.X + l.XOffs
	}
	r.Max.X = r.Min.X + size.X
	if l.Top {
		r.Max.Y = c.Max.Y - l.TextStyle.FontExtents().Descent + l.YOffs
		r.Min.Y = r.Max.Y - size.Y
	} else {
		r.Min.Y = c.Min.Y + l.YOffs
		r.Max.Y = r.Min.Y + size.Y
	}
	r.Min.X -= legendPad
	r.Min.Y -= legendPad
	r.Max.X += legendPad
	r.Max.Y += legendPad
	pts := []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}
	c.FillPolygon(color.White, pts)
	c.StrokeLines(draw.LineStyle{Color: color.Gray{Y: 0xaa}, Width: vg.Points(0.5)}, append(pts, r.Min))
	l.Draw(c)
}

// legendFraction is the size of p's legend box as fractions of a data
// area of dataW × dataH.
func legendFraction(p *plot.Plot, dataW, dataH vg.Length) (w, h float64) {
	size := p.Legend.Rectangle(draw.Canvas{}).Size()
	edge := 2 * (legendInset + legendPad)
	return float64((size.X + edge) / dataW), float64((size.Y + edge) / dataH)
}

// placeLegend puts the legend, w × h as fractions of the data area, in
// the corner of the data area that the curves cross least; if every corner
// is crossed, it raises the top of the y axis so that the top-left corner
// is empty and puts it there. With logX the x axis is logarithmic.
func placeLegend(p *plot.Plot, curves []plotter.XYs, w, h float64, logX bool) {
	fx := func(x float64) float64 { return x }
	if logX {
		fx = math.Log10
	}
	x0, x1, y0, y1 := fx(p.X.Min), fx(p.X.Max), p.Y.Min, p.Y.Max
	if !(x1 > x0) || !(y1 > y0) || h >= 1 {
		return
	}
	type corner struct{ top, left bool }
	count := func(c corner) int {
		bx0, bx1 := x0, x0+w*(x1-x0)
		if !c.left {
			bx0, bx1 = x1-w*(x1-x0), x1
		}
		by0, by1 := y0, y0+h*(y1-y0)
		if c.top {
			by0, by1 = y1-h*(y1-y0), y1
		}
		n := 0
		for _, xy := range curves {
			for k := range xy {
				// The point and the midpoint of the segment to the next.
				pts := []plotter.XY{{X: fx(xy[k].X), Y: xy[k].Y}}
				if k+1 < len(xy) {
					pts = append(pts, plotter.XY{X: (fx(xy[k].X) + fx(xy[k+1].X)) / 2, Y: (xy[k].Y + xy[k+1].Y) / 2})
				}
				for _, q := range pts {
					if q.X >= bx0 && q.X <= bx1 && q.Y >= by0 && q.Y <= by1 {
						n++
					}
				}
			}
		}
		return n
	}
	best, bestN := corner{top: true, left: false}, -1
	for _, c := range []corner{{true, false}, {true, true}, {false, false}, {false, true}} {
		if n := count(c); bestN < 0 || n < bestN {
			best, bestN = c, n
		}
	}
	if bestN > 0 {
		p.Y.Max = y1 + (y1-y0)*h/(1-h)*1.05
		best = corner{top: true, left: true}
	}
	p.Legend.Top, p.Legend.Left = best.top, best.left
}

// wrapTitle breaks p's title at spaces into lines no wider than width.
func wrapTitle(p *plot.Plot, width vg.Length) {
	sty := p.Title.TextStyle
	var lines []string
	for _, para := range strings.Split(p.Title.Text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && sty.Rectangle(try).Size().X > width {
				lines = append(lines, line)
				try = word
			}
			line = try
		}
		lines = append(lines, line)
	}
	p.Title.Text = strings.Join(lines, "\n")
}
