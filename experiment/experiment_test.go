package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/fixture"
	"github.com/adamgap/adamgap/optim"
)

// runInto prepares, trains and writes every output file to dir.
func runInto(t *testing.T, cfg config.Config, dir string, jobs int) (*Outcome, error) {
	t.Helper()
	s, err := Prepare(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteInputs(dir); err != nil {
		t.Fatal(err)
	}
	o, runErr := Execute(context.Background(), s, jobs)
	if err := o.WriteResults(dir); err != nil {
		t.Fatal(err)
	}
	return o, runErr
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSameSeedSameBytes: the same configuration gives byte-identical output
// files, whether the optimisers run one at a time or concurrently.
func TestSameSeedSameBytes(t *testing.T) {
	root := t.TempDir()
	dirs := map[string]int{"a": 1, "b": 1, "c": 2, "d": 0}
	sums := map[string]Summary{}
	for dir, jobs := range dirs {
		o, err := runInto(t, fixture.Small(), filepath.Join(root, dir), jobs)
		if err != nil {
			t.Fatal(err)
		}
		s := o.Summary()
		for i := range s.Runs {
			s.Runs[i].Seconds = 0 // wall time is the only thing allowed to differ
		}
		sums[dir] = s
	}
	// table1.md and summary.json hold wall times; the summary is compared
	// below without them.
	for _, name := range []string{"metrics.csv", "weights.npz", "data.npz", "config.yaml"} {
		want := readFile(t, filepath.Join(root, "a", name))
		for _, dir := range []string{"b", "c", "d"} {
			if got := readFile(t, filepath.Join(root, dir, name)); !bytes.Equal(got, want) {
				t.Errorf("%s differs between run a (jobs 1) and run %s (jobs %d)", name, dir, dirs[dir])
			}
		}
	}
	for _, dir := range []string{"b", "c", "d"} {
		a, _ := json.Marshal(sums["a"])
		b, _ := json.Marshal(sums[dir])
		if !bytes.Equal(a, b) {
			t.Errorf("summary differs between run a and run %s:\n%s\n%s", dir, a, b)
		}
	}
	// A different seed must change the numbers, or the comparison above
	// proves nothing.
	other := fixture.Small()
	other.Seed++
	if _, err := runInto(t, other, filepath.Join(root, "e"), 1); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(readFile(t, filepath.Join(root, "a", "metrics.csv")), readFile(t, filepath.Join(root, "e", "metrics.csv"))) {
		t.Errorf("seeds %d and %d gave the same metrics.csv", fixture.Small().Seed, other.Seed)
	}
}

// TestStreamsIndependent: the training data, the test set and W₀ come from
// separate streams of the seed.
func TestStreamsIndependent(t *testing.T) {
	a, err := Prepare(fixture.Small())
	if err != nil {
		t.Fatal(err)
	}
	c := fixture.Small()
	c.TestSize = 77
	c.M = 4
	b, err := Prepare(c)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Train.Val, b.Train.Val) || !slices.Equal(a.Train.Idx, b.Train.Idx) || !slices.Equal(a.W0, b.W0) {
		t.Errorf("changing test_size changed the training data or W0")
	}
	if b.Test.N() != 77 {
		t.Errorf("test set has %d examples, want 77", b.Test.N())
	}
	c = fixture.Small()
	c.N = 40
	d, err := Prepare(c)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.W0, d.W0) || !slices.Equal(a.Test.Val, d.Test.Val) {
		t.Errorf("changing n changed W0 or the test set")
	}
	c = fixture.Small()
	c.Seed++
	e, err := Prepare(c)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.W0, e.W0) || slices.Equal(a.Train.Val, e.Train.Val) {
		t.Errorf("another seed gave the same W0 or data")
	}
}

