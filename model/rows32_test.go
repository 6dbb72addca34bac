package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/optim"
)

// TestBatchRows32StepBitIdentical: with each kernel set, on widths with
// and without a masked tail, λ = 0 or not and weights with ±0 entries, a
// float32 Adam step from BatchLossGradRows' rows (Adam32.StepRows, as a
// float32 mini-batch run takes it) gives the weights and moments of
// BatchLossGrad's whole gradient then Adam32.Step bit for bit, over steps
// on several batches; the data loss and errors are BatchLossGrad's (the
// loss to rounding: ‖w‖² is summed in another order).
func TestBatchRows32StepBitIdentical(t *testing.T) {
	type size struct{ d, n, s, m int }
	defer UseKernel(Kernel())
	bits := func(x []float32) []uint32 {
		out := make([]uint32, len(x))
		for i, v := range x {
			out[i] = math.Float32bits(v)
		}
		return out
	}
	for _, kn := range Kernels() {
		UseKernel(kn)
		for _, sz := range []size{{12, 6, 3, 2}, {300, 20, 30, 20}, {300, 20, 30, 21}, {200, 10, 20, 50}} {
			for _, lambda := range []float64{0, 0.01} {
				t.Run(fmt.Sprintf("%s/d=%d,m=%d/lambda=%g", kn, sz.d, sz.m, lambda), func(t *testing.T) {
					pm := data.PatchModel{D: sz.d, S: sz.s, SigmaP: 1, Alpha: 0.2}
					set, err := pm.Train(sz.n, rand.New(rand.NewPCG(uint64(sz.m), 1)))
					if err != nil {
						t.Fatal(err)
					}
					c := CNN{D: sz.d, M: sz.m, Q: 3, Lambda: lambda}
					w64 := c.Init(0.3, rand.New(rand.NewPCG(uint64(sz.m), 2)))
					w := make([]float32, len(w64))
					for i, v := range w64 {
						w[i] = float32(v)
					}
					w[1], w[len(w)-2] = float32(math.Copysign(0, -1)), 0
					wWhole := slices.Clone(w)
					net, netWhole := NewNet[float32](c, set), NewNet[float32](c, set)
					rowsOpt := &optim.Adam32{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
					wholeOpt := *rowsOpt
					g, gWhole := make([]float32, len(w)), make([]float32, len(w))
					for _, batch := range [][]int32{{0}, {1, 4}, {0, 0, 3}, {2, 3, 5, 1}} {
						for i := range g {
							g[i] = float32(math.NaN()) // rows not listed are not read
						}
						bg := net.BatchLossGradRows(g, w, batch)
						ev := netWhole.BatchLossGrad(gWhole, wWhole, batch)
						// ‖w‖² summed in another order (BatchLossGrad's by lanes).
						if loss := bg.DataLoss + lambda/2*sqnormOf(wWhole); bg.Errors != ev.Errors || math.Abs(loss-ev.Loss) > 1e-12*ev.Loss {
							t.Errorf("batch %v: loss %v, errors %d; BatchLossGrad %v, %d", batch, loss, bg.Errors, ev.Loss, ev.Errors)
						}
						if !rowsOpt.StepRows(w, g, optim.RowGrad{Lambda: lambda, Width: c.Width(), Rows: bg.Rows}) {
							t.Fatalf("batch %v: StepRows reports a non-finite gradient", batch)
						}
						wholeOpt.Step(wWhole, gWhole)
						if !slices.Equal(bits(w), bits(wWhole)) {
							t.Fatalf("batch %v: weights differ from BatchLossGrad then Step", batch)
						}
					}
				})
			}
		}
	}
}
