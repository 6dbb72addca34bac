package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/adamgap/adamgap/data"
)

// TestOutputsByHand checks F_{±1} against the definition, computed from the
// (2, m, d) tensor, and Predict and Errors against them.
func TestOutputsByHand(t *testing.T) {
	pm := data.PatchModel{D: 30, S: 5, SigmaP: 0.5, Alpha: 0.2}
	set, err := pm.Train(300, rand.New(rand.NewPCG(1, 1))) // more than errorChunk examples
	if err != nil {
		t.Fatal(err)
	}
	c := CNN{D: 30, M: 3, Q: 3}
	w := c.Init(0.3, rand.New(rand.NewPCG(1, 2)))
	tw := c.ToTensor(w)
	f := c.Outputs(w, set)
	pred := c.Predict(w, set)
	wrong := 0
	dense := set.Dense()
	for i := range set.N() {
		x := dense[i]
		for j := range 2 {
			want := 0.0
			for r := range c.M {
				for p := range 2 {
					z := 0.0
					for k := range c.D {
						z += tw[j][r][k] * x[p][k]
					}
					want += math.Pow(math.Max(z, 0), 3)
				}
			}
			if math.Abs(f[i][j]-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Fatalf("example %d: F[%d] = %v, want %v", i, j, f[i][j], want)
			}
		}
		if (f[i][1] > f[i][0]) != (pred[i] == 1) {
			t.Errorf("example %d: Predict %d for F = %v", i, pred[i], f[i])
		}
		if pred[i] != set.Y[i] {
			wrong++
		}
	}
	if e := c.Errors(w, set); e != wrong {
		t.Errorf("Errors = %d, Predict disagrees with the labels %d times", e, wrong)
	}
}
