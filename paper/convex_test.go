package paper

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestConvex(t *testing.T) {
	o := DefaultConvex()
	o.Steps, o.CNNSteps, o.TestSize, o.Jobs = 2000, 30, 200, 1
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
	} {
		o := DefaultConvex()
		mod(&o)
		if _, err := Convex(context.Background(), o, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: err = %v, want ErrInvalid", o, err)
		}
	}
}
