package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/paper"
)

// TestCheck reads check --json back into paper.CheckReport: the flags reach
// the configuration and the slack (the conditions themselves are tested in
// package paper).
func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		n, s, d  int
		slack    float64
		disjoint bool // s ≤ √d/(2n²) holds
	}{
		{nil, 200, 100, 1000, 10, false},
		{[]string{"--n", "10", "--s", "1", "--d", "40000", "--slack", "3"}, 10, 1, 40000, 3, true},
	} {
		var out, errb bytes.Buffer
		if err := run(context.Background(), append([]string{"check", "--json"}, tc.args...), &out, &errb); err != nil {
			t.Fatalf("check %v: %v\n%s", tc.args, err, errb.String())
		}
		var rep paper.CheckReport
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("check --json: %v\n%s", err, out.String())
		}
		p := rep.Params
		if p.N != tc.n || p.S != tc.s || p.D != tc.d || rep.Slack != tc.slack {
			t.Errorf("check %v: n=%d s=%d d=%d slack %v; want %d %d %d %v", tc.args, p.N, p.S, p.D, rep.Slack, tc.n, tc.s, tc.d, tc.slack)
		}
		found := false
		for _, c := range rep.Conditions {
			if c.Statement == "s ≤ √d/(2n²)" {
				found = c.Holds != nil && *c.Holds == tc.disjoint
			}
		}
		if !found {
			t.Errorf("check %v: s ≤ √d/(2n²) should be judged %v", tc.args, tc.disjoint)
		}
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"check"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "| Lemma 5.1 (A.1) | s ≤ √d/(2n²) |") {
		t.Errorf("table lacks the Lemma 5.1 row:\n%s", out.String())
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

// TestCheckDataFrom: check --data-from judges the file's d and n (it
// judged d=0, n=0 without reading the file), and a malformed file is the
// usage error it is for run.
func TestCheckDataFrom(t *testing.T) {
	dir := t.TempDir()
	mustInvoke(t, args("--out", dir+"/good")...) // d=100, n=20
	stdout := mustInvoke(t, "check", "--json", "--data-from", dir+"/good/data.npz", "--s", "10")
	var rep paper.CheckReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Params.D != 100 || rep.Params.N != 20 {
		t.Errorf("check --data-from: d=%d n=%d, want the file's 100 and 20", rep.Params.D, rep.Params.N)
	}
	_, stderr, _, code := invoke(t, "check", "--data-from", dir+"/good/weights.npz")
	if code != 2 || !strings.Contains(stderr, "X_train is missing") {
		t.Errorf("check --data-from weights.npz: exit %d, %q; want 2 and the missing array", code, stderr)
	}
}
