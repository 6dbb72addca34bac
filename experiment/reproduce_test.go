package experiment

import (
	"math"
	"testing"

	"github.com/adamgap/adamgap/train"
)

// TestReproducePaper runs the paper's Section 6 setting (config.Paper():
// d=1000, n=200, s=100, m=20, q=3, T=10⁴, Adam η=5e-5, GD η=0.02, 10⁴ test
// examples; about 10 s on two cores) and asserts the gap of Table 1 and the
// shape of Figure 2: both fit the training data; Adam's test error is above
// 0.5 (paper 0.884), GD's below 0.05 (paper 0); Adam's feature weight rises
// at first and then turns negative while it memorises noise; GD learns the
// feature to order 1 and memorises almost no noise.
func TestReproducePaper(t *testing.T) {
	if testing.Short() {
		t.Skip("paper-scale run (about 10 s); skipped under -short")
	}
	o := paperOutcome(t)
	runs := map[string]*train.Result{}
	for _, r := range o.Results {
		runs[r.Optimizer] = r
		first, last := r.Records[0], r.Records[len(r.Records)-1]
		peak := math.Inf(-1)
		noiseMax := math.Inf(-1)
		for _, rec := range r.Records {
			peak = max(peak, rec.FeaturePos)
			noiseMax = max(noiseMax, rec.NoiseMinPos)
		}
		t.Logf("%s: train error %v, test error %v (best iterate: step %d, train %v, test %v); feature_pos %.4g → peak %.4g → %.4g; feature_neg %.4g → %.4g; noise_min_pos %.4g → %.4g (max %.4g); noise_min_neg %.4g → %.4g",
			r.Optimizer, r.TrainError, r.TestError, r.Best.Step, r.Best.TrainError, r.Best.TestError,
			first.FeaturePos, peak, last.FeaturePos, first.FeatureNeg, last.FeatureNeg,
			first.NoiseMinPos, last.NoiseMinPos, noiseMax, first.NoiseMinNeg, last.NoiseMinNeg)
	}
	adam, gd := runs["adam"], runs["gd"]
	if adam == nil || gd == nil {
		t.Fatalf("Paper() should train adam and gd, got %v", runs)
	}
	for _, r := range []*train.Result{adam, gd} {
		if r.TrainError != 0 {
			t.Errorf("%s: train error %v, want 0 (Table 1)", r.Optimizer, r.TrainError)
		}
	}
	if !(adam.TestError > 0.5) {
		t.Errorf("adam: test error %v, want > 0.5 (paper 0.884)", adam.TestError)
	}
	if !(gd.TestError < 0.05) {
		t.Errorf("gd: test error %v, want < 0.05 (paper 0)", gd.TestError)
	}

	a0, aT := adam.Records[0], adam.Records[len(adam.Records)-1]
	rose := false
	for _, rec := range adam.Records {
		rose = rose || rec.FeaturePos > a0.FeaturePos
	}
	if !rose {
		t.Errorf("adam: feature_pos never rose above its start %v", a0.FeaturePos)
	}
	if !(aT.FeaturePos < 0) {
		t.Errorf("adam: feature_pos ends at %v, want < 0 (Figure 2: the sign flips)", aT.FeaturePos)
	}
	if !(aT.NoiseMinPos > 0.5) {
		t.Errorf("adam: noise_min_pos ends at %v, want > 0.5 (noise memorised)", aT.NoiseMinPos)
	}

	gT := gd.Records[len(gd.Records)-1]
	if !(gT.FeaturePos > 1) {
		t.Errorf("gd: feature_pos ends at %v, want > 1 (feature learned)", gT.FeaturePos)
	}
	for _, rec := range gd.Records {
		if !(rec.NoiseMinPos < 0.05) {
			t.Errorf("gd: noise_min_pos = %v at step %d, want < 0.05 throughout (no memorisation)", rec.NoiseMinPos, rec.Step)
			break
		}
	}
}
