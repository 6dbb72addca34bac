package model

import (
	"math/rand/v2"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/cputime"
	"github.com/adamgap/adamgap/optim"
)

// BenchmarkStep32Split times the parts of a float32 full-batch Adam step at
// the paper's size (d = 1000, n = 200, s = 100, m = 20; the problem of
// BenchmarkStepDType) with the kernel set in use, each alone on the state a
// step leaves: forward (the row sums Z), head (activation, F, the
// cross-entropy and the scaling of dz), backward (the gradient's row sums,
// λw and the norms), adam (Adam32's update), and step (all of it, as
// BenchmarkStepDType/…/float32). Thread CPU time (cpu-ns/op).
func BenchmarkStep32Split(b *testing.B) {
	pm := data.PatchModel{D: 1000, S: 100, SigmaP: 0.1, Alpha: 0.2}
	set, err := pm.Train(200, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	c := CNN{D: 1000, M: 20, Q: 3, Lambda: 1e-5}
	w := round[float32](c.Init(0.01, rand.New(rand.NewPCG(1, 3))))
	g := make([]float32, len(w))
	nt := NewNet[float32](c, set)
	n := set.N()
	nt.LossGrad(g, w) // buffers, plans
	ar, lay := nt.ar, nt.lay
	b.Run("forward", func(b *testing.B) {
		cputime.Loop(b, func() { ar.forwardAll(nt.Z, w, set, nt.val, lay) })
	})
	b.Run("head", func(b *testing.B) {
		cputime.Loop(b, func() { nt.head(set.Y, n, true) })
	})
	b.Run("backward", func(b *testing.B) {
		cputime.Loop(b, func() { ar.backward(g, w, nt.dz, set, nt.colVal, lay, c.Lambda) })
	})
	b.Run("decay", func(b *testing.B) {
		cputime.Loop(b, func() { decayOf(g, w, 0) })
	})
	b.Run("adam", func(b *testing.B) {
		opt := &optim.Adam32{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
		w2 := append([]float32(nil), w...)
		cputime.Loop(b, func() { opt.Step(w2, g) })
	})
	b.Run("step", func(b *testing.B) {
		opt := &optim.Adam32{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
		w2 := append([]float32(nil), w...)
		cputime.Loop(b, func() {
			nt.LossGrad(g, w2)
			opt.Step(w2, g)
		})
	})
}
