package optim

import (
	"math"
	"slices"

	"github.com/adamgap/adamgap/internal/kernel"
)

// kernelSet is one kernel path's optimiser loops; every path has functions
// of the same signatures (package model has the evaluation's).
type kernelSet struct {
	name string
	// adam applies one Adam update to every coordinate:
	//
	//	m ← b1·m + (1−b1)·g,  v ← b2·v + (1−b2)·g²,  w ← w − step·m/(√v·rbc2 + eps)
	adam func(w, g, m, v []float64, b1, b2, step, rbc2, eps float64)
	// adamRoot is adam with √v as the path computes it fastest (Adam.FastRoot):
	// AVX-512's kernel.AdamRowsRoot, adam itself on the other paths.
	adamRoot func(w, g, m, v []float64, b1, b2, step, rbc2, eps float64)
	// adamRows is adam from a RowGrad, with the weights first scaled by
	// shrink (AdamW's decoupled decay; 1 for Adam). It reports whether
	// every gradient entry was finite.
	adamRows func(w, g, m, v []float64, r RowGrad, b1, b2, step, rbc2, eps, shrink float64) bool
	// adamGather is adamRows from a RowGrad with a Gather, computing the
	// listed rows' gradient as it updates them (no gradient buffer); nil
	// where the path has no such kernel (the rows are then written to g
	// first: RowGrad.Written).
	adamGather func(w, m, v []float64, r RowGrad, b1, b2, step, rbc2, eps, shrink float64) bool
	// gd is gradient descent's update w ← w − η·g, a rounded product and a
	// rounded difference per weight.
	gd func(w, g []float64, lr float64)
	// f32 selects the AVX-512 float32 kernels (adam32.go, gd32.go).
	f32 bool
}

// kernelSets are the optimiser loops of every kernel path; kernel.Paths
// names those this build and CPU can run.
var kernelSets = map[string]kernelSet{
	kernel.Portable: {name: kernel.Portable, adam: adamPortable, adamRoot: adamPortable, adamRows: adamRowsPortable, gd: gdPortable},
	kernel.AVX2:     {name: kernel.AVX2, adam: adamBlocks(kernel.AdamRowsAVX2, 4), adamRoot: adamBlocks(kernel.AdamRowsAVX2, 4), adamRows: adamRowsBlocks(kernel.AdamDecayAVX2, 4), gd: gdPortable},
	kernel.AVX512:   {name: kernel.AVX512, adam: adamAVX512, adamRoot: adamRootAVX512, adamRows: adamRowsAVX512, adamGather: adamGatherAVX512, gd: gdAVX512, f32: true},
	kernel.NEON:     {name: kernel.NEON, adam: adamBlocks(kernel.AdamRowsNEON, 2), adamRoot: adamBlocks(kernel.AdamRowsNEON, 2), adamRows: adamRowsBlocks(kernel.AdamDecayNEON, 2), gd: gdPortable},
}

// kern is the set in use: the path of kernel.Selected (ADAMGAP_KERNELS,
// else the best this CPU runs). The AVX-512 loops perform the portable
// ones' operations in the same order, so give bit-identical results.
var kern = kernelSets[selectedPath()]

func selectedPath() string {
	name, _ := kernel.Selected()
	if _, ok := kernelSets[name]; !ok {
		return kernel.Portable
	}
	return name
}

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

// UseKernel selects the optimiser kernels of a path by name ("portable",
// "avx2", "avx512", "neon") and reports whether this build and CPU run it; for
// tests and benchmarks that compare paths.
func UseKernel(name string) bool {
	k, ok := kernelSets[name]
	if !ok || !slices.Contains(kernel.Paths(), name) {
		return false
	}
	kern = k
	return true
}