// TestDivergenceKeepsOtherResults: GD with η = 1e6 diverges; its error
// names the optimiser and step, its rows so far are in metrics.csv, and
// Adam's run is complete in metrics.csv and summary.json.
func TestDivergenceKeepsOtherResults(t *testing.T) {
	cfg := fixture.Small()
	cfg.LogEvery, cfg.TestEvery = 1, 0
	cfg.Optimizers[1].LR = 1e6
	dir := t.TempDir()
	o, err := runInto(t, cfg, dir, 2)
	if err == nil {
		t.Fatal("GD with lr=1e6 did not diverge")
	}
	for _, want := range []string{"gd", "at step", "diverged"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if o.Results[0].Err != nil {
		t.Errorf("adam failed too: %v", o.Results[0].Err)
	}
	rows := strings.Split(strings.TrimSpace(string(readFile(t, filepath.Join(dir, "metrics.csv")))), "\n")
	var adamRows, gdRows int
	for _, r := range rows[1:] {
		switch {
		case strings.HasPrefix(r, "adam,"):
			adamRows++
		case strings.HasPrefix(r, "gd,"):
			gdRows++
		}
	}
	if adamRows != cfg.Steps+1 {
		t.Errorf("metrics.csv has %d adam rows, want %d", adamRows, cfg.Steps+1)
	}
	if gdRows == 0 || gdRows != len(o.Results[1].Records) || gdRows > cfg.Steps {
		t.Errorf("metrics.csv has %d gd rows; the diverged run logged %d", gdRows, len(o.Results[1].Records))
	}
	var sum struct {
		Runs []map[string]any `json:"runs"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "summary.json")), &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Runs) != 2 {
		t.Fatalf("summary has %d runs", len(sum.Runs))
	}
	if sum.Runs[0]["train_error"] == nil || sum.Runs[0]["error"] != nil {
		t.Errorf("summary of adam: %v", sum.Runs[0])
	}
	if sum.Runs[1]["train_error"] != nil || !strings.Contains(sum.Runs[1]["error"].(string), "at step") {
		t.Errorf("summary of the diverged gd: %v", sum.Runs[1])
	}
	for _, name := range []string{"weights.npz", "table1.md", "figure2.png", "figure2.svg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("after a divergence: %v", err)
		}
	}
}

// TestReplay: data.npz and weights.npz of a run, given back as data_from and
// init_from, reproduce its metrics exactly, whichever layout data.npz has.
func TestReplay(t *testing.T) {
	for _, layout := range []string{"auto", "dense", "sparse"} {
		t.Run(layout, func(t *testing.T) { replay(t, layout) })
	}
}

func replay(t *testing.T, layout string) {
	root := t.TempDir()
	a := filepath.Join(root, "a")
	orig := fixture.Small()
	orig.DataLayout = layout
	if _, err := runInto(t, orig, a, 1); err != nil {
		t.Fatal(err)
	}
	cfg := fixture.Small()
	cfg.DataFrom = filepath.Join(a, "data.npz")
	cfg.InitFrom = filepath.Join(a, "weights.npz")
	cfg.D, cfg.N = 0, 0 // taken from the file
	b := filepath.Join(root, "b")
	if _, err := runInto(t, cfg, b, 1); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readFile(t, filepath.Join(a, "metrics.csv")), readFile(t, filepath.Join(b, "metrics.csv"))) {
		t.Errorf("replayed run wrote a different metrics.csv")
	}
	// The resolved configuration records the data's n and d and the paths.
	got, err := config.Load(filepath.Join(b, "config.yaml"), config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if got.D != fixture.Small().D || got.N != fixture.Small().N || got.DataFrom != cfg.DataFrom || got.InitFrom != cfg.InitFrom {
		t.Errorf("config.yaml of the replay: d=%d n=%d data_from=%q init_from=%q", got.D, got.N, got.DataFrom, got.InitFrom)
	}
}

func TestPrepareRejects(t *testing.T) {
	root := t.TempDir()
	a := filepath.Join(root, "a")
	if _, err := runInto(t, fixture.Small(), a, 1); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(root, "garbage.npz")
	os.WriteFile(garbage, []byte("not an npz"), 0o644)
	with := func(f func(*config.Config)) config.Config { c := fixture.Small(); f(&c); return c }
	tests := []struct {
		name string
		cfg  config.Config
		want []string
	}{
		{"invalid config", with(func(c *config.Config) { c.S = c.D }), []string{"s=60"}},
		{"missing data", with(func(c *config.Config) { c.DataFrom = filepath.Join(root, "nope.npz") }), []string{"data_from", "nope.npz"}},
		{"garbage data", with(func(c *config.Config) { c.DataFrom = garbage }), []string{"data_from", "garbage.npz", "not a readable NPZ"}},
		{"weights as data", with(func(c *config.Config) { c.DataFrom = filepath.Join(a, "weights.npz") }), []string{"X_train is missing"}},
		{"s too large for the data", with(func(c *config.Config) { c.DataFrom, c.D, c.S = filepath.Join(a, "data.npz"), 0, 100 }), []string{"s=100", "d-1=59"}},
		{"d conflicts with the data", with(func(c *config.Config) { c.DataFrom, c.D = filepath.Join(a, "data.npz"), 1000 }), []string{"d=1000 conflicts with data_from", "d=60"}},
		{"n conflicts with the data", with(func(c *config.Config) { c.DataFrom, c.N = filepath.Join(a, "data.npz"), 8 }), []string{"n=8 conflicts with data_from", "leave n unset"}},
		{"too large for the memory limit", with(func(c *config.Config) { c.D, c.M = 100_000, 100_000 }), []string{"needs about", "more than the limit"}},
		{"missing init", with(func(c *config.Config) { c.InitFrom = filepath.Join(root, "nope.npz") }), []string{"init_from", "nope.npz"}},
		{"init of the wrong width", with(func(c *config.Config) { c.InitFrom, c.M = filepath.Join(a, "weights.npz"), 5 }), []string{"init_from", "W0", "shape"}},
		{"data as init", with(func(c *config.Config) { c.InitFrom = filepath.Join(a, "data.npz") }), []string{"init_from", "W0"}},
		{"unknown optimizer", with(func(c *config.Config) { c.Optimizers = []optim.Spec{{Name: "lion", LR: 1}} }), []string{`"lion" is unknown`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Prepare(tt.cfg)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestClassErrorsInSummary: summary.json's per-class test errors are those
// of the test set's classes, and they recombine into the test error.
func TestClassErrorsInSummary(t *testing.T) {
	dir := t.TempDir()
	o, err := runInto(t, fixture.Small(), dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	var nPos, nNeg int
	for _, y := range o.Test.Y {
		if y > 0 {
			nPos++
		} else {
			nNeg++
		}
	}
	if nPos == 0 || nNeg == 0 {
		t.Fatalf("test set has %d / %d examples per class; the check needs both", nPos, nNeg)
	}
	var s Summary
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "summary.json")), &s); err != nil {
		t.Fatal(err)
	}
	check := func(what string, all float64, pos, neg *float64, w []float64) {
		t.Helper()
		if pos == nil || neg == nil {
			t.Fatalf("%s: per-class test errors missing", what)
		}
		cc := o.Config.CNN().ClassErrors(w, o.Test)
		if *pos != float64(cc.Pos)/float64(nPos) || *neg != float64(cc.Neg)/float64(nNeg) {
			t.Errorf("%s: test error by class %g / %g, recount %d/%d, %d/%d", what, *pos, *neg, cc.Pos, nPos, cc.Neg, nNeg)
		}
		if got := (*pos*float64(nPos) + *neg*float64(nNeg)) / float64(nPos+nNeg); math.Abs(got-all) > 1e-12 {
			t.Errorf("%s: per-class errors recombine to %g, test error %g", what, got, all)
		}
	}
	// The iterates are those of weights.npz: the last (W_<optimizer>) and
	// the min-gradient one (W_best_<optimizer>).
	npz := readFile(t, filepath.Join(dir, "weights.npz"))
	iterate := func(name string) []float64 {
		t.Helper()
		w, err := o.Config.CNN().ReadNPZ(bytes.NewReader(npz), int64(len(npz)), name)
		if err != nil {
			t.Fatalf("weights.npz: %v", err)
		}
		return w
	}
	for i, r := range s.Runs {
		last, best := iterate("W_"+r.Optimizer), iterate("W_best_"+r.Optimizer)
		if !slices.Equal(last, o.Results[i].W) || !slices.Equal(best, o.Results[i].Best.W) {
			t.Errorf("%s: weights.npz's iterates are not the run's", r.Optimizer)
		}
		check(r.Optimizer+" last", *r.TestError, r.TestErrorPos, r.TestErrorNeg, last)
		check(r.Optimizer+" best", r.Best.TestError, r.Best.TestErrorPos, r.Best.TestErrorNeg, best)
	}
	if !strings.Contains(string(readFile(t, filepath.Join(dir, "table1.md"))), "| Test error on class +1 / −1 (last iterate) |") {
		t.Errorf("table1.md has no per-class row")
	}
}
