package model

import "github.com/adamgap/adamgap/internal/kernel"

// heads64 is arith64.heads: f[2b+j] = Σ_col (σ of patch 2b + σ of patch
// 2b+1) over class j's m columns, one sum in column order per class (the
// numbers this path has always given). A sum is a chain of dependent
// additions, so two examples are summed together: four independent chains
// in registers, each in its own order.
func heads64(f []float64, s []float64, count int, l *layout) {
	wd, m := l.wd, l.m
	f = f[:2*count]
	s = s[:2*count*wd]
	b := 0
	for ; b+1 < count; b += 2 {
		x := s[2*b*wd : (2*b+4)*wd]
		x0, x1, y0, y1 := x[:m], x[wd:wd+m], x[2*wd:2*wd+m], x[3*wd:3*wd+m]
		u0, u1, v0, v1 := x[m:2*m], x[wd+m:wd+2*m], x[2*wd+m:2*wd+2*m], x[3*wd+m:3*wd+2*m]
		x1, y0, y1 = x1[:len(x0)], y0[:len(x0)], y1[:len(x0)]
		u0, u1, v0, v1 = u0[:len(x0)], u1[:len(x0)], v0[:len(x0)], v1[:len(x0)]
		var f0, f1, g0, g1 float64
		for col, v := range x0 {
			f0 += v + x1[col]
			f1 += u0[col] + u1[col]
			g0 += y0[col] + y1[col]
			g1 += v0[col] + v1[col]
		}
		f[2*b], f[2*b+1], f[2*b+2], f[2*b+3] = f0, f1, g0, g1
	}
	for ; b < count; b++ {
		x := s[2*b*wd : (2*b+2)*wd]
		x0, x1, u0, u1 := x[:m], x[wd:wd+m], x[m:2*m], x[wd+m:wd+2*m]
		x1, u0, u1 = x1[:len(x0)], u0[:len(x0)], u1[:len(x0)]
		var f0, f1 float64
		for col, v := range x0 {
			f0 += v + x1[col]
			f1 += u0[col] + u1[col]
		}
		f[2*b], f[2*b+1] = f0, f1
	}
}

// scale64 is arith64.scale: scaleOf, or the same products by one AVX-512
// kernel call where that path is in use and rows are 40 wide (m = 20).
func scale64(dz []float64, dF []float64, count int, l *layout) {
	if count > 0 && l.wd == block && active.name == kernel.AVX512 {
		if len(dz) < 2*count*block || len(dF) < 2*count {
			panic("model: scale: buffers too short")
		}
		kernel.ScaleHeads40(&dz[0], &dF[0], count)
		return
	}
	scaleOf(dz, dF, count, l)
}
