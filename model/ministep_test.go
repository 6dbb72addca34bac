package model_test

import (
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// miniStep is a mini-batch training step as train.Loop takes it.
func miniStep(bw *model.Net[float64], c model.CNN, opt *optim.Adam, w, g []float64, batch []int32) {
	bg := bw.BatchLossGradRows(g, w, batch)
	opt.StepRows(w, g, optim.RowGrad{Lambda: c.Lambda, Width: c.Width(), Rows: bg.Rows})
}
