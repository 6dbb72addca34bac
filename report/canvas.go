package report

import (
	"io"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// writePNG draws a picture of wd × ht with render on a 150-dpi canvas and
// writes it as PNG: the WritePNG of the gonum/plot figures.
func writePNG(w io.Writer, wd, ht vg.Length, render func(draw.Canvas) error) error {
	c := vgimg.NewWith(vgimg.UseWH(wd, ht), vgimg.UseDPI(150))
	if err := render(draw.New(c)); err != nil {
		return err
	}
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

// writeSVG is writePNG as SVG.
func writeSVG(w io.Writer, wd, ht vg.Length, render func(draw.Canvas) error) error {
	c := vgsvg.New(wd, ht)
	if err := render(draw.New(c)); err != nil {
		return err
	}
	_, err := c.WriteTo(w)
	return err
}
