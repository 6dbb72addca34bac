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

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/theory"
)

func TestFlipSlope(t *testing.T) {
	// T = c/η exactly gives slope −1; a missing flip (−1) is left out.
	rows := []flipRow{
		{Eta: 1e-4, Flips: [2]flipClass{{PeakStep: 400, NegStep: 900}, {PeakStep: 500, NegStep: -1}}},
		{Eta: 2e-4, Flips: [2]flipClass{{PeakStep: 200, NegStep: 450}, {PeakStep: 250, NegStep: 600}}},
		{Eta: 4e-4, Flips: [2]flipClass{{PeakStep: 100, NegStep: 225}, {PeakStep: 125, NegStep: 300}}},
	}
	peak := func(f flipClass) int { return f.PeakStep }
	neg := func(f flipClass) int { return f.NegStep }
	for _, tt := range []struct {
		c    int
		t    func(flipClass) int
		want float64
	}{{0, peak, -1}, {1, peak, -1}, {0, neg, -1}, {1, neg, -1}} {
		if got := flipSlope(rows, tt.c, tt.t); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("class %d: slope %v, want %v", tt.c, got, tt.want)
		}
	}
	if got := flipSlope(rows[:1], 0, neg); !math.IsNaN(got) {
		t.Errorf("one point: slope %v, want NaN", got)
	}
	// T ∝ η^{-1/2}.
	half := []flipRow{
		{Eta: 1e-4, Flips: [2]flipClass{{PeakStep: 1000}}},
		{Eta: 4e-4, Flips: [2]flipClass{{PeakStep: 500}}},
	}
	if got := flipSlope(half, 0, peak); math.Abs(got+0.5) > 1e-12 {
		t.Errorf("T ∝ η^(−1/2): slope %v, want −0.5", got)
	}
}

func TestReproduceLemmas(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"reproduce", "lemmas", "--out", dir, "--trials", "3000", "--etas", "2e-4,4e-4", "--steps-eta", "0.1", "--log-points", "100", "--test-size", "100"}
	if err := run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "lemmas.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Supports []struct {
			N, S, D    int
			Exact      *float64 `json:"p_disjoint_exact"`
			MonteCarlo *float64 `json:"p_disjoint_monte_carlo"`
			StdErr     *float64 `json:"monte_carlo_stderr"`
			Measured   theory.Sharing
			MeasuredOn string `json:"measured_on"`
		} `json:"lemma_5_1"`
		Flips []struct {
			Eta     float64 `json:"eta"`
			Steps   int     `json:"steps"`
			Classes []struct {
				Class    int `json:"class"`
				PeakStep int `json:"peak_step"`
				NegStep  int `json:"neg_step"`
			} `json:"classes"`
			T0Used  int `json:"t0_used"`
			Neurons []struct {
				Class    int      `json:"class"`
				Tr       int      `json:"tr_measured"`
				RateMean *float64 `json:"rate_mean_eta"`
			} `json:"neurons"`
		} `json:"lemma_5_3"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("lemmas.json: %v", err)
	}
	if len(rep.Supports) != len(lemmaSupports) {
		t.Fatalf("%d Lemma 5.1 rows, want %d", len(rep.Supports), len(lemmaSupports))
	}
	for _, r := range rep.Supports {
		se := math.Max(*r.StdErr, 1/3000.0)
		if math.Abs(*r.MonteCarlo-*r.Exact) > 5*se {
			t.Errorf("n=%d s=%d d=%d: Monte Carlo %v vs exact %v", r.N, r.S, r.D, *r.MonteCarlo, *r.Exact)
		}
	}
	paper := rep.Supports[len(rep.Supports)-1]
	if paper.N != 200 || paper.S != 100 || paper.D != 1000 || math.Abs(paper.Measured.Mean-20) > 0.1 {
		t.Errorf("last row %+v, want the paper's experiment with ~20 examples per coordinate", paper)
	}
	// Lemma 5.1's measured sharing is that of the runs' own training data.
	own, err := experiment.Prepare(config.Paper())
	if err != nil {
		t.Fatal(err)
	}
	if want := theory.MeasureSharing(own.Train); paper.Measured != want || !strings.HasPrefix(paper.MeasuredOn, "the flip runs' own training data") {
		t.Errorf("paper row measured %+v on %q, want %+v on the runs' own data", paper.Measured, paper.MeasuredOn, want)
	}
	if len(rep.Flips) != 2 {
		t.Fatalf("%d flip rows, want 2", len(rep.Flips))
	}
	for _, f := range rep.Flips {
		// Lemma 5.3 per neuron: 2m neurons, T_r within [0, T₀], and the
		// flip: the feature coordinate falls over [T_r, T₀] for most.
		if len(f.Neurons) != 2*config.Paper().M || f.T0Used < 1 || f.T0Used > f.Steps {
			t.Fatalf("η=%g: %d neurons, T₀ %d", f.Eta, len(f.Neurons), f.T0Used)
		}
		falling := 0
		for _, n := range f.Neurons {
			if n.Tr < 0 || n.Tr > f.T0Used {
				t.Errorf("η=%g: T_r = %d outside [0, %d]", f.Eta, n.Tr, f.T0Used)
			}
			if n.RateMean != nil && *n.RateMean < 0 {
				falling++
			}
		}
		if falling < len(f.Neurons)/2 {
			t.Errorf("η=%g: only %d of %d neurons lose the feature over [T_r, T₀]", f.Eta, falling, len(f.Neurons))
		}
	}
	if !strings.Contains(out.String(), "Lemma 5.3 per neuron") {
		t.Errorf("output lacks the per-neuron table:\n%s", out.String())
	}
	for _, f := range rep.Flips {
		if want := int(math.Ceil(0.1 / f.Eta)); f.Steps != want || len(f.Classes) != 2 {
			t.Fatalf("η=%g: %d steps, %d classes; want %d steps, 2 classes", f.Eta, f.Steps, len(f.Classes), want)
		}
		for _, c := range f.Classes {
			if c.PeakStep < 0 || c.PeakStep > f.Steps || (c.NegStep >= 0 && c.NegStep <= c.PeakStep) {
				t.Errorf("η=%g class %d: peak %d, negative at %d (of %d steps)", f.Eta, c.Class, c.PeakStep, c.NegStep, f.Steps)
			}
		}
	}
	if !strings.Contains(out.String(), "Slope of log T against log η") {
		t.Errorf("output lacks the slope line:\n%s", out.String())
	}
}

func TestReproduceLemmasUsage(t *testing.T) {
	for _, args := range [][]string{
		{"reproduce", "lemmas", "--etas", "0"},
		{"reproduce", "lemmas", "--etas", "x"},
		{"reproduce", "lemmas", "--trials", "0"},
		{"reproduce", "lemmas", "--steps-eta", "0"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append(args, "--out", t.TempDir()), &out, &errb)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}
