package convnet

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkLossGrad times one mini-batch of 64 MNIST-sized images through
// the default Figure-1 network, forward and backward.
func BenchmarkLossGrad(b *testing.B) {
	for _, k := range []int{5, 7} {
		net := Net{Side: 28, Kernel: k, Filters: 16, Pool: 2, Classes: 10}
		b.Run("k="+string(rune('0'+k)), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			w := make([]float64, net.Len())
			net.Init(w, rng)
			const batch = 64
			x := make([]float64, batch*28*28)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			y := make([]byte, batch)
			for i := range y {
				y[i] = byte(rng.IntN(10))
			}
			ws := NewWorkspace(net, 5e-4, batch)
			g := make([]float64, len(w))
			b.ResetTimer()
			for range b.N {
				ws.LossGrad(g, w, x, y)
			}
		})
	}
}
