package report

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
)

// viridisControls are nine colours of matplotlib's viridis, evenly spaced
// from dark purple to yellow: luminance rises steadily and neither end is
// white or black, so the smallest and the largest cell both read as data on
// a white page (the black-body scale's largest was white, like a missing
// cell).
var viridisControls = []color.Color{
	color.NRGBA{0x44, 0x01, 0x54, 0xff}, color.NRGBA{0x48, 0x28, 0x78, 0xff}, color.NRGBA{0x3e, 0x49, 0x89, 0xff},
	color.NRGBA{0x31, 0x68, 0x8e, 0xff}, color.NRGBA{0x26, 0x82, 0x8e, 0xff}, color.NRGBA{0x1f, 0x9e, 0x89, 0xff},
	color.NRGBA{0x35, 0xb7, 0x79, 0xff}, color.NRGBA{0x6e, 0xce, 0x58, 0xff}, color.NRGBA{0xfd, 0xe7, 0x25, 0xff},
}

// Sequential returns the colour scale of heat maps of one quantity
// (viridis), over [0, 1] until SetMin and SetMax.
func Sequential() palette.ColorMap {
	cm, err := moreland.NewLuminance(viridisControls)
	if err != nil {
		panic("report: viridis control colours: " + err.Error()) // a programming error
	}
	return cm
}

// Diverging returns the colour scale of heat maps of a difference: blue
// below 0, red above, light grey at 0.
func Diverging() palette.ColorMap { return moreland.SmoothBlueRed() }

// ShareScale gives heat maps that are compared side by side one colour
// scale: every non-diverging map gets the range of all their finite
// values, every diverging map (a difference) the symmetric range of all of
// theirs. Call it on the panels of one figure or report, e.g. the maps of
// Adam and of GD over the same grid, after filling Z; a new kind of heat
// map calls it too.
func ShareScale(maps ...*Heatmap) {
	seqLo, seqHi, divA := math.Inf(1), math.Inf(-1), 0.0
	for _, h := range maps {
		lo, hi := h.zRange()
		if lo > hi {
			continue
		}
		if h.Diverging {
			divA = math.Max(divA, math.Max(math.Abs(lo), math.Abs(hi)))
		} else {
			seqLo, seqHi = math.Min(seqLo, lo), math.Max(seqHi, hi)
		}
	}
	for _, h := range maps {
		switch {
		case h.Diverging && divA > 0:
			h.ZMin, h.ZMax = -divA, divA
		case !h.Diverging && seqLo < seqHi:
			h.ZMin, h.ZMax = seqLo, seqHi
		}
	}
}

// zRange is the range of h's finite values; lo > hi when there are none.
func (h *Heatmap) zRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range h.Z {
		for _, v := range row {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}
