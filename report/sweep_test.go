package report

import (
	"bytes"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func TestHeatmapDraws(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		h    Heatmap
	}{
		{"metric", Heatmap{XTicks: []string{"0", "0.1", "0.2"}, YTicks: []string{"0.05", "0.1"}, Z: [][]float64{{0, 0.5, 1}, {0.2, nan, 0.9}}, Std: [][]float64{{0, 0.1, 0}, {0.01, nan, 0}}}},
		{"difference", Heatmap{XTicks: []string{"a", "b"}, YTicks: []string{"c"}, Z: [][]float64{{-0.3, 0.8}}, Diverging: true}},
		{"constant", Heatmap{XTicks: []string{"a"}, YTicks: []string{"b"}, Z: [][]float64{{0.5}}}},
		{"all missing", Heatmap{XTicks: []string{"a"}, YTicks: []string{"b"}, Z: [][]float64{{nan}}, Diverging: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.h
			h.Title, h.XLabel, h.YLabel, h.ZLabel = "title", "alpha", "sigma_p", "test error"
			p := render(t, h.WritePNG)
			if _, err := png.Decode(p); err != nil {
				t.Fatal(err)
			}
			s := render(t, h.WriteSVG)
			for _, w := range []string{"alpha", "sigma_p", "test error", "title"} {
				if !strings.Contains(s.String(), w) {
					t.Errorf("SVG lacks the label %q", w)
				}
			}
		})
	}
}

func TestHeatmapShapeErrors(t *testing.T) {
	for _, h := range []Heatmap{
		{},
		{XTicks: []string{"a", "b"}, YTicks: []string{"c"}, Z: [][]float64{{1}}},
		{XTicks: []string{"a"}, YTicks: []string{"c", "d"}, Z: [][]float64{{1}}},
	} {
		if err := h.WritePNG(&bytes.Buffer{}); err == nil {
			t.Errorf("%+v: no error", h)
		}
	}
}

func TestLinesDraws(t *testing.T) {
	l := Lines{Title: "t", XLabel: "alpha", YLabel: "test error", Series: []Series{
		{Label: "adam", X: []float64{0, 0.1, 0.2}, Mean: []float64{0.1, math.NaN(), 0.8}, Std: []float64{0.01, 0, 0.1}},
		{Label: "gd", X: []float64{0, 0.1, 0.2}, Mean: []float64{0, 0, 0}},
	}}
	render(t, l.WritePNG)
	s := render(t, l.WriteSVG)
	for _, w := range []string{"alpha", "test error", "adam", "gd"} {
		if !strings.Contains(s.String(), w) {
			t.Errorf("SVG lacks %q", w)
		}
	}
	bad := Lines{Series: []Series{{Label: "x", X: []float64{1, 2}, Mean: []float64{1}}}}
	if err := bad.WritePNG(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "lengths") {
		t.Errorf("mismatched series: %v", err)
	}
	if err := (&Lines{}).WritePNG(&bytes.Buffer{}); err == nil {
		t.Error("no series: no error")
	}
}

// TestLinesAxes: learning rates spanning decades get a log axis, and an
// error rate's axis stays inside [0, 1] whatever its error bars.
func TestLinesAxes(t *testing.T) {
	l := Lines{Series: []Series{{Label: "adam", X: []float64{1e-5, 1e-4, 1e-3}, Mean: []float64{0.02, 0.3, 0.5}, Std: []float64{0.2, 0.1, 0.6}}}, YBounds: [2]float64{0, 1}}
	if !l.LogX() {
		t.Error("x from 1e-5 to 1e-3: LogX() = false")
	}
	p, err := l.plot()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.X.Scale.(plot.LogScale); !ok {
		t.Errorf("x scale %T, want plot.LogScale", p.X.Scale)
	}
	if p.Y.Min < 0 || p.Y.Max > 1 {
		t.Errorf("y axis [%v, %v], want inside [0, 1]", p.Y.Min, p.Y.Max)
	}
	for _, xs := range [][]float64{{0, 0.1, 0.2}, {0.1, 0.2, 0.3}, {-1, 1, 100}} {
		if (&Lines{Series: []Series{{X: xs, Mean: xs}}}).LogX() {
			t.Errorf("x %v: LogX() = true", xs)
		}
	}
	render(t, l.WriteSVG)
}

// TestHeatmapMargins: nothing is drawn on the picture's outermost pixels
// (the colour bar ran into the right edge and was cut).
func TestHeatmapMargins(t *testing.T) {
	h := Heatmap{Title: "title", XLabel: "alpha", YLabel: "sigma_p", ZLabel: "test error",
		XTicks: []string{"0", "0.2"}, YTicks: []string{"0.1", "0.3"}, Z: [][]float64{{0, 0.5}, {-0.2, 0.9}}, Diverging: true}
	if e := inkedEdges(t, render(t, h.WritePNG).Bytes()); len(e) > 0 {
		t.Errorf("drawn on the picture's %v edges", e)
	}
}

// render writes a figure with write (its WritePNG or WriteSVG) and returns
// what was written; an error fails the test.
func render(t *testing.T, write func(io.Writer) error) *bytes.Buffer {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	return &b
}
