package train

import (
	"context"
	"fmt"
	"testing"

	"github.com/adamgap/adamgap/data"
)

// BenchmarkRunSpec times whole runs of a small configuration, where the
// loop's own work per step (logging, best iterate, batch order, step
// dispatch) is largest next to the gradient: float64 and float32, full
// batch and mini-batch. One op is one run of 200 steps.
func BenchmarkRunSpec(b *testing.B) {
	base, w0 := problem(b, data.PatchModel{D: 200, S: 20, SigmaP: 0.5, Alpha: 0.2}, 20, 100, 5, 1)
	for _, f32 := range []bool{false, true} {
		for _, batch := range []int{0, 4} {
			for _, name := range []string{"adam", "gd"} {
				s := spec(b, name, 0.01)
				l := base
				l.Steps, l.LogEvery, l.TestEvery, l.BatchSize, l.Seed, l.Float32 = 200, 50, 100, batch, 1, f32
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
