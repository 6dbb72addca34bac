package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReproduceConvex(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"reproduce", "convex", "--out", dir, "--steps", "2000", "--cnn-steps", "30", "--test-size", "200", "--jobs", "1",
		"--tail", "200", "--stall-lrs", "0.04,0.01", "--stall-steps", "2000"}
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
			Norm    float64 `json:"norm"`
			Method  string  `json:"wstar_method"`
			Status  string  `json:"wstar_status"`
		} `json:"optimum"`
		Stall struct {
			Runs []struct {
				TailK    int     `json:"tail_k"`
				TailMean float64 `json:"dist_tail_mean"`
				TailMin  float64 `json:"dist_tail_min"`
				TailMax  float64 `json:"dist_tail_max"`
			} `json:"runs"`
			C    float64 `json:"slope_c"`
			CRel float64 `json:"slope_c_relative"`
			P    float64 `json:"power_p"`
		} `json:"stall"`
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
	if !strings.HasPrefix(rep.Optimum.Status, "converged") || rep.Optimum.Method == "" || !strings.Contains(out.String(), "w* from "+rep.Optimum.Method+": converged") {
		t.Errorf("w* status %q method %q", rep.Optimum.Status, rep.Optimum.Method)
	}
	// The stall radius: two rates, tail statistics ordered, a slope in η
	// consistent with the tail means.
	st := rep.Stall
	if len(st.Runs) != 2 {
		t.Fatalf("stall runs %+v, want 2", st.Runs)
	}
	for _, r := range st.Runs {
		if r.TailK != 200 || !(r.TailMin <= r.TailMean && r.TailMean <= r.TailMax && r.TailMin > 0) {
			t.Errorf("stall tail %+v", r)
		}
	}
	if c := (0.04*st.Runs[0].TailMean + 0.01*st.Runs[1].TailMean) / (0.04*0.04 + 0.01*0.01); math.Abs(c-st.C) > 1e-9*c ||
		math.Abs(st.CRel-st.C/rep.Optimum.Norm) > 1e-9*st.CRel || !(st.P > 0.5 && st.P < 1.5) {
		t.Errorf("stall slope C=%v (least squares %v), relative %v, power %v", st.C, c, st.CRel, st.P)
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
		{"reproduce", "convex", "--tail", "0"},
		{"reproduce", "convex", "--stall-lrs", "0.05"},
		{"reproduce", "convex", "--stall-lrs", "0.05,x"},
		{"reproduce", "convex", "--stall-lrs", "0.05,-1"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append(args, "--out", t.TempDir()), &out, &errb)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}
