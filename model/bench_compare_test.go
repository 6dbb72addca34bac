package model_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/internal/cputime"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// BenchmarkTrainStep is a training step of Adam (gradient and update) at
// the paper's size, at other widths m, at 10×, 62× and 100× its work, and with
// mini-batches — the figures of issue 10 — reporting, besides wall and
// thread CPU time (cpu-ns/op), the CPU time per non-zero of X per column of
// W (cpu-ns/nzcol: the step's work is 2·nnz(X)·2m multiply-adds), which is
// flat across sizes when the kernels keep their efficiency.
//
//	go test ./model -run '^$' -bench TrainStep -count 5
func BenchmarkTrainStep(b *testing.B) {
	type size struct {
		name       string
		d, n, s, m int
		batch      int // 0: full batch
		skipShort  bool
	}
	sizes := []size{
		{"paper/full", 1000, 200, 100, 20, 0, false},
		{"paper/B=2", 1000, 200, 100, 20, 2, false},
		{"paper/B=100", 1000, 200, 100, 20, 100, false},
		{"m=10/full", 1000, 200, 100, 10, 0, false},
		{"m=25/full", 1000, 200, 100, 25, 0, false},
		{"m=50/full", 1000, 200, 100, 50, 0, false},
		{"10x/full", 10000, 2000, 100, 20, 0, true},
		{"62x/full", 20000, 1000, 500, 50, 0, true},
		{"100x/full", 100000, 2000, 1000, 50, 0, true},
	}
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			if sz.skipShort && testing.Short() {
				b.Skip("large size")
			}
			set, c, w := benchProblem(b, benchSize{d: sz.d, n: sz.n, s: sz.s, m: sz.m}, 1)
			g := make([]float64, len(w))
			opt := optim.DefaultAdam(5e-5)
			nnz := len(set.Idx)
			var step func()
			if sz.batch == 0 {
				ws := model.NewNet[float64](c, set)
				step = func() {
					ws.LossGrad(g, w)
					opt.Step(w, g)
				}
			} else {
				perm := rand.New(rand.NewPCG(1, 4)).Perm(sz.n)
				var batches [][]int32
				for i := 0; i+sz.batch <= sz.n; i += sz.batch {
					bt := make([]int32, sz.batch)
					for j := range bt {
						bt[j] = int32(perm[i+j])
					}
					slices.Sort(bt)
					batches = append(batches, bt)
				}
				bw := model.NewNet[float64](c, set)
				i := 0
				step = func() {
					miniStep(bw, c, opt, w, g, batches[i%len(batches)])
					i++
				}
				nnz = nnz * sz.batch / sz.n
			}
			if cpu := cputime.Loop(b, step); cpu > 0 {
				b.ReportMetric(cpu/float64(2*nnz*c.Width()), "cpu-ns/nzcol")
			}
		})
	}
	_ = fmt.Sprint
}
