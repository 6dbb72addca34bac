package model

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// TestPrefetchPathSameNumbers: the forward pass with the prefetching row
// sums (taken when W is at least prefetchMin bytes) gives, bit for bit, the
// loss, norms and gradient of the one without, for widths that use the
// full 40-column block, the 8-column chunks and the masked block.
func TestPrefetchPathSameNumbers(t *testing.T) {
	if !kernel.Available || active.name != "avx512" {
		t.Skip("no AVX-512 kernels in this build or on this CPU")
	}
	defer func(v int) { prefetchMin = v }(prefetchMin)
	for _, m := range []int{20, 23, 50} {
		pm := data.PatchModel{D: 300, S: 80, SigmaP: 0.1, Alpha: 0.2}
		set, err := pm.Train(40, rand.New(rand.NewPCG(5, 1)))
		if err != nil {
			t.Fatal(err)
		}
		c := CNN{D: 300, M: m, Q: 3, Lambda: 1e-5}
		w := c.Init(0.01, rand.New(rand.NewPCG(5, 3)))
		grad := func(min int) ([]float64, Eval) {
			prefetchMin = min
			g := make([]float64, len(w))
			ev := NewNet[float64](c, set).LossGrad(g, w)
			return g, ev
		}
		gOff, evOff := grad(1 << 62)
		gOn, evOn := grad(0)
		if !slices.Equal(gOn, gOff) || evOn != evOff {
			t.Errorf("m=%d: prefetching forward differs: eval %+v, without %+v", m, evOn, evOff)
		}
	}
}
