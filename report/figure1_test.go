package report

import (
	"bytes"
	"image/color"
	"image/png"
	"testing"
)

func TestFigure1PNG(t *testing.T) {
	ramp := []float64{0, 1, 2, 3} // 2×2: black, dark, light, white
	fig := Figure1{
		Title:   "test",
		Caption: []string{"caption"},
		Kernel:  2,
		Columns: 2,
		Panels: []FilterPanel{
			{Title: "a", Lines: []string{"x"}, Filters: [][]float64{ramp, {5, 5, 5, 5}}},
			{Title: "b", Filters: [][]float64{ramp}},
			{},
			{Title: "d", Filters: [][]float64{ramp}},
		},
	}
	buf := render(t, fig.WritePNG)
	img, err := png.Decode(buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 200 {
		t.Fatalf("size %v", b)
	}
	// Each ramp filter has one black entry; the constant filter is mid-grey.
	var black, grey int
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
			switch g {
			case 0:
				black++
			case 128:
				grey++
			}
		}
	}
	cell := (f1Cell + 1) / 2 // scale for k=2
	if want := 3 * cell * cell; black < want {
		t.Errorf("%d black pixels, want at least %d (three ramp filters)", black, want)
	}
	if want := 4 * cell * cell; grey < want {
		t.Errorf("%d mid-grey pixels, want at least %d (the constant filter)", grey, want)
	}
}

func TestFigure1Errors(t *testing.T) {
	for _, f := range []Figure1{
		{Kernel: 0, Panels: []FilterPanel{{Filters: [][]float64{{1}}}}},
		{Kernel: 2},
		{Kernel: 2, Panels: []FilterPanel{{Title: "x"}}},
		{Kernel: 2, Panels: []FilterPanel{{Filters: [][]float64{{1, 2, 3}}}}},
	} {
		if err := f.WritePNG(&bytes.Buffer{}); err == nil {
			t.Errorf("%+v: no error", f)
		}
	}
}
