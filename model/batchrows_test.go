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

// batchReference is the mini-batch LossGrad as it was before LossGradRows
// (commit 7545e46): g = λw over every weight in scalar Go, then each
// patch's dz added to the rows of its coordinates with axpy, then the
// norms. The mini-batch path must reproduce it bit for bit.
func batchReference(c CNN, set *data.Set, g, w []float64, batch []int32) Eval {
	b := NewNet[float64](c, set)
	wd := c.Width()
	dataLoss, errs := b.batchHead(w, batch, true)
	ev := Eval{Errors: errs}
	var norm2 float64
	for k := range c.D {
		for col, v := range w[k*wd : (k+1)*wd] {
			g[k*wd+col] = c.Lambda * v
			norm2 += v * v
		}
	}
	for bi, i := range batch {
		for k := range 2 {
			dp := b.dz[(2*bi+k)*wd : (2*bi+k+1)*wd]
			idx, val := set.Patch(2*int(i) + k)
			for e, j := range idx {
				axpy(g[int(j)*wd:int(j+1)*wd], dp, val[e])
			}
		}
	}
	for _, v := range g {
		ev.GradL1 += abs(v)
		ev.GradL2Sq += v * v
	}
	ev.Loss = dataLoss + c.Lambda/2*norm2
	return ev
}

// TestBatchRowsBitIdentical: with each kernel set, on small and paper-like
// widths (with and without a masked tail), LossGrad equals the reference
// bit for bit, and BatchLossGradRows followed by optim.RowGrad.Fill gives the
// same gradient, the same data loss and errors, and rows that are exactly
// the coordinates of the batch's patches.
func TestBatchRowsBitIdentical(t *testing.T) {
	type size struct{ d, n, s, m int }
	defer UseKernel(Kernel())
	for _, kn := range Kernels() {
		UseKernel(kn)
		for _, sz := range []size{{12, 6, 3, 2}, {40, 10, 6, 3}, {300, 20, 30, 20}, {300, 20, 30, 21}, {200, 10, 20, 50}} {
			t.Run(fmt.Sprintf("%s/d=%d,m=%d", kn, sz.d, sz.m), func(t *testing.T) {
				pm := data.PatchModel{D: sz.d, S: sz.s, SigmaP: 1, Alpha: 0.2}
				set, err := pm.Train(sz.n, rand.New(rand.NewPCG(uint64(sz.m), 1)))
				if err != nil {
					t.Fatal(err)
				}
				c := CNN{D: sz.d, M: sz.m, Q: 3, Lambda: 0.01}
				w := c.Init(0.3, rand.New(rand.NewPCG(uint64(sz.m), 2)))
				bw := NewNet[float64](c, set)
				for _, batch := range [][]int32{{0}, {1, 4}, {0, 0, 3}, {2, 3, 5, 1}} {
					want := make([]float64, len(w))
					we := batchReference(c, set, want, w, batch)
					got := make([]float64, len(w))
					if ge := bw.BatchLossGrad(got, w, batch); ge != we {
						t.Errorf("batch %v: LossGrad %+v, reference %+v", batch, ge, we)
					}
					if !slices.Equal(got, want) {
						t.Errorf("batch %v: LossGrad's gradient differs from the reference", batch)
					}
					rows := make([]float64, len(w))
					for i := range rows {
						rows[i] = math.NaN()
					}
					bg := bw.BatchLossGradRows(rows, w, batch)
					if bg.Errors != we.Errors || bg.DataLoss+c.Lambda/2*sqsum(w) != we.Loss {
						t.Errorf("batch %v: data loss %v, errors %d; reference loss %v, errors %d", batch, bg.DataLoss, bg.Errors, we.Loss, we.Errors)
					}
					var wantRows []int32
					for k := range sz.d {
						if touches(set, batch, k) {
							wantRows = append(wantRows, int32(k))
						}
					}
					if !slices.Equal(bg.Rows, wantRows) {
						t.Errorf("batch %v: rows %v, want %v", batch, bg.Rows, wantRows)
					}
					if !(optim.RowGrad{Lambda: c.Lambda, Width: c.Width(), Rows: bg.Rows}).Fill(rows, w) {
						t.Errorf("batch %v: Fill reports a non-finite gradient", batch)
					}
					if !slices.Equal(rows, want) {
						t.Errorf("batch %v: BatchLossGradRows + Fill differs from the reference", batch)
					}
				}
			})
		}
	}
}

func sqsum(w []float64) float64 {
	var s float64
	for _, v := range w {
		s += v * v
	}
	return s
}

// touches reports whether a patch of an example of the batch has a
// non-zero at coordinate k.
func touches(set *data.Set, batch []int32, k int) bool {
	for _, i := range batch {
		for p := range 2 {
			idx, _ := set.Patch(2*int(i) + p)
			if slices.Contains(idx, int32(k)) {
				return true
			}
		}
	}
	return false
}
