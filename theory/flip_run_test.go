package theory

import (
	"context"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/optim"
)

// TestFlipsOnRuns measures Lemma 5.3 on a small case close to the lemma's
// regime (noise supports nearly disjoint: n·s/(d−1) = 0.5): Adam's feature
// learning rises, peaks and turns negative for both classes, while gradient
// descent from the same start keeps it.
func TestFlipsOnRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two small networks")
	}
	cfg := config.Paper()
	cfg.D, cfg.N, cfg.S, cfg.SigmaP, cfg.M = 2000, 20, 50, 0.14, 10
	cfg.TestSize, cfg.Steps, cfg.LogEvery, cfg.TestEvery = 100, 400, 5, 0
	adam, _ := optim.Default("adam")
	adam.LR = 2e-4
	gd, _ := optim.Default("gd")
	cfg.Optimizers = []optim.Spec{adam, gd}
	for seed := range uint64(3) {
		cfg.Seed = seed
		setup, err := experiment.Prepare(cfg)
		if err != nil {
			t.Fatal(err)
		}
		out, err := experiment.Execute(context.Background(), setup, 2)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Flips(out.Results[0].Records)
		if err != nil {
			t.Fatal(err)
		}
		g, err := Flips(out.Results[1].Records)
		if err != nil {
			t.Fatal(err)
		}
		for c := range 2 {
			if !a[c].Flipped() || !(a[c].Peak > a[c].Start) || a[c].PeakStep >= a[c].NegStep {
				t.Errorf("seed %d, Adam class %+d: %+v; want a rise, a peak, then Λ < 0", seed, a[c].Class, a[c])
			}
			if g[c].Flipped() {
				t.Errorf("seed %d, GD class %+d flipped: %+v", seed, g[c].Class, g[c])
			}
		}
	}
}
