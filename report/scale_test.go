package report

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/train"
)

// Panels that compare share one colour scale (issue 20: GD's map spanned
// 0–0.23 and Adam's 0–0.66, each with its own colours), and a difference
// keeps its own, symmetric one.
func TestShareScale(t *testing.T) {
	adam := &Heatmap{XTicks: []string{"a", "b"}, YTicks: []string{"c"}, Z: [][]float64{{0.001, 0.66}}}
	gd := &Heatmap{XTicks: []string{"a", "b"}, YTicks: []string{"c"}, Z: [][]float64{{0, 0.23}}}
	diff := &Heatmap{XTicks: []string{"a", "b"}, YTicks: []string{"c"}, Z: [][]float64{{0.001, 0.43}}, Diverging: true}
	ShareScale(adam, gd, diff)
	for _, h := range []*Heatmap{adam, gd} {
		cm := h.colorMap()
		if cm.Min() != 0 || cm.Max() != 0.66 {
			t.Errorf("shared scale [%v, %v], want [0, 0.66]", cm.Min(), cm.Max())
		}
	}
	if cm := diff.colorMap(); cm.Min() != -0.43 || cm.Max() != 0.43 {
		t.Errorf("difference's scale [%v, %v], want [-0.43, 0.43]", cm.Min(), cm.Max())
	}
	// The same value has the same colour in both panels.
	a, _ := adam.colorMap().At(0.2)
	g, _ := gd.colorMap().At(0.2)
	if a != g {
		t.Errorf("0.2 is %v on Adam's map and %v on GD's", a, g)
	}
}

// Neither end of the sequential scale reads as a blank cell on a white
// page: the largest cell used to be white.
func TestSequentialEnds(t *testing.T) {
	cm := Sequential()
	cm.SetMin(0)
	cm.SetMax(1)
	for _, v := range []float64{0, 1} {
		c, err := cm.At(v)
		if err != nil {
			t.Fatal(err)
		}
		// Far from white (some channel at most half on) and from black
		// (some channel at least a quarter on).
		r, g, b, _ := c.RGBA()
		lo, hi := min(r, g, b), max(r, g, b)
		if lo > 0x8000 || hi < 0x4000 {
			t.Errorf("colour at %v is %v: reads as white or black", v, c)
		}
	}
}

// inkedEdges returns the edges of a PNG with drawn (non-white) pixels.
func inkedEdges(t *testing.T, b []byte) []string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	r := img.Bounds()
	edges := map[string][2]image.Point{
		"left": {{r.Min.X, r.Min.Y}, {r.Min.X + 1, r.Max.Y}}, "right": {{r.Max.X - 1, r.Min.Y}, {r.Max.X, r.Max.Y}},
		"top": {{r.Min.X, r.Min.Y}, {r.Max.X, r.Min.Y + 1}}, "bottom": {{r.Min.X, r.Max.Y - 1}, {r.Max.X, r.Max.Y}},
	}
	var inked []string
	for name, e := range edges {
		for y := e[0].Y; y < e[1].Y; y++ {
			for x := e[0].X; x < e[1].X; x++ {
				if cr, cg, cb, _ := img.At(x, y).RGBA(); cr+cg+cb < 3*0xf000 {
					inked = append(inked, name)
					y, x = e[1].Y, e[1].X
				}
			}
		}
	}
	return inked
}

// Long titles wrap instead of running off the picture (a sweep heat map's
// title was cropped to "est_error: adam − gd …"), and a line plot's legend
// stays inside the frame.
func TestTitlesAndLegendsInside(t *testing.T) {
	long := "test_error: adam − gd (mean ± sd over 3 seeds), adam.lr=1e-3 adam.beta1=0.99 sigma_p=0.1 lambda=1e-05"
	h := Heatmap{Title: long, XLabel: "alpha", YLabel: "sigma_p", ZLabel: "test_error: adam − gd",
		XTicks: []string{"0", "0.2"}, YTicks: []string{"0.1", "0.3"}, Z: [][]float64{{0, 0.5}, {-0.2, 0.9}}, Diverging: true}
	l := Lines{Title: long, XLabel: "alpha", YLabel: "test_error", YBounds: [2]float64{0, 1}, Series: []Series{
		{Label: "adam-with-a-long-name", X: []float64{0, 0.1, 0.2}, Mean: []float64{0.9, 0.95, 0.99}, Std: []float64{0.01, 0.01, 0.01}},
		{Label: "gd", X: []float64{0, 0.1, 0.2}, Mean: []float64{0.01, 0.5, 0.9}},
	}}
	hb := render(t, h.WritePNG)
	lb := render(t, l.WritePNG)
	for name, b := range map[string][]byte{"heatmap": hb.Bytes(), "lines": lb.Bytes()} {
		if e := inkedEdges(t, b); len(e) > 0 {
			t.Errorf("%s: drawn on the picture's %v edges", name, e)
		}
	}
}

// Figure 2's y axis says what the inner products are.
func TestFigure2YLabel(t *testing.T) {
	r := &train.Result{Optimizer: "adam"}
	for k := 0; k <= 10; k++ {
		r.Records = append(r.Records, train.Record{Step: 10 * k, Probes: train.Probes{FeaturePos: float64(k), NoiseMinPos: 0.5}})
	}
	s := render(t, (Figure2{Results: []*train.Result{r}}).WriteSVG)
	for _, w := range []string{"j·v", "ξᵢ"} {
		if !strings.Contains(s.String(), w) {
			t.Errorf("Figure 2's SVG lacks %q in its y label", w)
		}
	}
}

// TestAxisPositions: a value's position on a heat-map axis is its cell
// index at the axis values, linear in v (LinearPosition) or in log v
// (LogPosition) in between and beyond.
func TestAxisPositions(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    func(float64, []float64) float64
		v    float64
		vals []float64
		want float64
	}{
		{"linear at a value", LinearPosition, 0.2, []float64{0, 0.2, 0.4}, 1},
		{"linear between", LinearPosition, 0.1, []float64{0, 0.2, 0.4}, 0.5},
		{"linear beyond", LinearPosition, 0.6, []float64{0, 0.2, 0.4}, 3},
		{"log between", LogPosition, 2, []float64{1, 4, 16}, 0.5},
		{"log below", LogPosition, 0.25, []float64{1, 4, 16}, -1},
		{"one value", LogPosition, 3, []float64{1}, 0},
	} {
		if got := tt.f(tt.v, tt.vals); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: position of %g on %v = %g, want %g", tt.name, tt.v, tt.vals, got, tt.want)
		}
	}
}
