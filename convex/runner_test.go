package convex

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/adamgap/adamgap/optim"
)

func spec(t *testing.T, name string, lr float64, sched optim.ScheduleSpec) optim.Spec {
	t.Helper()
	s, err := optim.Default(name)
	if err != nil {
		t.Fatal(err)
	}
	s.LR, s.Schedule = lr, sched
	return s
}

// TestRunnerConverges is Theorem 4.2 on a small problem: gradient descent
// and Adam with a decaying rate reach the same w*; Adam at a constant rate
// stays at a distance that shrinks with η.
func TestRunnerConverges(t *testing.T) {
	l, train, test, w0 := problem(t, 100, 40, 10, 0.05)
	opt, err := Minimize(l, train, w0, 0)
	if err != nil {
		t.Fatal(err)
	}
	floor := opt.GradL2 / l.Lambda / norm2(opt.W) // accuracy of w* itself
	r := Runner{Model: l, Train: train, Test: test, Steps: 3000, LogEvery: 500, WStar: opt.W}
	run := func(s optim.Spec) *Result {
		res, err := r.Run(context.Background(), s, w0)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	gd := run(spec(t, "gd", 2, optim.ScheduleSpec{}))
	if gd.Final.Dist > 1e-8+floor {
		t.Errorf("GD: ‖w − w*‖/‖w*‖ = %.3g after %d steps, want < 1e-8", gd.Final.Dist, r.Steps)
	}
	cosine := run(spec(t, "adam", 0.05, optim.ScheduleSpec{Kind: "cosine"}))
	big := run(spec(t, "adam", 0.05, optim.ScheduleSpec{}))
	small := run(spec(t, "adam", 0.005, optim.ScheduleSpec{}))
	if !(cosine.Final.Dist < 1e-5) {
		t.Errorf("Adam, cosine schedule: distance %.3g, want < 1e-5", cosine.Final.Dist)
	}
	if !(big.Final.Dist > 100*cosine.Final.Dist && big.Final.Dist > small.Final.Dist) {
		t.Errorf("Adam at constant η: distance %.3g (η=0.05), %.3g (η=0.005), want a ball that shrinks with η and is far wider than the scheduled run's %.3g",
			big.Final.Dist, small.Final.Dist, cosine.Final.Dist)
	}
	if gd.TrainError != cosine.TrainError || gd.TestError != cosine.TestError {
		t.Errorf("errors differ at the common minimiser: GD %v/%v, Adam %v/%v", gd.TrainError, gd.TestError, cosine.TrainError, cosine.TestError)
	}
	if d := l.Disagreement(gd.W, cosine.W, test); d != 0 {
		t.Errorf("GD and scheduled Adam disagree on %v of the test set", d)
	}
	// The trace holds steps 0, 500, …, T, the schedule's rates and the last
	// point as Final.
	if n := len(cosine.Trace); n != 7 || cosine.Trace[n-1].Step != cosine.Final.Step || !math.IsNaN(cosine.Final.LR) {
		t.Errorf("trace has %d points, want 7 ending in Final (step %d, rate NaN)", n, r.Steps)
	}
	if got, want := cosine.Trace[3].LR, (optim.Cosine{}).LR(0.05, 1500, 3000); got != want {
		t.Errorf("rate at step 1500 = %v, want the cosine schedule's %v", got, want)
	}
}

func TestRunnerErrors(t *testing.T) {
	l, train, test, w0 := problem(t, 20, 4, 2, 0.1)
	r := Runner{Model: l, Train: train, Test: test, Steps: 50, LogEvery: 10, WStar: make([]float64, l.Size())}
	if _, err := r.Run(context.Background(), spec(t, "gd", 1e6, optim.ScheduleSpec{}), w0); !errors.Is(err, ErrDiverged) {
		t.Errorf("GD with η = 1e6: err = %v, want ErrDiverged", err)
	}
	bad := spec(t, "adam", 0.1, optim.ScheduleSpec{Kind: "exponential", Gamma: 2})
	if _, err := r.Run(context.Background(), bad, w0); !errors.Is(err, optim.ErrInvalid) {
		t.Errorf("gamma = 2: err = %v, want optim.ErrInvalid", err)
	}
	r.LogEvery = 0
	if _, err := r.Run(context.Background(), spec(t, "gd", 1, optim.ScheduleSpec{}), w0); !errors.Is(err, ErrInvalid) {
		t.Errorf("log_every = 0: err = %v, want ErrInvalid", err)
	}
	r.LogEvery = 10
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Run(ctx, spec(t, "gd", 1, optim.ScheduleSpec{}), w0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want context.Canceled", err)
	}
}

// TestRunnerTail: Result.Tail is the mean, min and max of ‖w − w*‖₂ over
// the last K iterates, as the trace of every step shows them.
func TestRunnerTail(t *testing.T) {
	l, train, test, w0 := problem(t, 100, 40, 10, 0.05)
	opt, err := Minimize(l, train, w0, 0)
	if err != nil {
		t.Fatal(err)
	}
	const steps, k = 400, 50
	r := Runner{Model: l, Train: train, Test: test, Steps: steps, LogEvery: 1, WStar: opt.W, Tail: k}
	res, err := r.Run(context.Background(), spec(t, "adam", 0.05, optim.ScheduleSpec{}), w0)
	if err != nil {
		t.Fatal(err)
	}
	star := norm2(opt.W)
	var sum float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range res.Trace[steps+1-k:] {
		d := p.Dist * star
		sum += d
		lo, hi = min(lo, d), max(hi, d)
	}
	tl := res.Tail
	if tl.K != k || math.Abs(tl.Mean-sum/k) > 1e-12*tl.Mean || math.Abs(tl.Min-lo) > 1e-12*lo || math.Abs(tl.Max-hi) > 1e-12*hi {
		t.Errorf("tail %+v, trace gives mean %g min %g max %g", tl, sum/k, lo, hi)
	}
	if !(tl.Min < tl.Mean && tl.Mean < tl.Max) {
		t.Errorf("constant-η Adam does not orbit: tail %+v", tl)
	}
	r.Tail = steps + 2
	if _, err := r.Run(context.Background(), spec(t, "adam", 0.05, optim.ScheduleSpec{}), w0); !errors.Is(err, ErrInvalid) {
		t.Errorf("tail > steps+1: err = %v, want ErrInvalid", err)
	}
}
