package train

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
)

// BenchmarkRunSpec times whole runs of a small configuration, where the
// loop's own work per step (logging, best iterate, batch order, step
// dispatch) is largest next to the gradient: float64 and float32, full
// batch and mini-batch. One op is one run of 200 steps.
func BenchmarkRunSpec(b *testing.B) {
	pm := data.PatchModel{D: 200, S: 20, SigmaP: 0.5, Alpha: 0.2}
	tr, err := pm.Train(20, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	te, err := pm.Test(100, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	cnn := model.CNN{D: pm.D, M: 5, Q: 3, Lambda: 1e-3}
	w0 := cnn.Init(0.1, rand.New(rand.NewPCG(1, 3)))
	for _, f32 := range []bool{false, true} {
		for _, batch := range []int{0, 4} {
			for _, name := range []string{"adam", "gd"} {
				s := spec(b, name, 0.01)
				l := Loop{CNN: cnn, Train: tr, Test: te, Steps: 200, LogEvery: 50, TestEvery: 100, BatchSize: batch, Seed: 1, Float32: f32}
				dtype := "float64"
				if f32 {
					dtype = "float32"
				}
				b.Run(fmt.Sprintf("%s/batch=%d/%s", dtype, batch, name), func(b *testing.B) {
					for b.Loop() {
						if _, err := l.RunSpec(context.Background(), s, w0); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
