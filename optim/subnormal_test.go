package optim

import (
	"math"
	"testing"
)

// BenchmarkAdamSubnormal times Adam's one-pass mini-batch step (StepRows,
// no rows from data) over 40,000 weights whose state is ordinary
// ("normal") or, as late in a long batch-2 run, subnormal: with coupled
// decay and gradients ≪ ε each step shrinks a weight by about η·λ/ε, so
// after ~10⁵ steps most weights, and their m and v, are below 2.2e-308.
// CPUs that handle subnormal operands in microcode (many Intel cores
// without FTZ/DAZ) show the difference; see bench/README.md.
func BenchmarkAdamSubnormal(b *testing.B) {
	const n = 40000
	for _, tc := range []struct {
		name string
		w    float64
	}{{"normal", 1e-3}, {"subnormal", 1e-310}} {
		for _, k := range kernelNames() {
			b.Run(tc.name+"/"+k, func(b *testing.B) {
				defer UseKernel(kern.name)
				UseKernel(k)
				w, g := make([]float64, n), make([]float64, n)
				for i := range w {
					w[i] = tc.w * float64(1+i%7)
				}
				o := DefaultAdam(5e-5)
				r := RowGrad{Lambda: 1e-5, Width: 40}
				o.StepRows(w, g, r)
				for i := range w { // restore the weights; keep the moments of λw
					w[i] = tc.w * float64(1+i%7)
				}
				sub := 0
				for _, v := range append(append([]float64{}, w...), o.m...) {
					if v != 0 && math.Abs(v) < 0x1p-1022 {
						sub++
					}
				}
				for b.Loop() {
					o.StepRows(w, g, r)
				}
				b.ReportMetric(float64(sub)/float64(2*n), "subnormal-frac")
			})
		}
	}
}
