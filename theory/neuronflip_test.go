package theory

import (
	"errors"
	"math"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
)

// TestNeuronFlips on a hand-made trace: class +1's neuron learns the
// feature for two steps and then loses it by η a step; class −1's keeps
// learning it (T_r = T₀, no rate).
func TestNeuronFlips(t *testing.T) {
	const eta, ssp = 0.01, 2.0
	c := model.CNN{D: 5, M: 1, Q: 3}
	// example 0 (y = +1): noise on coordinates 1 (+0.5) and 2 (−0.3);
	// example 1 (y = −1): noise on coordinate 3 (+0.4).
	set := data.FromDense([][][]float64{
		{{1, 0, 0, 0, 0}, {-0.2, 0.5, -0.3, 0, 0}},
		{{-1, 0, 0, 0, 0}, {0.2, 0, 0, 0.4, 0}},
	}, []int8{1, -1})
	f := NewFeatureTrace(c, 5)
	pos := []float64{0, 1, 2, 1, 0, -1} // w_{+1}[1] in units of η
	for step := range 6 {
		w := make([]float64, c.Size())
		w[c.At(1, 0, 0)] = pos[step] * eta
		w[c.At(-1, 0, 0)] = -float64(step) * eta // j·w = step·η: still rising
		if step == 5 {
			w[c.At(1, 0, 1)], w[c.At(1, 0, 2)], w[c.At(1, 0, 3)], w[c.At(1, 0, 4)] = 0.4, 0.1, -3*eta, eta
		}
		f.Observe(step, w)
	}
	f.Observe(6, make([]float64, c.Size())) // past T₀: ignored
	got, err := NeuronFlips(f, set, eta, ssp)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Class != -1 || got[1].Class != 1 {
		t.Fatalf("neurons %+v", got)
	}
	p, n := got[1], got[0]
	if p.Tr != 2 || math.Abs(p.RateMean+1) > 1e-12 || math.Abs(p.RateMin+1) > 1e-12 || math.Abs(p.RateMax+1) > 1e-12 || p.FallShare != 1 {
		t.Errorf("class +1: T_r %d, rate %v [%v, %v], falls %v; want T_r 2, rate −1 every step", p.Tr, p.RateMean, p.RateMin, p.RateMax, p.FallShare)
	}
	if math.Abs(p.FeatureT0+eta*ssp) > 1e-15 || !p.FeatureSignOK {
		t.Errorf("class +1: w[1]·sσp = %v (sign ok %v), want %v", p.FeatureT0, p.FeatureSignOK, -eta*ssp)
	}
	// Coordinates 1 and 2 are class +1's: |w|·sσp = 0.8 and 0.2, signs
	// (+, +) against the noise's (+, −): one of two agrees.
	if p.OwnMedian != 0.2 || p.OwnP90 != 0.8 || p.OwnSignShare != 0.5 {
		t.Errorf("class +1 own coordinates: median %v p90 %v sign share %v", p.OwnMedian, p.OwnP90, p.OwnSignShare)
	}
	// Coordinates 3 and 4 are not: |w|/η = 3 and 1, moved as much.
	if math.Abs(p.OtherMedian-1) > 1e-12 || math.Abs(p.OtherMoveMedian-1) > 1e-12 {
		t.Errorf("class +1 other coordinates: median %v, moved %v; want 1 and 1", p.OtherMedian, p.OtherMoveMedian)
	}
	if n.Tr != 5 || !math.IsNaN(n.RateMean) || n.FeatureSignOK {
		t.Errorf("class −1: %+v, want T_r = T₀ = 5, no rate, feature not flipped", n)
	}
	short := NewFeatureTrace(c, 5)
	short.Observe(0, make([]float64, c.Size()))
	if _, err := NeuronFlips(short, set, eta, ssp); !errors.Is(err, ErrInvalid) {
		t.Errorf("incomplete trace: %v, want ErrInvalid", err)
	}
}
