//go:build goexperiment.simd && amd64

package optim

import "simd/archsimd"

func init() {
	if archsimd.X86.AVX512() {
		kernelSets["avx512"] = adamAVX512
		adamKernel = adamAVX512
	}
}

func adamAVX512(w, g, m, v []float64, b1, b2, step, rbc2, eps float64) {
	n := len(w)
	g, m, v = g[:n], m[:n], v[:n]
	vb1, vc1 := archsimd.BroadcastFloat64x8(b1), archsimd.BroadcastFloat64x8(1-b1)
	vb2, vc2 := archsimd.BroadcastFloat64x8(b2), archsimd.BroadcastFloat64x8(1-b2)
	vstep, vr, veps := archsimd.BroadcastFloat64x8(step), archsimd.BroadcastFloat64x8(rbc2), archsimd.BroadcastFloat64x8(eps)
	i := 0
	for ; i+8 <= n; i += 8 {
		gi := archsimd.LoadFloat64x8((*[8]float64)(g[i : i+8]))
		mi := archsimd.LoadFloat64x8((*[8]float64)(m[i : i+8]))
		vi := archsimd.LoadFloat64x8((*[8]float64)(v[i : i+8]))
		wi := archsimd.LoadFloat64x8((*[8]float64)(w[i : i+8]))
		mi = vb1.Mul(mi).Add(vc1.Mul(gi))
		vi = vb2.Mul(vi).Add(vc2.Mul(gi).Mul(gi))
		den := vi.Sqrt().Mul(vr).Add(veps)
		wi = wi.Sub(vstep.Mul(mi).Div(den))
		mi.Store((*[8]float64)(m[i : i+8]))
		vi.Store((*[8]float64)(v[i : i+8]))
		wi.Store((*[8]float64)(w[i : i+8]))
	}
	archsimd.ClearAVXUpperBits()
	if i < n {
		adamPortable(w[i:], g[i:], m[i:], v[i:], b1, b2, step, rbc2, eps)
	}
}
