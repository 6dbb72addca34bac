package train

import (
	"context"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// TestSAMInLoop: SAM runs through the loop like every optimiser. With
// radius 0 its run is GD's bit for bit, full batch and mini-batch; with a
// radius it matches a hand-written SAM loop (Net.LossGrad at w and
// at w + ρ·g/‖g‖, then the GD step) bit for bit and lowers the loss.
func TestSAMInLoop(t *testing.T) {
	for _, batch := range []int{0, 3} {
		l, w0 := tiny(t)
		l.BatchSize, l.Seed = batch, 7
		gd := spec(t, "gd", 0.5)
		sam0 := spec(t, "sam", 0.5)
		sam0.Radius = 0
		rg, err := l.RunSpec(context.Background(), gd, w0)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := l.RunSpec(context.Background(), sam0, w0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rg.W, rs.W) || rg.FinalLoss != rs.FinalLoss {
			t.Errorf("batch %d: SAM with radius 0 differs from GD (loss %v vs %v)", batch, rs.FinalLoss, rg.FinalLoss)
		}
	}

	l, w0 := tiny(t)
	s := spec(t, "sam", 0.5)
	s.Radius = 0.05
	res, err := l.RunSpec(context.Background(), s, w0)
	if err != nil {
		t.Fatal(err)
	}
	ws := model.NewNet[float64](l.CNN, l.Train)
	w, g, wp := slices.Clone(w0), make([]float64, len(w0)), make([]float64, len(w0))
	first := ws.LossGrad(nil, w).Loss
	o := &optim.SAM{LR: s.LR, Radius: s.Radius}
	for range l.Steps {
		ws.LossGrad(g, w)
		o.Perturb(wp, w, g)
		ws.LossGrad(g, wp)
		o.Step(w, g)
	}
	if !slices.Equal(res.W, w) {
		t.Errorf("loop's SAM differs from the hand-written SAM loop")
	}
	if res.FinalLoss >= first {
		t.Errorf("SAM did not lower the loss: %v → %v", first, res.FinalLoss)
	}
	plain, _ := l.RunSpec(context.Background(), spec(t, "gd", 0.5), w0)
	if slices.Equal(plain.W, res.W) {
		t.Errorf("SAM with radius %v gave GD's weights", s.Radius)
	}
}
