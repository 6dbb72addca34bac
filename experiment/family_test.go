package experiment

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/fixture"
)

// TestFamilyRun: a gaussian-noise run with label noise reports the flips,
// the SNR and test_error_clean; the clean-label error is the errors of
// the same weights on the clean test labels.
func TestFamilyRun(t *testing.T) {
	c := fixture.Small()
	c.Noise, c.SignalNorm, c.LabelNoise = "gaussian", 3, 0.2
	dir := t.TempDir()
	o, err := runInto(t, c, dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	if o.Train.Flipped() == 0 || o.Test.Flipped() == 0 {
		t.Fatalf("p=0.2: %d training and %d test labels flipped", o.Train.Flipped(), o.Test.Flipped())
	}
	var s Summary
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "summary.json")), &s); err != nil {
		t.Fatal(err)
	}
	d := s.Data
	if d == nil || d.Noise != "gaussian" || d.SignalNorm != 3 || d.TrainFlipped != o.Train.Flipped() || d.TestFlipped != o.Test.Flipped() {
		t.Fatalf("summary data = %+v", d)
	}
	if want := 3 / (c.SigmaP * math.Sqrt(float64(c.D))); math.Abs(d.SNR-want) > 1e-12*want {
		t.Errorf("snr = %v, want %v", d.SNR, want)
	}
	cnn := c.CNN()
	clean := o.Test.WithCleanLabels()
	for i, r := range s.Runs {
		res := o.Results[i]
		want := float64(cnn.Errors(res.W, clean)) / float64(clean.N())
		noisy := float64(cnn.Errors(res.W, o.Test)) / float64(o.Test.N())
		if r.TestErrorClean == nil || *r.TestErrorClean != want {
			t.Errorf("%s: test_error_clean = %v, want %v", r.Optimizer, r.TestErrorClean, want)
		}
		if r.TestError == nil || *r.TestError != noisy {
			t.Errorf("%s: test_error = %v, want %v (the noisy labels)", r.Optimizer, r.TestError, noisy)
		}
	}
	// The written data.npz keeps the clean labels beside the noisy ones.
	tr, err := loadSet(filepath.Join(dir, "data.npz"))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Flipped() != o.Train.Flipped() {
		t.Errorf("data.npz: %d flipped labels, the run had %d", tr.Flipped(), o.Train.Flipped())
	}
}

func loadSet(path string) (*data.Set, error) {
	tr, _, err := loadData(path, math.MaxInt64)
	return tr, err
}

// testSetFiles writes ten training examples of the gaussian-noise model to
// a data file with a test set of 30 (with) and to one without (without).
func testSetFiles(t *testing.T) (with, without string) {
	t.Helper()
	root := t.TempDir()
	pm := data.PatchModel{D: 40, SigmaP: 0.4, Noise: data.Gaussian, SignalNorm: 2}
	tr, err := pm.Train(10, RNG(9, 1))
	if err != nil {
		t.Fatal(err)
	}
	te, err := pm.Test(30, RNG(9, 2))
	if err != nil {
		t.Fatal(err)
	}
	with, without = filepath.Join(root, "with.npz"), filepath.Join(root, "without.npz")
	if err := tr.SaveNPZ(without); err != nil {
		t.Fatal(err)
	}
	if err := saveSets(with, tr, te); err != nil {
		t.Fatal(err)
	}
	return with, without
}

