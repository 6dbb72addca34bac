package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
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

// TestBatchGatherDescribesRows: with each kernel set, the description of
// BatchLossRows' gradient rows (BatchGather), summed in Go as it says, and
// BatchGradRows both give BatchLossGradRows' rows bit for bit; and an Adam
// step from it on each optim path (the fused AVX-512 kernel, elsewhere the
// rows written first) gives the weights of the reference gradient then
// Step, bit for bit. Another evaluation in between leaves no description.
func TestBatchGatherDescribesRows(t *testing.T) {
	defer UseKernel(Kernel())
	defer optim.UseKernel(Kernel())
	for _, kn := range Kernels() {
		UseKernel(kn)
		for _, m := range []int{3, 20, 21, 50} {
			t.Run(fmt.Sprintf("%s/m=%d", kn, m), func(t *testing.T) {
				pm := data.PatchModel{D: 200, S: 20, SigmaP: 1, Alpha: 0.2}
				set, err := pm.Train(12, rand.New(rand.NewPCG(uint64(m), 1)))
				if err != nil {
					t.Fatal(err)
				}
				c := CNN{D: 200, M: m, Q: 3, Lambda: 0.01}
				w := c.Init(0.3, rand.New(rand.NewPCG(uint64(m), 2)))
				wd := c.Width()
				bw := NewNet[float64](c, set)
				for _, batch := range [][]int32{{0}, {1, 4}, {0, 0, 3}, {11, 2, 3, 5, 1, 7, 8}} {
					want := make([]float64, len(w))
					bw.BatchLossGradRows(want, w, batch)
					bg := bw.BatchLossRows(w, batch)
					desc, ok := bw.BatchGather()
					if !ok {
						t.Fatal("no description after BatchLossRows")
					}
					got := make([]float64, len(w))
					written := make([]float64, len(w))
					bw.BatchGradRows(written, w)
					for r, k := range bg.Rows {
						for col := range wd {
							i := int(k)*wd + col
							x := c.Lambda * w[i]
							for e := desc.Ptr[r]; e < desc.Ptr[r+1]; e++ {
								v, dz := desc.Val[e], desc.DZ[int(desc.Ent[e])*wd+col]
								if runtime.GOARCH == "arm64" {
									x = math.FMA(v, dz, x) // Go fuses the portable loop's x += v*dz there
								} else {
									x += float64(v * dz)
								}
							}
							got[i] = x
						}
						for i := int(k) * wd; i < int(k+1)*wd; i++ {
							if math.Float64bits(got[i]) != math.Float64bits(want[i]) || math.Float64bits(written[i]) != math.Float64bits(want[i]) {
								t.Fatalf("batch %v: row %d: described %v, BatchGradRows %v, BatchLossGradRows %v", batch, k, got[i], written[i], want[i])
							}
						}
					}
					rg := optim.RowGrad{Lambda: c.Lambda, Width: wd, Rows: bg.Rows}
					full := slices.Clone(want)
					rg.Fill(full, w)
					for _, ok := range []string{"portable", "avx2", "avx512", "neon"} {
						if !optim.UseKernel(ok) {
							continue
						}
						wantW, gotW := slices.Clone(w), slices.Clone(w)
						optim.DefaultAdam(0.01).Step(wantW, full)
						rg.Gather = &optim.RowGather{Ptr: desc.Ptr, Ent: desc.Ent, Val: desc.Val, DZ: desc.DZ, Write: bw.BatchGradRows}
						if !optim.DefaultAdam(0.01).StepRows(gotW, make([]float64, len(w)), rg) {
							t.Fatalf("optim %s: non-finite", ok)
						}
						if !slices.Equal(gotW, wantW) {
							t.Errorf("batch %v, optim %s: the step from the description differs from Fill+Step", batch, ok)
						}
					}
					bw.LossGrad(nil, w)
					if _, ok := bw.BatchGather(); ok {
						t.Error("a description after LossGrad reused dz")
					}
				}
			})
		}
	}
}
