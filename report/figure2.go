package report

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/adamgap/adamgap/train"
)

// Figure2 is the paper's Figure 2: one panel per optimiser showing feature
// learning max_r⟨w_{j,r}, j·v⟩ and noise memorisation
// min_i max_r⟨w_{j,r}, ξᵢ⟩ against the iteration; solid lines are class +1
// (the paper's panels), dashed lines class −1.
type Figure2 struct {
	Results []*train.Result
	Titles  []string // one per result; empty uses the optimiser name
}

var (
	featureColor = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	noiseColor   = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
)

func (f Figure2) plots() ([][]*plot.Plot, error) {
	row := make([]*plot.Plot, 0, len(f.Results))
	for i, r := range f.Results {
		p := plot.New()
		p.Title.Text = r.Optimizer
		if i < len(f.Titles) && f.Titles[i] != "" {
			p.Title.Text = f.Titles[i]
		}
		p.X.Label.Text = "iteration"
		p.Y.Label.Text = "inner product"
		p.Add(plotter.NewGrid())
		type series struct {
			label string
			get   func(train.Record) float64
			col   color.Color
			dash  bool
		}
		var curves []plotter.XYs
		for _, s := range []series{
			{"feature learning (+1)", func(r train.Record) float64 { return r.FeaturePos }, featureColor, false},
			{"noise memorisation (+1)", func(r train.Record) float64 { return r.NoiseMinPos }, noiseColor, false},
			{"feature learning (−1)", func(r train.Record) float64 { return r.FeatureNeg }, featureColor, true},
			{"noise memorisation (−1)", func(r train.Record) float64 { return r.NoiseMinNeg }, noiseColor, true},
		} {
			xy := make(plotter.XYs, len(r.Records))
			for k, rec := range r.Records {
				xy[k] = plotter.XY{X: float64(rec.Step), Y: s.get(rec)}
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return nil, fmt.Errorf("figure2: %s: %w", r.Optimizer, err)
			}
			l.Color = s.col
			l.Width = vg.Points(1.5)
			if s.dash {
				l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
				l.Width = vg.Points(1)
			}
			p.Add(l)
			p.Legend.Add(s.label, l)
			curves = append(curves, xy)
		}
		// The axis starts at 0 or below, so the curves that stay near 0
		// (GD's noise) sit on a labelled tick.
		p.Y.Min = min(p.Y.Min, 0)
		placeLegend(p, curves)
		row = append(row, p)
	}
	return [][]*plot.Plot{row}, nil
}

// Size of the legend as fractions of a panel's data area (four entries of
// about 24 characters in a 4.2-inch panel).
const legendW, legendH = 0.58, 0.34

// placeLegend puts the legend in the corner of the data area that the
// curves cross least; if every corner is crossed, it raises the top of the
// y axis so that the top-left corner is empty and puts it there.
func placeLegend(p *plot.Plot, curves []plotter.XYs) {
	x0, x1, y0, y1 := p.X.Min, p.X.Max, p.Y.Min, p.Y.Max
	if !(x1 > x0) || !(y1 > y0) {
		return
	}
	type corner struct{ top, left bool }
	count := func(c corner) int {
		bx0, bx1 := x0, x0+legendW*(x1-x0)
		if !c.left {
			bx0, bx1 = x1-legendW*(x1-x0), x1
		}
		by0, by1 := y0, y0+legendH*(y1-y0)
		if c.top {
			by0, by1 = y1-legendH*(y1-y0), y1
		}
		n := 0
		for _, xy := range curves {
			for k := range xy {
				// The point and the midpoint of the segment to the next.
				pts := []plotter.XY{xy[k]}
				if k+1 < len(xy) {
					pts = append(pts, plotter.XY{X: (xy[k].X + xy[k+1].X) / 2, Y: (xy[k].Y + xy[k+1].Y) / 2})
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
		p.Y.Max = y1 + (y1-y0)*legendH/(1-legendH)*1.05
		best = corner{top: true, left: true}
	}
	p.Legend.Top, p.Legend.Left = best.top, best.left
	p.Legend.XOffs, p.Legend.YOffs = 0, 0
	if best.left {
		p.Legend.XOffs = 0.05 * vg.Inch
	}
	if !best.top {
		p.Legend.YOffs = 0.05 * vg.Inch
	}
}

// render draws the figure on a canvas of the given kind.
func (f Figure2) render(c draw.Canvas) error {
	plots, err := f.plots()
	if err != nil {
		return err
	}
	tiles := draw.Tiles{Rows: 1, Cols: len(plots[0]), PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2}
	canvases := plot.Align(plots, tiles, c)
	for j, p := range plots[0] {
		p.Draw(canvases[0][j])
	}
	return nil
}

func (f Figure2) size() (vg.Length, vg.Length) {
	return vg.Length(len(f.Results)) * 4.2 * vg.Inch, 3.6 * vg.Inch
}

// WritePNG writes the figure as a PNG at 150 dpi.
func (f Figure2) WritePNG(w io.Writer) error {
	if len(f.Results) == 0 {
		return fmt.Errorf("figure2: no results to draw")
	}
	wd, ht := f.size()
	c := vgimg.NewWith(vgimg.UseWH(wd, ht), vgimg.UseDPI(150))
	if err := f.render(draw.New(c)); err != nil {
		return err
	}
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

// WriteSVG writes the figure as SVG.
func (f Figure2) WriteSVG(w io.Writer) error {
	if len(f.Results) == 0 {
		return fmt.Errorf("figure2: no results to draw")
	}
	wd, ht := f.size()
	c := vgsvg.New(wd, ht)
	if err := f.render(draw.New(c)); err != nil {
		return err
	}
	_, err := c.WriteTo(w)
	return err
}
