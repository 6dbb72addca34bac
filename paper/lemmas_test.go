package paper

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/theory"
)

func TestFlipSlope(t *testing.T) {
	// T = c/η exactly gives slope −1; a missing flip (−1) is left out.
	rows := []FlipRow{
		{Eta: 1e-4, Flips: [2]FlipClass{{PeakStep: 400, NegStep: 900}, {PeakStep: 500, NegStep: -1}}},
		{Eta: 2e-4, Flips: [2]FlipClass{{PeakStep: 200, NegStep: 450}, {PeakStep: 250, NegStep: 600}}},
		{Eta: 4e-4, Flips: [2]FlipClass{{PeakStep: 100, NegStep: 225}, {PeakStep: 125, NegStep: 300}}},
	}
	peak := func(f FlipClass) int { return f.PeakStep }
	neg := func(f FlipClass) int { return f.NegStep }
	for _, tt := range []struct {
		c    int
		t    func(FlipClass) int
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
	half := []FlipRow{
		{Eta: 1e-4, Flips: [2]FlipClass{{PeakStep: 1000}}},
		{Eta: 4e-4, Flips: [2]FlipClass{{PeakStep: 500}}},
	}
	if got := flipSlope(half, 0, peak); math.Abs(got+0.5) > 1e-12 {
		t.Errorf("T ∝ η^(−1/2): slope %v, want −0.5", got)
	}
}

func TestLemmas(t *testing.T) {
	o := LemmasOptions{Trials: 3000, Etas: []float64{2e-4, 4e-4}, StepsEta: 0.1, LogPoints: 100, TestSize: 100}
	rep, err := Lemmas(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Supports) != len(lemmaSupports) {
		t.Fatalf("%d Lemma 5.1 rows, want %d", len(rep.Supports), len(lemmaSupports))
	}
	for _, r := range rep.Supports {
		se := math.Max(float64(r.StdErr), 1/3000.0)
		if math.Abs(float64(r.MonteCarlo-r.Exact)) > 5*se {
			t.Errorf("n=%d s=%d d=%d: Monte Carlo %v vs exact %v", r.N, r.S, r.D, r.MonteCarlo, r.Exact)
		}
	}
	last := rep.Supports[len(rep.Supports)-1]
	if last.N != 200 || last.S != 100 || last.D != 1000 || math.Abs(last.Measured.Mean-20) > 0.1 {
		t.Errorf("last row %+v, want the paper's experiment with ~20 examples per coordinate", last)
	}
	// Lemma 5.1's measured sharing is that of the runs' own training data.
	own, err := experiment.Prepare(config.Paper())
	if err != nil {
		t.Fatal(err)
	}
	if want := theory.MeasureSharing(own.Train); last.Measured != want || !strings.HasPrefix(last.MeasuredOn, "the flip runs' own training data") {
		t.Errorf("paper row measured %+v on %q, want %+v on the runs' own data", last.Measured, last.MeasuredOn, want)
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
			if n.RateMean < 0 {
				falling++
			}
		}
		if falling < len(f.Neurons)/2 {
			t.Errorf("η=%g: only %d of %d neurons lose the feature over [T_r, T₀]", f.Eta, falling, len(f.Neurons))
		}
		if s := f.Summary[0]; s.Class != 1 || s.Neurons != config.Paper().M {
			t.Errorf("η=%g: summary %+v", f.Eta, s)
		}
	}
	if !strings.Contains(rep.Table(), "Lemma 5.3 per neuron") {
		t.Errorf("table lacks the per-neuron table:\n%s", rep.Table())
	}
	for _, f := range rep.Flips {
		if want := int(math.Ceil(0.1 / f.Eta)); f.Steps != want {
			t.Fatalf("η=%g: %d steps, want %d", f.Eta, f.Steps, want)
		}
		for _, c := range f.Flips {
			if c.PeakStep < 0 || c.PeakStep > f.Steps || (c.NegStep >= 0 && c.NegStep <= c.PeakStep) {
				t.Errorf("η=%g class %d: peak %d, negative at %d (of %d steps)", f.Eta, c.Class, c.PeakStep, c.NegStep, f.Steps)
			}
		}
	}
	if !strings.Contains(rep.Table(), "Slope of log T against log η") {
		t.Errorf("table lacks the slope line:\n%s", rep.Table())
	}
}

func TestLemmasOptions(t *testing.T) {
	for _, mod := range []func(*LemmasOptions){
		func(o *LemmasOptions) { o.Etas = []float64{0} },
		func(o *LemmasOptions) { o.Trials = 0 },
		func(o *LemmasOptions) { o.StepsEta = 0 },
		func(o *LemmasOptions) { o.LogPoints = 9 },
	} {
		o := DefaultLemmas()
		mod(&o)
		if _, err := Lemmas(context.Background(), o, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: err = %v, want ErrInvalid", o, err)
		}
	}
}

// TestLemmasTableMeasuredOn: the table's note on where the paper's row was
// measured follows the row's (n, s, d), not the wording of MeasuredOn.
func TestLemmasTableMeasuredOn(t *testing.T) {
	rep := &LemmasReport{Supports: []SupportsRow{
		{N: 10, S: 1, D: 40000, MeasuredOn: "the flip runs' look-alike wording on a drawn set"},
		{N: 200, S: 100, D: 1000, MeasuredOn: "own training data of the flip runs (seed 0)"},
	}}
	got := rep.Table()
	if want := "Measured for n=200, s=100, d=1000 on own training data of the flip runs (seed 0);"; !strings.Contains(got, want) {
		t.Errorf("table lacks %q:\n%s", want, got)
	}
	if strings.Contains(got, "Measured for n=10,") {
		t.Errorf("table names a drawn row as measured on the flip runs' data:\n%s", got)
	}
}
