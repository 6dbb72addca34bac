package optim

import "math"

// adamKernel applies one Adam update to every coordinate:
//
//	m ← b1·m + (1−b1)·g,  v ← b2·v + (1−b2)·g²,  w ← w − step·m/(√v·rbc2 + eps)
//
// The portable version is plain Go; a build with GOEXPERIMENT=simd on amd64
// with AVX-512 selects a vectorised one (kernels_simd.go) that agrees to
// rounding.
var adamKernel = adamPortable

// kernelSets lists the Adam kernels this build and CPU support, best last.
var kernelSets = map[string]func(w, g, m, v []float64, b1, b2, step, rbc2, eps float64){"portable": adamPortable}

// UseKernel selects the Adam kernel by name ("portable" or "avx512") and
// reports whether it exists; for tests and benchmarks that compare paths.
func UseKernel(name string) bool {
	k, ok := kernelSets[name]
	if ok {
		adamKernel = k
	}
	return ok
}

func adamPortable(w, g, m, v []float64, b1, b2, step, rbc2, eps float64) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i, gi := range g {
		m[i] = b1*m[i] + (1-b1)*gi
		v[i] = b2*v[i] + (1-b2)*gi*gi
		w[i] -= step * m[i] / (math.Sqrt(v[i])*rbc2 + eps)
	}
}
