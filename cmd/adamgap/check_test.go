package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func checkJSON(t *testing.T, args ...string) map[string]*bool {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), append([]string{"check", "--json"}, args...), &out, &errb); err != nil {
		t.Fatalf("check %v: %v\n%s", args, err, errb.String())
	}
	var rep struct {
		Conditions []struct {
			Statement string `json:"statement"`
			Holds     *bool  `json:"holds"`
		} `json:"conditions"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("check --json: %v\n%s", err, out.String())
	}
	m := map[string]*bool{}
	for _, c := range rep.Conditions {
		m[c.Statement] = c.Holds
	}
	return m
}

func TestCheck(t *testing.T) {
	paper := checkJSON(t)
	for statement, want := range map[string]bool{
		"s = Θ(d^{1/2}/n²)":   false, // s = 100 vs √1000/200² ≈ 0.0008
		"s ≤ √d/(2n²)":        false,
		"α = Θ(σp·polylog n)": true,
		"β₂ ≥ β₁²":            true,
		"η = o(λ)":            false, // Adam's η = 5e-5 vs λ = 1e-5
	} {
		if h, ok := paper[statement]; !ok || h == nil || *h != want {
			t.Errorf("paper settings: %q holds = %v, want %v", statement, h, want)
		}
	}
	if h := paper["d = poly(n)"]; h != nil {
		t.Errorf("d = poly(n) is information only, got a verdict %v", *h)
	}
	// Inside Lemma 5.1: n = 10, s = 1, d = 40000 gives s ≤ √d/(2n²) = 1.
	small := checkJSON(t, "--n", "10", "--s", "1", "--d", "40000")
	if h := small["s ≤ √d/(2n²)"]; h == nil || !*h {
		t.Errorf("n=10, s=1, d=40000: s ≤ √d/(2n²) should hold, got %v", h)
	}
	// Without Adam the Adam conditions are left out.
	gdOnly := checkJSON(t, "--optimizer", "gd")
	if _, ok := gdOnly["η = o(λ)"]; ok {
		t.Error("--optimizer gd: Adam's η = o(λ) is listed")
	}

	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"check"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "| Lemma 5.1 (A.1) | s ≤ √d/(2n²) |") || !strings.Contains(out.String(), "shared by n·s/(d−1) = 20 examples") {
		t.Errorf("table lacks the Lemma 5.1 row or sharing line:\n%s", out.String())
	}
}

func TestCheckUsage(t *testing.T) {
	for _, args := range [][]string{{"check", "--slack", "0.5"}, {"check", "--bogus"}, {"check", "extra"}} {
		var out, errb bytes.Buffer
		err := run(context.Background(), args, &out, &errb)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"check", "--s", "5000"}, &out, &errb); err == nil || !strings.Contains(err.Error(), "s=5000") {
		t.Errorf("s=5000 > d−1: err = %v, want one naming s=5000", err)
	}
}
