package model

import (
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// kernels are the hot loops of an evaluation, one set per kernel path:
// kernels_portable.go has the plain Go ones, kernels_avx2.go,
// kernels_avx512.go and kernels_neon.go the AVX2, AVX-512 and NEON (arm64)
// ones (package internal/kernel),
// which run where the CPU has them and the build is not -tags purego: the
// best of them by default, or the one ADAMGAP_KERNELS names
// (kernel.Selected). All are deterministic; they agree to rounding (about
// 1e-15 relative per step, ~1e-13 over the paper's 10⁴ steps).
type kernels struct {
	name string
	// forward writes z[(p−p0)·wd : (p−p0+1)·wd] = Σ_{(k,v) ∈ patch p} v·w[k·wd : (k+1)·wd]
	// for the patches p ∈ [p0, p1).
	forward func(z, w []float64, set *data.Set, p0, p1, wd int)
	// backward writes g[k·wd:(k+1)·wd] = λ·w[k·wd:…] + Σ_{(p,v) ∈ column k} v·dz[p·wd:…]
	// for every coordinate k and returns ‖w‖², ‖g‖₁ and ‖g‖₂².
	backward func(g, w, dz []float64, set *data.Set, wd int, lambda float64) (norm2, l1, l2sq float64)
	// activate writes s[i] = σ(z[i]) = max(0,z[i])^q and ds[i] = σ'(z[i]).
	activate func(z, s, ds []float64, q int)
	// sqnorm returns ‖w‖² summed in the same order as backward, so the loss
	// is the same number whether or not a gradient is computed.
	sqnorm func(w []float64, d, wd int) float64
	// gatherRows writes, for each r with k = rows[r], the gradient row
	// g[k·wd:(k+1)·wd] = λ·w[k·wd:…], then adds val[e]·dz[ent[e]·wd:…] for
	// e ∈ [ptr[r], ptr[r+1]) in order, each a rounded product and a
	// rounded sum (axpy).
	gatherRows func(g, w, dz []float64, rows, ptr, ent []int32, val []float64, wd int, lambda float64)
}

// sets are the kernel sets of every path (kernel.Paths names those this
// build and CPU can run); each path's functions have the same signatures.
var sets = map[string]kernels{
	kernel.Portable: portable,
	kernel.AVX2:     avx2,
	kernel.AVX512:   avx512,
	kernel.NEON:     neon,
}

// available lists the kernel sets this build and CPU can run, best last.
var available = availableSets()

func availableSets() []kernels {
	var ks []kernels
	for _, name := range kernel.Paths() {
		if k, ok := sets[name]; ok {
			ks = append(ks, k)
		}
	}
	return ks
}

// active is the kernel set in use: the path ADAMGAP_KERNELS names, else the
// best one (kernel.Selected); see Kernel and UseKernel.
var active = selectedSet()

func selectedSet() kernels {
	name, _ := kernel.Selected()
	if k, ok := sets[name]; ok {
		return k
	}
	return available[len(available)-1]
}

// Kernel returns the name of the kernel set in use: "portable", "avx2",
// "avx512" or "neon".
func Kernel() string { return active.name }

// KernelsErr is the error of an ADAMGAP_KERNELS that names no kernel path,
// or one that this build and CPU cannot run (the best path runs instead);
// nil when the variable is unset or usable. Commands report it and stop.
func KernelsErr() error {
	_, err := kernel.Selected()
	return err
}

// Kernels returns the names of the kernel sets this build and CPU support,
// best last.
func Kernels() []string {
	names := make([]string, len(available))
	for i, k := range available {
		names[i] = k.name
	}
	return names
}

// UseKernel selects a kernel set by name and reports whether it exists. It
// is meant for tests and benchmarks that compare the paths; it must not be
// called while evaluations run.
func UseKernel(name string) bool {
	for _, k := range available {
		if k.name == name {
			active = k
			return true
		}
	}
	return false
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// axpy adds a·x to dst; len(x) must be at least len(dst).
func axpy(dst, x []float64, a float64) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] += a * v
	}
}
