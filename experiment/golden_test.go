package experiment

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/golden"
	"github.com/adamgap/adamgap/train"
)

// update rewrites the golden files under testdata/golden from this run:
//
//	go test ./experiment -run TestGoldenPaper -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenRTol is the relative tolerance of the golden comparisons
// (golden.RTol). The AVX-512 and the portable (-tags purego) kernels agree
// to about 1e-13, so both pass; a change that moves every number by 1e-9
// fails (TestGoldenCatchesDrift). Below golden.Floor × the largest
// magnitude of a column (or weight array) a value is compared to
// goldenRTol of that: a value that crosses zero (feature_pos does) agrees
// between the kernels only to ~1e-13 of its column's scale.
const goldenRTol = golden.RTol

const (
	goldenMetrics = "testdata/golden/paper_seed0_metrics.csv"
	goldenWeights = "testdata/golden/paper_seed0_weights.json"
)

var (
	paperOnce sync.Once
	paperOut  *Outcome
	paperErr  error
)

// paperOutcome runs the seed-0 paper configuration (config.Paper(): Adam and
// GD, T = 10⁴) once per test binary and shares it between the tests that
// need it.
func paperOutcome(t *testing.T) *Outcome {
	t.Helper()
	paperOnce.Do(func() {
		var s *Setup
		if s, paperErr = Prepare(config.Paper()); paperErr != nil {
			return
		}
		paperOut, paperErr = Execute(context.Background(), s, 0)
	})
	if paperErr != nil {
		t.Fatal(paperErr)
	}
	return paperOut
}

// goldenWeightFile is the content of paper_seed0_weights.json: what each
// run ended with (summary.json without its wall-clock seconds) and, for W₀
// and each final W, a fingerprint of the weights: the squared norm of each
// of the 2m filters and every Stride-th coordinate (internal layout).
type goldenWeightFile struct {
	Runs    []goldenRun    `json:"runs"`
	Weights []goldenMatrix `json:"weights"`
}

type goldenRun struct {
	Optimizer  string       `json:"optimizer"`
	TrainError float64      `json:"train_error"`
	TestError  float64      `json:"test_error"`
	FinalLoss  float64      `json:"final_loss"`
	Best       *BestSummary `json:"best"`
}

type goldenMatrix struct {
	Name         string    `json:"name"`
	FilterSumSq  []float64 `json:"filter_sumsq"`
	Stride       int       `json:"stride"`
	StrideValues []float64 `json:"stride_values"`
}

const goldenStride = 97

func goldenWeightsOf(t *testing.T, o *Outcome) goldenWeightFile {
	t.Helper()
	var g goldenWeightFile
	for _, r := range o.Summary().Runs {
		if r.Error != "" {
			t.Fatalf("%s: %s", r.Optimizer, r.Error)
		}
		g.Runs = append(g.Runs, goldenRun{
			Optimizer: r.Optimizer, TrainError: *r.TrainError, TestError: *r.TestError,
			FinalLoss: *r.FinalLoss, Best: r.Best,
		})
	}
	cnn := o.Config.CNN()
	fingerprint := func(name string, w []float64) goldenMatrix {
		m := goldenMatrix{Name: name, FilterSumSq: make([]float64, cnn.Width()), Stride: goldenStride}
		for k := range cnn.D {
			for c, v := range w[k*cnn.Width() : (k+1)*cnn.Width()] {
				m.FilterSumSq[c] += v * v
			}
		}
		for i := 0; i < len(w); i += goldenStride {
			m.StrideValues = append(m.StrideValues, w[i])
		}
		return m
	}
	g.Weights = append(g.Weights, fingerprint("W0", o.W0))
	for _, r := range o.Results {
		g.Weights = append(g.Weights, fingerprint("W_"+r.Optimizer, r.W))
	}
	return g
}

// TestGoldenPaper pins the numbers of the seed-0 paper run (Table 1 and
// Figure 2's run): every field of metrics.csv at every logged step, the
// summary of each run and a fingerprint of W₀ and of the final weights, to
// goldenRTol relative. After a change that is meant to move the numbers,
// rewrite the files with
//
//	go test ./experiment -run TestGoldenPaper -update
//
// and say why in the commit message.
func TestGoldenPaper(t *testing.T) {
	if testing.Short() {
		t.Skip("paper-scale run (a few seconds); skipped under -short")
	}
	o := paperOutcome(t)
	var records []train.Record
	for _, r := range o.Results {
		records = append(records, r.Records...)
	}
	var got bytes.Buffer
	if err := train.WriteCSV(&got, records); err != nil {
		t.Fatal(err)
	}
	gotW := goldenWeightsOf(t, o)
	gotJSON, err := json.MarshalIndent(gotW, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	gotJSON = append(gotJSON, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenMetrics), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenMetrics, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenWeights, gotJSON, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s and %s", goldenMetrics, goldenWeights)
		return
	}

	want, err := os.ReadFile(goldenMetrics)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	for _, e := range golden.CSV(want, got.Bytes(), goldenRTol, exactColumns...) {
		t.Error("metrics.csv: " + e)
	}
	wantJSON, err := os.ReadFile(goldenWeights)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	var wantW goldenWeightFile
	if err := json.Unmarshal(wantJSON, &wantW); err != nil {
		t.Fatalf("%s: %v", goldenWeights, err)
	}
	for _, e := range compareWeights(wantW, gotW, goldenRTol) {
		t.Error(e)
	}
}

