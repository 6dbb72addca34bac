package model_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/cputime"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

type benchSize struct{ d, n, s, m int }

var paperSize = benchSize{d: 1000, n: 200, s: 100, m: 20}

// benchProblem draws n training examples of the patch model (d, s,
// σp = 0.1, α = 0.2) and the start W₀ of a network of m neurons (q = 3,
// λ = 1e-5, σ₀ = 0.01), both from seed.
func benchProblem(tb testing.TB, sz benchSize, seed uint64) (*data.Set, model.CNN, []float64) {
	tb.Helper()
	pm := data.PatchModel{D: sz.d, S: sz.s, SigmaP: 0.1, Alpha: 0.2}
	set, err := pm.Train(sz.n, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		tb.Fatal(err)
	}
	c := model.CNN{D: sz.d, M: sz.m, Q: 3, Lambda: 1e-5}
	return set, c, c.Init(0.01, rand.New(rand.NewPCG(seed, 3)))
}

func benchSetup(b *testing.B, sz benchSize) (*model.Net[float64], model.CNN, []float64, []float64) {
	b.Helper()
	set, c, w := benchProblem(b, sz, 1)
	return model.NewNet[float64](c, set), c, w, make([]float64, len(w))
}

// BenchmarkStep is one full-batch step at the paper's setting: forward,
// gradient and an Adam update (issue 3, target 1), with each kernel set;
// Adam with FastRoot, as full-batch runs take it.
func BenchmarkStep(b *testing.B) {
	kernels := model.Kernels()
	defer model.UseKernel(model.Kernel())
	defer optim.UseKernel(model.Kernel())
	for _, k := range kernels {
		b.Run(k, func(b *testing.B) {
			model.UseKernel(k)
			optim.UseKernel(k)
			ws, _, w, g := benchSetup(b, paperSize)
			opt := optim.DefaultAdam(5e-5)
			opt.FastRoot = true // as a full-batch run's Adam (train)
			cputime.Loop(b, func() {
				ws.LossGrad(g, w)
				opt.Step(w, g)
			})
		})
	}
}

// BenchmarkLossGrad is the forward and gradient alone.
func BenchmarkLossGrad(b *testing.B) {
	ws, _, w, g := benchSetup(b, paperSize)
	for b.Loop() {
		ws.LossGrad(g, w)
	}
}

// BenchmarkAdam is the optimiser pass alone over 2·m·d weights.
func BenchmarkAdam(b *testing.B) { benchAdam(b, paperSize) }

// benchAdam times Adam's step alone on the weights of size sz, with a
// fixed gradient.
func benchAdam(b *testing.B, sz benchSize) {
	_, _, w, g := benchSetup(b, sz)
	for i := range g {
		g[i] = 1e-3 * float64(i%7-3)
	}
	opt := optim.DefaultAdam(5e-5)
	for b.Loop() {
		opt.Step(w, g)
	}
}

// BenchmarkTestError evaluates the test error on 10⁴ fresh examples.
func BenchmarkTestError(b *testing.B) {
	_, c, w, _ := benchSetup(b, paperSize)
	pm := data.PatchModel{D: 1000, S: 100, SigmaP: 0.1, Alpha: 0.2}
	test, err := pm.Test(10000, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c.Errors(w, test)
	}
}

