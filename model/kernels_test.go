package model_test

import (
	"math"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// trajectory runs steps of Adam with the given kernel set and returns the
// final weights and the losses along the way.
func trajectory(t *testing.T, kernel string, sz benchSize, steps int) ([]float64, []float64) {
	t.Helper()
	defer model.UseKernel(model.Kernel())
	defer optim.UseKernel(model.Kernel())
	if !model.UseKernel(kernel) || !optim.UseKernel(kernel) {
		t.Fatalf("kernel %q not available (have %v)", kernel, model.Kernels())
	}
	set, c, w := benchProblem(t, sz, 7)
	g := make([]float64, len(w))
	ws := model.NewNet[float64](c, set)
	opt := optim.DefaultAdam(1e-3)
	var losses []float64
	for range steps {
		ev := ws.LossGrad(g, w)
		losses = append(losses, ev.Loss, ev.GradL1, ev.GradL2Sq)
		opt.Step(w, g)
	}
	return w, losses
}

// TestKernelsAgree checks that every available kernel set (portable, and
// AVX-512 on a CPU that has it, unless built with -tags purego) follows the
// same trajectory to 1e-12 relative over 100 Adam steps, for row widths
// that are a multiple of the 40-column register block and ones that are not,
// and, with d = 1400 and blocks of 300 rows (SetCoordBlockL2), in the regime
// of the L2-sized coordinate-blocked forward pass (too sparse for the
// L1-sized blocks: TestCoordPlan), over widths that take its 120-column
// pass, its 40-column blocks and its masked last block. Those networks
// drift apart faster whatever the path (the AVX2 path, whose forward pass
// they do not change, is 1.5e-12 from portable after 40 steps and 2e-12
// after 100 at m = 50), so they run 15 steps (≈ 4e-13).
func TestKernelsAgree(t *testing.T) {
	kernels := model.Kernels()
	if len(kernels) < 2 {
		t.Logf("only %v in this build; the AVX-512 kernels need a CPU with AVX-512 and a build without -tags purego", kernels)
	}
	defer model.SetCoordBlockL2(model.SetCoordBlockL2(300))
	for _, tc := range []struct {
		sz    benchSize
		steps int
	}{
		{benchSize{d: 300, n: 40, s: 30, m: 20}, 100}, // 2m = 40: one full block
		{benchSize{d: 300, n: 40, s: 30, m: 5}, 100},  // 2m = 10: partial block only
		{benchSize{d: 300, n: 40, s: 30, m: 23}, 100}, // 2m = 46: full block + partial
		{benchSize{d: 1400, n: 40, s: 30, m: 50}, 15}, // L2-sized blocks, 2m = 100: one 120-column pass
		{benchSize{d: 1400, n: 40, s: 30, m: 23}, 15}, // 2m = 46: a block of 40 and a masked one
		{benchSize{d: 1400, n: 40, s: 30, m: 85}, 15}, // 2m = 170: a 120-column pass, a block of 40, a masked one
	} {
		sz, steps := tc.sz, tc.steps
		wRef, lRef := trajectory(t, "portable", sz, steps)
		for _, k := range kernels[1:] {
			w, l := trajectory(t, k, sz, steps)
			t.Logf("d=%d m=%d: %s vs portable after %d steps: weights %.2g, losses/norms %.2g relative", sz.d, sz.m, k, steps, maxRel(w, wRef), maxRel(l, lRef))
			if d := maxRel(w, wRef); d > 1e-12 {
				t.Errorf("d=%d m=%d: %s vs portable: weights differ by %.3g relative after %d steps", sz.d, sz.m, k, d, steps)
			}
			if d := maxRel(l, lRef); d > 1e-12 {
				t.Errorf("d=%d m=%d: %s vs portable: loss or gradient norms differ by %.3g relative", sz.d, sz.m, k, d)
			}
		}
	}
}

// TestKernelDeterminism checks that a kernel gives bit-identical results on
// repeated runs.
func TestKernelDeterminism(t *testing.T) {
	for _, k := range model.Kernels() {
		sz := benchSize{d: 200, n: 20, s: 20, m: 20}
		w1, l1 := trajectory(t, k, sz, 30)
		w2, l2 := trajectory(t, k, sz, 30)
		if !slices.Equal(w1, w2) || !slices.Equal(l1, l2) {
			t.Errorf("%s: two identical runs differ", k)
		}
	}
}

func maxRel(a, b []float64) float64 {
	scale := 0.0
	for _, v := range b {
		scale = max(scale, math.Abs(v))
	}
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i])/max(math.Abs(b[i]), 1e-3*scale))
	}
	return d
}

// TestAVX2IsAVX512: the AVX2 path performs the AVX-512 path's operations in
// the same order, column by column and lane by lane, so the two follow the
// same trajectory bit for bit, whatever the row width (full 20- and
// 40-column blocks, 4-column chunks, single columns) — except the AVX-512
// full-batch forward pass in coordinate blocks (kernels_coord.go), which
// sums in another order and is turned off here; TestKernelsAgree checks
// it against the portable path to 1e-12.
func TestAVX2IsAVX512(t *testing.T) {
	kernels := model.Kernels()
	if !slices.Contains(kernels, "avx2") || !slices.Contains(kernels, "avx512") {
		t.Skipf("needs the avx2 and avx512 paths; this build and CPU run %v", kernels)
	}
	defer model.SetCoordForward(model.SetCoordForward(false))
	for _, m := range []int{20, 5, 23, 25, 1, 2, 50} {
		sz := benchSize{d: 200, n: 20, s: 20, m: m}
		w1, l1 := trajectory(t, "avx2", sz, 30)
		w2, l2 := trajectory(t, "avx512", sz, 30)
		if !slices.Equal(w1, w2) || !slices.Equal(l1, l2) {
			t.Errorf("m=%d: avx2 and avx512 differ: weights by %.3g, losses/norms by %.3g relative", m, maxRel(w1, w2), maxRel(l1, l2))
		}
	}
}