func adamPortable(w, g, m, v []float64, b1, b2, step, rbc2, eps float64) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i, gi := range g {
		// float64(…) rounds each product, so that no compiler fuses a
		// multiply-add (arm64 and GOAMD64=v3 would): the kernels' arithmetic.
		m[i] = float64(b1*m[i]) + float64((1-b1)*gi)
		v[i] = float64(b2*v[i]) + float64(float64((1-b2)*gi)*gi)
		w[i] -= float64(step*m[i]) / (float64(math.Sqrt(v[i])*rbc2) + eps)
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

// adamRootAVX512 is adamAVX512 by kernel.AdamRowsRoot, the last n mod 8
// weights too (in a padded block), so that every weight gets the same √.
func adamRootAVX512(w, g, m, v []float64, b1, b2, step, rbc2, eps float64) {
	n := len(w)
	g, m, v = g[:n], m[:n], v[:n]
	body := n / 8 * 8
	c := [7]float64{b1, 1 - b1, b2, 1 - b2, step, rbc2, eps}
	if body > 0 {
		kernel.AdamRowsRoot(&w[0], &g[0], &m[0], &v[0], body, &c)
	}
	if body == n {
		return
	}
	var tw, tg, tm, tv [8]float64
	copy(tw[:], w[body:])
	copy(tg[:], g[body:])
	copy(tm[:], m[body:])
	copy(tv[:], v[body:])
	kernel.AdamRowsRoot(&tw[0], &tg[0], &tm[0], &tv[0], 8, &c)
	copy(w[body:], tw[:])
	copy(m[body:], tm[:])
	copy(v[body:], tv[:])
}

// adamBlocks returns the Adam update that runs adamRows, a kernel with
// kernel.AdamRows' contract on multiples of lanes coordinates (AVX2's: 4,
// NEON's: 2), on the first multiple of lanes coordinates and the portable
// loop on the rest (the same operations: bit-identical). The AVX2 and NEON
// paths' gd is the portable loop, which kernel.GDRows matches bit for bit
// (on amd64).
func adamBlocks(adamRows func(w, grad, m, v *float64, n int, c *[7]float64), lanes int) func(w, g, m, v []float64, b1, b2, step, rbc2, eps float64) {
	return func(w, g, m, v []float64, b1, b2, step, rbc2, eps float64) {
		n := len(w)
		g, m, v = g[:n], m[:n], v[:n]
		body := n / lanes * lanes
		if body > 0 {
			c := [7]float64{b1, 1 - b1, b2, 1 - b2, step, rbc2, eps}
			adamRows(&w[0], &g[0], &m[0], &v[0], body, &c)
		}
		adamPortable(w[body:], g[body:], m[body:], v[body:], b1, b2, step, rbc2, eps)
	}
}

// adamRowsBlocks returns adamRowsPortable (bit-identical) with the bulk of
// the weights in decay, a kernel with kernel.AdamDecayAVX2's contract on
// multiples of lanes coordinates (AVX2's: 4, NEON's: 2): the weights in
// row order are runs of listed rows (gradient from g) and of unlisted ones
// (λ·w); each run's first multiple of lanes goes to the kernel, the rest
// to the portable loop (one row of that width).
func adamRowsBlocks(decay func(w, grad, m, v *float64, n int, c *[10]float64, bad *[4]uint64), lanes int) func(w, g, m, v []float64, r RowGrad, b1, b2, step, rbc2, eps, shrink float64) bool {
	return func(w, g, m, v []float64, r RowGrad, b1, b2, step, rbc2, eps, shrink float64) bool {
		m, v = m[:len(w)], v[:len(w)]
		g = g[:len(w)]
		c := [10]float64{b1, 1 - b1, b2, 1 - b2, step, rbc2, eps, r.Lambda, shrink, math.Float64frombits(expMask)}
		var bad [4]uint64
		finite := true
		run := func(lo, hi int, fromG bool) {
			body := (hi - lo) / lanes * lanes
			if body > 0 {
				var gp *float64
				if fromG {
					gp = &g[lo]
				}
				decay(&w[lo], gp, &m[lo], &v[lo], body, &c, &bad)
			}
			if lo+body < hi {
				tail := RowGrad{Lambda: r.Lambda, Width: hi - lo - body}
				if fromG {
					tail.Rows = []int32{0}
				}
				a := lo + body
				if !adamRowsPortable(w[a:hi], g[a:hi], m[a:hi], v[a:hi], tail, b1, b2, step, rbc2, eps, shrink) {
					finite = false
				}
			}
		}
		wd, done := r.Width, 0
		for i := 0; i < len(r.Rows); {
			k := int(r.Rows[i])
			j := i + 1
			for j < len(r.Rows) && int(r.Rows[j]) == k+(j-i) {
				j++
			}
			if done < k*wd {
				run(done, k*wd, false)
			}
			done = (k + j - i) * wd
			run(k*wd, done, true)
			i = j
		}
		if done < len(w) {
			run(done, len(w), false)
		}
		return finite && bad == [4]uint64{}
	}
}
