package optim

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/adamgap/adamgap/internal/testenv"
)

// TestAgainstPyTorch runs the family's optimisers and schedules beside
// torch.optim on the same gradients (float64) and compares the weights
// after every step. It is skipped under -short and where PyTorch is not
// installed (a failure then when CI is set).
func TestAgainstPyTorch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Python and PyTorch")
	}
	testenv.NeedPython(t, "torch")
	const steps = 25
	w0 := []float64{0.3, -0.2, 0.1, 0, 1, -0.7}
	grads := make([][]float64, steps)
	for s := range grads {
		g := make([]float64, len(w0))
		for i := range g {
			g[i] = math.Sin(float64(7*s+3*i+1)) * math.Exp(-0.3*float64((s+i)%4))
		}
		g[3] = 0
		grads[s] = g
	}
	type sched struct {
		Class  string         `json:"class"`
		Kwargs map[string]any `json:"kwargs"`
	}
	type run struct {
		Name   string         `json:"name"`
		Class  string         `json:"class"`
		Kwargs map[string]any `json:"kwargs"`
		Sched  *sched         `json:"sched"`
		ours   Spec
	}
	const T = steps
	runs := []run{
		{Name: "sgd", Class: "SGD", Kwargs: map[string]any{"lr": 0.05, "momentum": 0.9}, ours: Spec{Name: "sgd", LR: 0.05, Momentum: 0.9}},
		{Name: "sgd-nesterov", Class: "SGD", Kwargs: map[string]any{"lr": 0.05, "momentum": 0.9, "nesterov": true}, ours: Spec{Name: "sgd", LR: 0.05, Momentum: 0.9, Nesterov: true}},
		{Name: "adam", Class: "Adam", Kwargs: map[string]any{"lr": 0.01}, ours: Spec{Name: "adam", LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}},
		{Name: "adamw", Class: "AdamW", Kwargs: map[string]any{"lr": 0.01, "weight_decay": 0.3}, ours: Spec{Name: "adamw", LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.3}},
		{Name: "amsgrad", Class: "Adam", Kwargs: map[string]any{"lr": 0.01, "betas": []float64{0.8, 0.9}, "amsgrad": true}, ours: Spec{Name: "amsgrad", LR: 0.01, Beta1: 0.8, Beta2: 0.9, Eps: 1e-8}},
		{Name: "rmsprop", Class: "RMSprop", Kwargs: map[string]any{"lr": 0.01, "alpha": 0.9}, ours: Spec{Name: "rmsprop", LR: 0.01, Rho: 0.9, Eps: 1e-8}},
		{Name: "rmsprop-momentum", Class: "RMSprop", Kwargs: map[string]any{"lr": 0.01, "alpha": 0.9, "momentum": 0.5}, ours: Spec{Name: "rmsprop", LR: 0.01, Rho: 0.9, Eps: 1e-8, Momentum: 0.5}},
		{Name: "adagrad", Class: "Adagrad", Kwargs: map[string]any{"lr": 0.1}, ours: Spec{Name: "adagrad", LR: 0.1, Eps: 1e-10}},
		// Schedules: PyTorch's scheduler steps after the optimiser, so
		// step t uses η_t as ours does.
		{Name: "sgd-step", Class: "SGD", Kwargs: map[string]any{"lr": 0.05, "momentum": 0.9}, Sched: &sched{"StepLR", map[string]any{"step_size": 7, "gamma": 0.5}},
			ours: Spec{Name: "sgd", LR: 0.05, Momentum: 0.9, Schedule: ScheduleSpec{Kind: "step", Gamma: 0.5, StepSize: 7}}},
		{Name: "adam-exp", Class: "Adam", Kwargs: map[string]any{"lr": 0.01}, Sched: &sched{"ExponentialLR", map[string]any{"gamma": 0.9}},
			ours: Spec{Name: "adam", LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Schedule: ScheduleSpec{Kind: "exponential", Gamma: 0.9}}},
		{Name: "adamw-cos", Class: "AdamW", Kwargs: map[string]any{"lr": 0.01, "weight_decay": 0.3}, Sched: &sched{"CosineAnnealingLR", map[string]any{"T_max": T, "eta_min": 0.001}},
			ours: Spec{Name: "adamw", LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.3, Schedule: ScheduleSpec{Kind: "cosine", MinLR: 0.001}}},
	}
	want := torchFamily(t, map[string]any{"w0": w0, "grads": grads, "runs": runs})
	// Both sides compute in float64 with the same formulas but in other
	// orders of operations (PyTorch's addcdiv vs our a·m/d); the
	// trajectories agree to rounding, about 1e-15 per step.
	const tol = 1e-12
	for _, r := range runs {
		t.Run(r.Name, func(t *testing.T) {
			if err := r.ours.Validate(); err != nil {
				t.Fatal(err)
			}
			opt := r.ours.New()
			var sch Schedule
			if !r.ours.Schedule.IsConstant() {
				sch = r.ours.Schedule.New()
			}
			w := append([]float64(nil), w0...)
			for s, g := range grads {
				if sch != nil {
					opt.(LRSetter).SetLR(sch.LR(r.ours.LR, s, T))
				}
				opt.Step(w, g)
				for i := range w {
					if d := math.Abs(w[i] - want[r.Name][s][i]); d > tol*math.Max(1, math.Abs(w[i])) {
						t.Fatalf("step %d coordinate %d: ours %.17g, PyTorch %.17g (distance %.3g)", s+1, i, w[i], want[r.Name][s][i], d)
					}
				}
			}
		})
	}
}

// torchFamily runs testdata/torch_family.py on the JSON of in and returns
// its trajectories by run name: the weights after every step.
func torchFamily(t *testing.T, in map[string]any) map[string][][]float64 {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out := testenv.RunPython(t, b, "testdata/torch_family.py")
	var want map[string][][]float64
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	return want
}
