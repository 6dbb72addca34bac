package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReproduceConvex(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"reproduce", "convex", "--out", dir, "--steps", "2000", "--cnn-steps", "30", "--test-size", "200", "--jobs", "1"}
	if err := run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	for _, want := range []string{"| gd | constant |", "| adam | cosine(min_lr=0) |", "‖W_Adam − W_GD‖ / ‖W_GD‖", "— (no unique W*)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "convex.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Optimum struct {
			GradInf float64 `json:"grad_inf"`
		} `json:"optimum"`
		Runs []struct {
			Optimizer string   `json:"optimizer"`
			Schedule  string   `json:"schedule"`
			DistStar  *float64 `json:"dist_to_wstar"`
			DistGD    *float64 `json:"dist_to_gd"`
		} `json:"linear_runs"`
		Contrast struct {
			Linear struct {
				AdamVsStar *float64 `json:"adam_vs_wstar"`
			} `json:"linear"`
			CNN struct {
				AdamVsGD   *float64 `json:"adam_vs_gd"`
				AdamVsStar *float64 `json:"adam_vs_wstar"`
			} `json:"cnn"`
		} `json:"contrast"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("convex.json: %v", err)
	}
	if rep.Optimum.GradInf >= 1e-12 {
		t.Errorf("‖∇L(w*)‖_∞ = %v, want < 1e-12", rep.Optimum.GradInf)
	}
	if len(rep.Runs) != 6 || rep.Runs[0].Optimizer != "gd" || rep.Runs[0].DistStar == nil || rep.Runs[1].DistStar == nil {
		t.Fatalf("runs = %+v, want 6 with GD first", rep.Runs)
	}
	if gd, adam := *rep.Runs[0].DistStar, *rep.Runs[1].DistStar; !(gd < 1e-6 && adam > 100*gd) {
		t.Errorf("distance to w*: GD %v, Adam at constant η %v; want GD < 1e-6 and Adam's stall far above it", gd, adam)
	}
	if rep.Contrast.CNN.AdamVsStar != nil || rep.Contrast.CNN.AdamVsGD == nil || rep.Contrast.Linear.AdamVsStar == nil {
		t.Errorf("contrast: CNN distance to W* must be null, Adam vs GD and the linear distances present: %s", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "cnn", "metrics.csv")); err != nil {
		t.Errorf("CNN outputs: %v", err)
	}
}

func TestReproduceConvexUsage(t *testing.T) {
	for _, args := range [][]string{
		{"reproduce", "convex", "--lambda", "0"},
		{"reproduce", "convex", "--steps", "0"},
		{"reproduce", "convex", "--cnn-steps", "-1"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append(args, "--out", t.TempDir()), &out, &errb)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}
