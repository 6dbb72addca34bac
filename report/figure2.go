package report

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

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
		// What the curves are (Section 6 of the paper): a class-j filter's
		// largest inner product with the feature, and the smallest over
		// class-j examples of its largest with their noise.
		p.Y.Label.Text = "feature: maxᵣ ‹w(j,r), j·v›\nnoise: minᵢ maxᵣ ‹w(j,r), ξᵢ›"
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
		placeLegend(p, curves, legendW, legendH, false)
		row = append(row, p)
	}
	return [][]*plot.Plot{row}, nil
}

// Size of the legend as fractions of a panel's data area (four entries of
// about 24 characters in a 4.2-inch panel, with its box).
const legendW, legendH = 0.62, 0.40

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
		boxLegend(p)
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
	return writePNG(w, f)
}

// WriteSVG writes the figure as SVG.
func (f Figure2) WriteSVG(w io.Writer) error {
	if len(f.Results) == 0 {
		return fmt.Errorf("figure2: no results to draw")
	}
	return writeSVG(w, f)
}
