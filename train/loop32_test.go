package train

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"

	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// TestRun32MatchesManualLoop re-runs the float32 path by hand (Net.LossGrad
// or BatchLossGrad, Step) and checks the last iterate, the logged losses
// and the best iterate, full batch and mini-batch.
func TestRun32MatchesManualLoop(t *testing.T) {
	for _, batch := range []int{0, 3} {
		for _, s := range []optim.Spec{spec(t, "gd", 0.5), spec(t, "adam", 0.01)} {
			t.Run(s.Name, func(t *testing.T) {
				l, w0 := tiny(t)
				l.Float32, l.BatchSize, l.Seed = true, batch, 5
				res, err := l.RunSpec(context.Background(), s, w0)
				if err != nil {
					t.Fatal(err)
				}
				net, bnet := model.NewNet[float32](l.CNN, l.Train), model.NewNet[float32](l.CNN, l.Train)
				var batches *Batches
				if batch > 0 {
					batches = NewBatches(l.Train.N(), batch, l.Seed)
				}
				opt := s.New32()
				w := make([]float32, len(w0))
				for i, v := range w0 {
					w[i] = float32(v)
				}
				g := make([]float32, len(w))
				var losses []float64
				for step := 0; step <= l.Steps; step++ {
					e := net.LossGrad(g, w)
					if step%l.LogEvery == 0 || step == l.Steps {
						losses = append(losses, e.Loss)
					}
					if step == l.Steps {
						break
					}
					if batch > 0 {
						bnet.BatchLossGrad(g, w, batches.Next())
					}
					opt.Step(w, g)
				}
				if !slices.Equal(res.W, float64s(w)) {
					t.Errorf("last iterate differs from the manual loop's")
				}
				var got []float64
				for _, r := range res.Records {
					got = append(got, r.Loss)
				}
				if !slices.Equal(got, losses) {
					t.Errorf("logged losses %v, manual %v", got, losses)
				}
				if res.Best.Step < 0 || len(res.Best.W) != len(w0) {
					t.Errorf("best iterate step %d, %d weights", res.Best.Step, len(res.Best.W))
				}
			})
		}
	}
}

// TestRun32FollowsFloat64: on the tiny problem the float32 run logs the
// float64 run's rows to float32 accuracy and ends at nearby weights.
func TestRun32FollowsFloat64(t *testing.T) {
	for _, batch := range []int{0, 3} {
		for _, s := range []optim.Spec{spec(t, "gd", 0.5), spec(t, "adam", 0.01)} {
			l, w0 := tiny(t)
			l.BatchSize, l.Seed = batch, 5
			r64, err := l.RunSpec(context.Background(), s, w0)
			if err != nil {
				t.Fatal(err)
			}
			l.Float32 = true
			r32, err := l.RunSpec(context.Background(), s, w0)
			if err != nil {
				t.Fatal(err)
			}
			if len(r32.Records) != len(r64.Records) {
				t.Fatalf("%s batch %d: %d rows, float64 %d", s.Name, batch, len(r32.Records), len(r64.Records))
			}
			for i, a := range r32.Records {
				b := r64.Records[i]
				pa := []float64{a.FeaturePos, a.FeatureNeg, a.NoiseMinPos, a.NoiseMinNeg, a.NoiseMaxPos, a.NoiseMaxNeg}
				pb := []float64{b.FeaturePos, b.FeatureNeg, b.NoiseMinPos, b.NoiseMinNeg, b.NoiseMaxPos, b.NoiseMaxNeg}
				if !floats.EqualApprox(pa, pb, 1e-5) {
					t.Errorf("%s batch %d row %d: probes %v, float64 %v", s.Name, batch, i, pa, pb)
				}
				if a.Step != b.Step || a.TrainError != b.TrainError || math.Abs(a.Loss-b.Loss) > 1e-5*b.Loss {
					t.Errorf("%s batch %d row %d: float32 step %d loss %.9g error %v, float64 step %d loss %.9g error %v",
						s.Name, batch, i, a.Step, a.Loss, a.TrainError, b.Step, b.Loss, b.TrainError)
				}
			}
			if d := floats.Distance(r32.W, r64.W, 2) / floats.Norm(r64.W, 2); d > 1e-5 || d == 0 {
				t.Errorf("%s batch %d: relative ‖W32 − W64‖ = %.3g, want in (0, 1e-5]", s.Name, batch, d)
			}
		}
	}
}

// TestRun32Refuses: an optimiser without a float32 form is an error naming
// it, not a silent float64 run.
func TestRun32Refuses(t *testing.T) {
	l, w0 := tiny(t)
	l.Float32 = true
	res, err := l.RunSpec(context.Background(), spec(t, "adamw", 0.01), w0)
	if !errors.Is(err, optim.ErrInvalid) || !strings.Contains(err.Error(), "adamw") || !strings.Contains(err.Error(), "float32") {
		t.Errorf("error %v, want one naming adamw and float32", err)
	}
	if res == nil || res.Err == nil {
		t.Errorf("result %+v carries no error", res)
	}
}
