package model_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

type benchSize struct{ d, n, s, m int }

var paperSize = benchSize{d: 1000, n: 200, s: 100, m: 20}

func benchSetup(b *testing.B, sz benchSize) (*model.Workspace, model.CNN, []float64, []float64) {
	b.Helper()
	pm := data.PatchModel{D: sz.d, S: sz.s, SigmaP: 0.1, Alpha: 0.2}
	set, err := pm.Train(sz.n, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	c := model.CNN{D: sz.d, M: sz.m, Q: 3, Lambda: 1e-5}
	w := c.Init(0.01, rand.New(rand.NewPCG(1, 3)))
	return model.NewWorkspace(c, set), c, w, make([]float64, len(w))
}

// BenchmarkStep is one full-batch step at the paper's setting: forward,
// gradient and an Adam update (issue 3, target 1), with each kernel set.
func BenchmarkStep(b *testing.B) {
	kernels := model.Kernels()
	defer model.UseKernel(kernels[len(kernels)-1])
	defer optim.UseKernel(kernels[len(kernels)-1])
	for _, k := range kernels {
		b.Run(k, func(b *testing.B) {
			model.UseKernel(k)
			optim.UseKernel(k)
			ws, _, w, g := benchSetup(b, paperSize)
			opt := optim.DefaultAdam(5e-5)
			for b.Loop() {
				ws.LossGrad(g, w)
				opt.Step(w, g)
			}
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
func BenchmarkAdam(b *testing.B) {
	_, _, w, g := benchSetup(b, paperSize)
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
		b.Run("adam/"+name, func(b *testing.B) {
			_, _, w, g := benchSetup(b, sz)
			for i := range g {
				g[i] = 1e-3 * float64(i%7-3)
			}
			opt := optim.DefaultAdam(5e-5)
			for b.Loop() {
				opt.Step(w, g)
			}
		})
	}
}
