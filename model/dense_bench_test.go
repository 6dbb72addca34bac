//go:build linux

package model

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/adamgap/adamgap/internal/cputime"
	"github.com/adamgap/adamgap/internal/kernel"
)

// fmaFloorNs measures the CPU's fused multiply-add throughput with
// kernel.FMAPeak and returns the thread CPU time in ns that fmas
// multiply-adds (one lane each) take at it. 0 without AVX-512.
func fmaFloorNs(fmas float64) float64 {
	if !kernel.Available {
		return 0
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var out [8]float64
	const iters = 20_000_000 // 16·8 lane-FMAs each
	best := 0.0
	for range 3 {
		t0 := cputime.Thread()
		kernel.FMAPeak(iters, &out)
		if ns := float64(cputime.Thread() - t0); best == 0 || ns < best {
			best = ns
		}
	}
	return fmas * best / (iters * 128)
}

// BenchmarkDenseStep is the objective and gradient of a full-batch step on
// Gaussian data at the family's size (n = 100, d = 1000, m = 20): the dense
// path on each kernel set, the sparse kernels on the same set, and the
// two matrix products alone through gonum's Dgemm. It reports thread CPU
// time per step and, with AVX-512, x-floor: that time over the time the
// step's 2·n·d·2m multiply-adds take at the FMA throughput that
// kernel.FMAPeak measures in the same run (the floor of issue 17).
//
//	go test ./model -run '^$' -bench DenseStep -count 5
func BenchmarkDenseStep(b *testing.B) {
	const n, d, m = 100, 1000, 20
	set := gaussianSet(n, d, 1/31.6, 0, 1)
	cnn := CNN{D: d, M: m, Q: 1, Lambda: 1e-5, Output: OutputMean}
	w := cnn.Init(0.01, rand.New(rand.NewPCG(1, 3)))
	g := make([]float64, len(w))
	floor := fmaFloorNs(2 * n * d * 2 * m)
	run := func(b *testing.B, body func()) {
		if ns := cputime.Loop(b, body); ns > 0 && floor > 0 {
			b.ReportMetric(ns/floor, "x-floor")
		}
	}
	defer UseKernel(Kernel())
	for _, path := range Kernels() {
		b.Run("dense-"+path, func(b *testing.B) {
			UseKernel(path)
			ws := NewNet[float64](cnn, set)
			run(b, func() { ws.LossGrad(g, w) })
		})
		b.Run("sparse-"+path, func(b *testing.B) {
			UseKernel(path)
			ws := NewNet[float64](cnn, set)
			ws.lay.denseDone = true // no dense patches: the sparse kernels
			run(b, func() { ws.LossGrad(g, w) })
		})
	}
	b.Run("gonum-dgemm-products", func(b *testing.B) {
		ds := newDenseSet(set, cnn.Width())
		impl := gonum.Implementation{}
		wd := cnn.Width()
		run(b, func() {
			impl.Dgemm(blas.NoTrans, blas.NoTrans, n, wd, d, 1, ds.x, d, w, wd, 0, ds.zd, wd)
			impl.Dgemm(blas.Trans, blas.NoTrans, d, wd, n, 1, ds.x, d, ds.zd, wd, 1, g, wd)
		})
	})
}