// BenchmarkScaling varies one of n, s, m, d at a time around the paper's
// setting and times, for each size, the forward and gradient ("grad", work
// ∝ n·s·m) and the Adam pass ("adam", work ∝ m·d) separately. Fit the
// log-log slopes with
//
//	go test ./model -run '^$' -bench Scaling | go run ./bench/slopes
func BenchmarkScaling(b *testing.B) {
	var sizes []benchSize
	for _, n := range []int{100, 200, 400, 800, 1600} {
		sizes = append(sizes, benchSize{d: 1000, n: n, s: 100, m: 20})
	}
	for _, s := range []int{25, 50, 200, 400} {
		sizes = append(sizes, benchSize{d: 1000, n: 200, s: s, m: 20})
	}
	for _, m := range []int{5, 10, 40, 80} {
		sizes = append(sizes, benchSize{d: 1000, n: 200, s: 100, m: m})
	}
	for _, d := range []int{4000, 16000, 64000} {
		sizes = append(sizes, benchSize{d: d, n: 200, s: 100, m: 20})
	}
	for _, sz := range sizes {
		name := fmt.Sprintf("n=%d/s=%d/m=%d/d=%d", sz.n, sz.s, sz.m, sz.d)
		b.Run("grad/"+name, func(b *testing.B) {
			ws, _, w, g := benchSetup(b, sz)
			for b.Loop() {
				ws.LossGrad(g, w)
			}
		})
		b.Run("adam/"+name, func(b *testing.B) { benchAdam(b, sz) })
	}
}

// BenchmarkMiniBatchStep is a training step of Adam at the paper's size:
// the full batch (LossGrad + Step) and mini-batches of 2 and 100 as the
// training loop takes them (BatchLossRows + StepRows from its description,
// optim.RowGather: on AVX-512 the gather fused into Adam's pass), so that
// their ratios to "full" are measured in one run (issue 10, target 1).
// "rows" is the step with the gradient rows written first
// (BatchLossGradRows + one-pass StepRows), as the loop did before issue 19.
// "whole" is the mini-batch step with the gradient written out in full
// (LossGrad + Step), as the loop did before BatchLossGradRows.
func BenchmarkMiniBatchStep(b *testing.B) {
	ws, c, w, g := benchSetup(b, paperSize)
	set, _, _ := benchProblem(b, paperSize, 1)
	perm := rand.New(rand.NewPCG(1, 4)).Perm(paperSize.n)
	b.Run("full", func(b *testing.B) {
		opt := optim.DefaultAdam(5e-5)
		cputime.Loop(b, func() {
			ws.LossGrad(g, w)
			opt.Step(w, g)
		})
	})
	for _, size := range []int{2, 100} {
		batches := make([][]int32, paperSize.n/size)
		for i := range batches {
			for _, e := range perm[i*size : (i+1)*size] {
				batches[i] = append(batches[i], int32(e))
			}
			slices.Sort(batches[i])
		}
		b.Run(fmt.Sprintf("B=%d", size), func(b *testing.B) {
			bw := model.NewNet[float64](c, set)
			opt := optim.DefaultAdam(5e-5)
			gt := &optim.RowGather{Write: bw.BatchGradRows}
			i := 0
			cputime.Loop(b, func() {
				bg := bw.BatchLossRows(w, batches[i%len(batches)])
				desc, _ := bw.BatchGather()
				gt.Ptr, gt.Ent, gt.Val, gt.DZ = desc.Ptr, desc.Ent, desc.Val, desc.DZ
				opt.StepRows(w, g, optim.RowGrad{Lambda: c.Lambda, Width: c.Width(), Rows: bg.Rows, Gather: gt})
				i++
			})
		})
		b.Run(fmt.Sprintf("B=%d-rows", size), func(b *testing.B) {
			bw := model.NewNet[float64](c, set)
			opt := optim.DefaultAdam(5e-5)
			i := 0
			cputime.Loop(b, func() {
				bg := bw.BatchLossGradRows(g, w, batches[i%len(batches)])
				opt.StepRows(w, g, optim.RowGrad{Lambda: c.Lambda, Width: c.Width(), Rows: bg.Rows})
				i++
			})
		})
		b.Run(fmt.Sprintf("B=%d-whole", size), func(b *testing.B) {
			bw := model.NewNet[float64](c, set)
			opt := optim.DefaultAdam(5e-5)
			i := 0
			cputime.Loop(b, func() {
				bw.BatchLossGrad(g, w, batches[i%len(batches)])
				opt.Step(w, g)
				i++
			})
		})
	}
}
