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

// BenchmarkStepDType is one full-batch Adam step at the paper's setting in
// float64 (Net[float64], Adam) and float32 (Net[float32], Adam32), with each
// kernel set: compare the two dtypes within one run (benchstat, -count;
// cpu-ns/op is the thread's CPU time).
func BenchmarkStepDType(b *testing.B) {
	kernels := model.Kernels()
	defer model.UseKernel(model.Kernel())
	defer optim.UseKernel(model.Kernel())
	for _, k := range kernels {
		b.Run(k+"/float64", func(b *testing.B) {
			model.UseKernel(k)
			optim.UseKernel(k)
			ws, _, w, g := benchSetup(b, paperSize)
			opt := optim.DefaultAdam(5e-5)
			cputime.Loop(b, func() {
				ws.LossGrad(g, w)
				opt.Step(w, g)
			})
		})
		b.Run(k+"/float32", func(b *testing.B) {
			model.UseKernel(k)
			optim.UseKernel(k)
			net, w, g := benchSetup32(b, paperSize)
			opt := &optim.Adam32{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
			cputime.Loop(b, func() {
				net.LossGrad(g, w)
				opt.Step(w, g)
			})
		})
	}
}

func benchSetup32(b *testing.B, sz benchSize) (*model.Net[float32], []float32, []float32) {
	b.Helper()
	set, c, w64 := benchProblem(b, sz, 1)
	w := make([]float32, len(w64))
	for i, v := range w64 {
		w[i] = float32(v)
	}
	return model.NewNet[float32](c, set), w, make([]float32, len(w))
}

// BenchmarkMiniBatchStep32 is a float32 Adam step at the paper's size on
// mini-batches of 2 and 100 as the training loop takes it (the rows the
// batch touches, BatchLossGradRows, then Adam32.StepRows in one pass over
// the weights), and, as /whole, as it took it before (BatchLossGrad, the
// whole gradient, then Adam32.Step: the same bits), the batches of
// BenchmarkMiniBatchStep; thread CPU time. A run takes the rows at B=2 and
// /whole at B=100, whose patches have ≥ d entries (train's rowObjective).
func BenchmarkMiniBatchStep32(b *testing.B) {
	net, w, g := benchSetup32(b, paperSize)
	perm := rand.New(rand.NewPCG(1, 4)).Perm(paperSize.n)
	_, c, _ := benchProblem(b, paperSize, 1)
	for _, size := range []int{2, 100} {
		batches := make([][]int32, paperSize.n/size)
		for i := range batches {
			for _, e := range perm[i*size : (i+1)*size] {
				batches[i] = append(batches[i], int32(e))
			}
			slices.Sort(batches[i])
		}
		b.Run(fmt.Sprintf("B=%d", size), func(b *testing.B) {
			opt := &optim.Adam32{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
			i := 0
			cputime.Loop(b, func() {
				bg := net.BatchLossGradRows(g, w, batches[i%len(batches)])
				opt.StepRows(w, g, optim.RowGrad{Lambda: c.Lambda, Width: c.Width(), Rows: bg.Rows})
				i++
			})
		})
		b.Run(fmt.Sprintf("B=%d/whole", size), func(b *testing.B) {
			opt := &optim.Adam32{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
			i := 0
			cputime.Loop(b, func() {
				net.BatchLossGrad(g, w, batches[i%len(batches)])
				opt.Step(w, g)
				i++
			})
		})
	}
}