// TestGoldenCatchesDrift: the comparisons of TestGoldenPaper fail when every
// number of the golden files moves by 1e-9 relative, and pass on the files
// themselves.
func TestGoldenCatchesDrift(t *testing.T) {
	csvBytes, err := os.ReadFile(goldenMetrics)
	if err != nil {
		t.Fatal(err)
	}
	jsonBytes, err := os.ReadFile(goldenWeights)
	if err != nil {
		t.Fatal(err)
	}
	var w goldenWeightFile
	if err := json.Unmarshal(jsonBytes, &w); err != nil {
		t.Fatal(err)
	}
	if e := golden.CSV(csvBytes, csvBytes, goldenRTol, exactColumns...); len(e) != 0 {
		t.Errorf("metrics.csv against itself: %v", e)
	}
	if e := compareWeights(w, w, goldenRTol); len(e) != 0 {
		t.Errorf("weights against themselves: %v", e)
	}

	const drift = 1 + 1e-9
	rows, err := csv.NewReader(bytes.NewReader(csvBytes)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		for j, f := range row {
			if v, err := strconv.ParseFloat(f, 64); err == nil && !slices.Contains(exactColumns, rows[0][j]) {
				row[j] = strconv.FormatFloat(v*drift, 'g', -1, 64)
			}
		}
	}
	var moved bytes.Buffer
	cw := csv.NewWriter(&moved)
	if err := cw.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if e := golden.CSV(csvBytes, moved.Bytes(), goldenRTol, exactColumns...); len(e) == 0 {
		t.Error("metrics.csv moved by 1e-9 relative passed the comparison")
	}
	w2 := w
	w2.Weights = nil
	for _, m := range w.Weights {
		m2 := m
		m2.FilterSumSq = scaled(m.FilterSumSq, drift)
		m2.StrideValues = scaled(m.StrideValues, drift)
		w2.Weights = append(w2.Weights, m2)
	}
	if e := compareWeights(w, w2, goldenRTol); len(e) == 0 {
		t.Error("weights moved by 1e-9 relative passed the comparison")
	}
}

func scaled(v []float64, a float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x * a
	}
	return out
}

// exactColumns are the metrics.csv columns that hold counts, compared
// exactly.
var exactColumns = []string{"step", "sign_coords"}

// compareWeights compares two fingerprints: the runs' summaries exactly in
// their counts and to rtol in their floats; each weight array to rtol
// relative (below golden.Floor × its largest magnitude, to rtol of that).
func compareWeights(want, got goldenWeightFile, rtol float64) []string {
	var errs []string
	if len(want.Runs) != len(got.Runs) || len(want.Weights) != len(got.Weights) {
		return []string{fmt.Sprintf("%d runs, %d weight arrays; want %d, %d", len(got.Runs), len(got.Weights), len(want.Runs), len(want.Weights))}
	}
	num := func(what string, w, g float64) {
		if !golden.Within(w, g, rtol, 0) {
			errs = append(errs, fmt.Sprintf("%s = %v, want %v", what, g, w))
		}
	}
	for i, w := range want.Runs {
		g := got.Runs[i]
		if w.Optimizer != g.Optimizer || (w.Best == nil) != (g.Best == nil) {
			errs = append(errs, fmt.Sprintf("run %d: %s (best %v), want %s (best %v)", i, g.Optimizer, g.Best, w.Optimizer, w.Best))
			continue
		}
		num(w.Optimizer+" train_error", w.TrainError, g.TrainError)
		num(w.Optimizer+" test_error", w.TestError, g.TestError)
		num(w.Optimizer+" final_loss", w.FinalLoss, g.FinalLoss)
		if w.Best != nil {
			if w.Best.Step != g.Best.Step || w.Best.Norm != g.Best.Norm {
				errs = append(errs, fmt.Sprintf("%s best: step %d (%s), want %d (%s)", w.Optimizer, g.Best.Step, g.Best.Norm, w.Best.Step, w.Best.Norm))
			}
			num(w.Optimizer+" best grad_norm", w.Best.GradNorm, g.Best.GradNorm)
			num(w.Optimizer+" best train_error", w.Best.TrainError, g.Best.TrainError)
			num(w.Optimizer+" best test_error", w.Best.TestError, g.Best.TestError)
		}
	}
	for i, w := range want.Weights {
		g := got.Weights[i]
		if w.Name != g.Name || w.Stride != g.Stride {
			errs = append(errs, fmt.Sprintf("weights %d: %s (stride %d), want %s (stride %d)", i, g.Name, g.Stride, w.Name, w.Stride))
			continue
		}
		errs = append(errs, compareSlice(w.Name+" filter_sumsq", w.FilterSumSq, g.FilterSumSq, rtol)...)
		errs = append(errs, compareSlice(w.Name+" stride_values", w.StrideValues, g.StrideValues, rtol)...)
	}
	return errs
}

func compareSlice(what string, want, got []float64, rtol float64) []string {
	if len(want) != len(got) {
		return []string{fmt.Sprintf("%s: %d values, want %d", what, len(got), len(want))}
	}
	scale := 0.0
	for _, v := range want {
		scale = max(scale, math.Abs(v))
	}
	var errs []string
	for i := range want {
		if !golden.Within(want[i], got[i], rtol, golden.Floor*scale) {
			errs = append(errs, fmt.Sprintf("%s[%d] = %v, want %v", what, i, got[i], want[i]))
		}
	}
	return errs
}
