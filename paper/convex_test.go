package paper

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/adamgap/adamgap/convex"
	"github.com/adamgap/adamgap/data"
)

func TestConvex(t *testing.T) {
	o := DefaultConvex()
	o.Steps, o.CNNSteps, o.TestSize, o.Jobs = 2000, 30, 200, 1
	o.Tail, o.StallLRs, o.StallSteps = 200, []float64{0.04, 0.01}, 2000
	rep, err := Convex(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	table := rep.Table()
	for _, want := range []string{"| gd | constant |", "| adam | cosine(min_lr=0) |", "‖W_Adam − W_GD‖ / ‖W_GD‖", "— (no unique W*)"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if rep.Optimum.GradInf >= 1e-12 {
		t.Errorf("‖∇L(w*)‖_∞ = %v, want < 1e-12", rep.Optimum.GradInf)
	}
	if op := rep.Optimum; !strings.HasPrefix(op.Status, "converged") || op.Method == "" || !strings.Contains(table, "w* from "+op.Method+": converged") {
		t.Errorf("w* status %q method %q", op.Status, op.Method)
	}
	// The stall radius: two rates, tail statistics ordered, a slope in η
	// consistent with the tail means.
	st := rep.Stall
	if st == nil || len(st.Runs) != 2 {
		t.Fatalf("stall %+v, want 2 runs", st)
	}
	for _, r := range append(st.Runs, rep.Runs...) {
		if r.TailK != 200 || !(r.TailMin <= r.TailMean && r.TailMean <= r.TailMax && r.TailMin > 0) {
			t.Errorf("%s %s η=%v: tail %d mean %v min %v max %v", r.Optimizer, r.Schedule, r.LR, r.TailK, r.TailMean, r.TailMin, r.TailMax)
		}
	}
	m0, m1 := float64(st.Runs[0].TailMean), float64(st.Runs[1].TailMean)
	if c := (0.04*m0 + 0.01*m1) / (0.04*0.04 + 0.01*0.01); math.Abs(c-float64(st.C)) > 1e-9*c ||
		math.Abs(float64(st.CRel)-float64(st.C)/rep.Optimum.Norm) > 1e-9*float64(st.CRel) || !(st.P > 0.5 && st.P < 1.5) {
		t.Errorf("stall slope C=%v (least squares %v), relative %v, power %v", st.C, c, st.CRel, st.P)
	}
	if len(rep.Runs) != 6 || rep.Runs[0].Optimizer != "gd" {
		t.Fatalf("runs = %+v, want 6 with GD first", rep.Runs)
	}
	if gd, adam := float64(rep.Runs[0].DistStar), float64(rep.Runs[1].DistStar); !(gd < 1e-6 && adam > 100*gd) {
		t.Errorf("distance to w*: GD %v, Adam at constant η %v; want GD < 1e-6 and Adam's stall far above it", gd, adam)
	}
	c := rep.Contrast
	if !math.IsNaN(float64(c.CNN.AdamVsStar)) || math.IsNaN(float64(c.CNN.AdamVsGD)) || math.IsNaN(float64(c.Linear.AdamVsStar)) {
		t.Errorf("contrast: CNN distance to W* must be NaN, Adam vs GD and the linear distances present: %+v", c)
	}
	if rep.CNNRun == nil || len(rep.CNNRun.Results) != 2 {
		t.Errorf("CNN run missing: %+v", rep.CNNRun)
	}
}

func TestConvexOptions(t *testing.T) {
	for _, mod := range []func(*ConvexOptions){
		func(o *ConvexOptions) { o.Lambda = 0 },
		func(o *ConvexOptions) { o.Steps = 0 },
		func(o *ConvexOptions) { o.CNNSteps = -1 },
		func(o *ConvexOptions) { o.LRGD = 0 },
		func(o *ConvexOptions) { o.Tail = 0 },
		func(o *ConvexOptions) { o.StallLRs = []float64{0.05} },
		func(o *ConvexOptions) { o.StallLRs = []float64{0.05, -1} },
	} {
		o := DefaultConvex()
		mod(&o)
		if _, err := Convex(context.Background(), o, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: err = %v, want ErrInvalid", o, err)
		}
	}
}

// TestConvexStopsCNN: when Convex returns before the CNN it started in the
// background has finished (here: w* cannot be found), the CNN stops with
// it instead of training on.
func TestConvexStopsCNN(t *testing.T) {
	defer func(f func(convex.Linear, *data.Set, []float64, float64) (*convex.Optimum, error)) { minimize = f }(minimize)
	minimize = func(convex.Linear, *data.Set, []float64, float64) (*convex.Optimum, error) {
		return nil, errors.New("no minimiser")
	}
	o := DefaultConvex()
	o.CNNSteps, o.TestSize, o.Jobs, o.StallLRs = 1_000_000, 100, 1, nil
	before := runtime.NumGoroutine()
	if _, err := Convex(context.Background(), o, nil); err == nil || !strings.Contains(err.Error(), "no minimiser") {
		t.Fatalf("err = %v, want the minimiser's", err)
	}
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); n > before && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	if n > before {
		t.Errorf("%d goroutines 5s after Convex returned, %d before: the background CNN trains on", n, before)
	}
}