// TestDataFromTestSet: a data file with a test set is tested on (its size
// replaces test_size) and travels with the run folder; one without says
// that the test set was drawn from the configured model, naming it.
func TestDataFromTestSet(t *testing.T) {
	with, without := testSetFiles(t)
	for _, c := range []struct {
		file, want string
		size       int
		drawn      bool
	}{
		{with, "data_from " + with, 30, false},
		{without, "drawn from the configured model (noise=sparse d=40 s=6 sigma_p=0.1 alpha=0.2 signal_norm=1 label_noise=0, test_size=200", 200, true},
	} {
		cfg := fixture.Small()
		cfg.DataFrom, cfg.N, cfg.D = c.file, 0, 0
		dir := c.file + ".run"
		o, err := runInto(t, cfg, dir, 1)
		if err != nil {
			t.Fatal(err)
		}
		if o.Test.N() != c.size || o.Config.TestSize != c.size || o.TestDrawn() != c.drawn {
			t.Errorf("%s: test set of %d (test_size %d, drawn %v), want %d, drawn %v", c.file, o.Test.N(), o.Config.TestSize, o.TestDrawn(), c.size, c.drawn)
		}
		if !c.drawn {
			if _, got, _ := loadData(c.file, math.MaxInt64); got == nil || !slices.Equal(o.Test.Val, got.Val) {
				t.Errorf("%s: the run did not test on the file's test set", c.file)
			}
		}
		summary := string(readFile(t, filepath.Join(dir, "summary.json")))
		if !strings.Contains(summary, c.want) {
			t.Errorf("%s: summary.json lacks %q:\n%s", c.file, c.want, summary)
		}
		// data names the file as the training set; the configured model's
		// noise, ‖μ‖ and SNR describe a drawn test set, and nothing when
		// the file held both sets.
		var s struct{ Data map[string]any }
		if err := json.Unmarshal([]byte(summary), &s); err != nil {
			t.Fatal(err)
		}
		if got := s.Data["train_set"]; got != "data_from "+c.file {
			t.Errorf("%s: data.train_set = %v, want data_from %s", c.file, got, c.file)
		}
		for _, k := range []string{"noise", "signal_norm", "snr", "label_noise"} {
			if _, ok := s.Data[k]; ok != c.drawn {
				t.Errorf("%s: data.%s present: %v, want %v (the file's test set: %v)", c.file, k, ok, c.drawn, !c.drawn)
			}
		}
		_, test, err := loadData(filepath.Join(dir, "data.npz"), math.MaxInt64)
		if err != nil {
			t.Fatal(err)
		}
		if (test != nil) == c.drawn {
			t.Errorf("%s: the run folder's data.npz has a test set: %v, want %v", c.file, test != nil, !c.drawn)
		}
	}
}

// TestDataFromTestSetUnusedKeys: with a data file that holds a test set,
// the keys that only shape a drawn test set (noise, signal_norm,
// label_noise) are refused, naming the key, its value and what is allowed;
// without one they shape the drawn test set and are taken.
func TestDataFromTestSetUnusedKeys(t *testing.T) {
	with, without := testSetFiles(t)
	for _, c := range []struct {
		set  func(*config.Config)
		want string
	}{
		{func(c *config.Config) { c.Noise = "gaussian" }, "noise=gaussian has no effect: data_from " + with + " holds its own training and test sets"},
		{func(c *config.Config) { c.SignalNorm = 3 }, "signal_norm=3 has no effect"},
		{func(c *config.Config) { c.LabelNoise = 0.1 }, "label_noise=0.1 has no effect"},
	} {
		for _, file := range []string{with, without} {
			cfg := fixture.Small()
			cfg.DataFrom, cfg.N, cfg.D = file, 0, 0
			c.set(&cfg)
			_, err := Prepare(cfg)
			if file == with && (err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "allowed: unset")) {
				t.Errorf("%s: Prepare = %v, want an error containing %q", c.want, err, c.want)
			}
			if file == without && err != nil {
				t.Errorf("without a test set in the file: %v", err)
			}
		}
	}
}

func saveSets(path string, tr, te *data.Set) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := data.WriteNPZSets(f, data.LayoutAuto, tr, te); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// TestDataFromLargeS: an s above the file's d-1 is refused with the
// reason that holds: with a drawn test set s shapes it; with the file's
// test set s is not used, and the message says so (it claimed "used for
// the test set").
func TestDataFromLargeS(t *testing.T) {
	with, without := testSetFiles(t)
	for file, want := range map[string]string{
		with:    "s is not used with the file's test set, but the run's config.yaml must be valid: give s=39 or less",
		without: "used for the test set",
	} {
		cfg := fixture.Small()
		cfg.DataFrom, cfg.N, cfg.D, cfg.S = file, 0, 0, 50
		_, err := Prepare(cfg)
		if err == nil || !strings.Contains(err.Error(), "s=50 must be at most d-1=39") || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Prepare = %v; want s=50 refused with %q", file, err, want)
		}
	}
}
