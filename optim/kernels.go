package optim

import (
	"math"

	"github.com/adamgap/adamgap/internal/kernel"
)

// adamKernel applies one Adam update to every coordinate:
//
//	m ← b1·m + (1−b1)·g,  v ← b2·v + (1−b2)·g²,  w ← w − step·m/(√v·rbc2 + eps)
//
// The portable version is plain Go; on CPUs with AVX-512 the assembly
// kernel of internal/kernel is selected, which performs the same operations
// in the same order and so gives bit-identical results.
var adamKernel = adamPortable

// kernelSets lists the Adam kernels this build and CPU support, best last.
var kernelSets = map[string]func(w, g, m, v []float64, b1, b2, step, rbc2, eps float64){"portable": adamPortable}

// gdKernel is gradient descent's update w ← w − η·g, a rounded product and
// a rounded difference per weight in both versions.
var gdKernel = gdPortable

// gdKernelSets are the gdKernel of each entry of kernelSets.
var gdKernelSets = map[string]func(w, g []float64, lr float64){"portable": gdPortable}

func gdPortable(w, g []float64, lr float64) {
	g = g[:len(w)]
	for i, gi := range g {
		w[i] -= lr * gi
	}
}

func gdAVX512(w, g []float64, lr float64) {
	if len(w) == 0 {
		return
	}
	g = g[:len(w)]
	kernel.GDRows(&w[0], &g[0], len(w), lr)
}

// rowKernelSets are the adamRowsKernel of each entry of kernelSets.
var rowKernelSets = map[string]func(w, g, m, v []float64, r RowGrad, b1, b2, step, rbc2, eps, shrink float64) bool{"portable": adamRowsPortable}

// UseKernel selects the Adam kernel by name ("portable" or "avx512") and
// reports whether it exists; for tests and benchmarks that compare paths.
func UseKernel(name string) bool {
	k, ok := kernelSets[name]
	if ok {
		adamKernel = k
		adamRowsKernel = rowKernelSets[name]
		gdKernel = gdKernelSets[name]
		use32 = name == "avx512" // the float32 kernels follow (adam32.go)
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

func init() {
	if kernel.Available {
		kernelSets["avx512"] = adamAVX512
		adamKernel = adamAVX512
		rowKernelSets["avx512"] = adamRowsAVX512
		adamRowsKernel = adamRowsAVX512
		gdKernelSets["avx512"] = gdAVX512
		gdKernel = gdAVX512
	}
}

func adamAVX512(w, g, m, v []float64, b1, b2, step, rbc2, eps float64) {
	n := len(w)
	g, m, v = g[:n], m[:n], v[:n]
	body := n / 8 * 8
	if body > 0 {
		c := [7]float64{b1, 1 - b1, b2, 1 - b2, step, rbc2, eps}
		kernel.AdamRows(&w[0], &g[0], &m[0], &v[0], body, &c)
	}
	adamPortable(w[body:], g[body:], m[body:], v[body:], b1, b2, step, rbc2, eps)
}
