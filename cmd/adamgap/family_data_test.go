package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/experiment"
)

// TestRunFamilyData: the family's data keys work from the command line;
// a --data-from run without a test set in the file says the test set was
// drawn from the configured model, naming it, in its output and
// summary.json; bad values name the key.
func TestRunFamilyData(t *testing.T) {
	root := t.TempDir()
	a := filepath.Join(root, "a")
	out := mustInvoke(t, args("--noise", "gaussian", "--signal-norm", "2", "--label-noise", "0.2", "--out", a)...)
	for _, want := range []string{"noise=gaussian", "‖μ‖=2", "SNR=‖μ‖/(σp·√d)=2", "training labels flipped", "on the clean labels"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{`"noise": "gaussian"`, `"test_error_clean"`, `"train_flipped"`} {
		if !strings.Contains(string(read(t, filepath.Join(a, "summary.json"))), want) {
			t.Errorf("summary.json lacks %q", want)
		}
	}
	b := filepath.Join(root, "b")
	out = mustInvoke(t, "run", "--optimizer", "gd", "--steps", "5", "--test-size", "50", "--s", "10", "--data-from", filepath.Join(a, "data.npz"), "--out", b)
	want := "the test set was drawn from the configured model (noise=sparse d=100 s=10 "
	if !strings.Contains(out, want) {
		t.Errorf("a --data-from run without a test set does not say %q:\n%s", want, out)
	}
	if !strings.Contains(string(read(t, filepath.Join(b, "summary.json"))), "drawn from the configured model") {
		t.Error("summary.json does not say where the test set came from")
	}
	if want := "Data: training set from " + filepath.Join(a, "data.npz") + "; test set drawn with noise=sparse"; !strings.Contains(out, want) {
		t.Errorf("a --data-from run without a test set does not say %q:\n%s", want, out)
	}
	// A file with both sets: the data line names the file, not the
	// configured model, and the keys that would only shape a drawn test
	// set are refused.
	both := bothSetsFile(t, root)
	out = mustInvoke(t, "run", "--optimizer", "gd", "--steps", "5", "--s", "10", "--data-from", both, "--out", filepath.Join(root, "c"))
	if want := "Data: training and test sets from " + both + "\n"; !strings.Contains(out, want) || strings.Contains(out, "SNR") {
		t.Errorf("a --data-from run with a test set does not say %q (and no SNR):\n%s", want, out)
	}
	_, stderr, err, _ := invoke(t, "run", "--optimizer", "gd", "--steps", "5", "--s", "10", "--data-from", both, "--label-noise", "0.1", "--out", filepath.Join(root, "d"))
	if err == nil || !strings.Contains(stderr+err.Error(), "label_noise=0.1 has no effect") {
		t.Errorf("--label-noise with a file's test set: err=%v stderr=%q", err, stderr)
	}
	for _, c := range []struct{ flag, value, want string }{
		{"--noise", "dense", "noise"},
		{"--label-noise", "0.5", "label_noise=0.5"},
		{"--signal-norm", "-1", "signal_norm=-1"},
	} {
		_, stderr, err, _ := invoke(t, args(c.flag, c.value, "--out", filepath.Join(root, "bad"))...)
		if err == nil || !strings.Contains(stderr+err.Error(), c.want) {
			t.Errorf("%s %s: err=%v stderr=%q, want it to name %q", c.flag, c.value, err, stderr, c.want)
		}
	}
}

// TestReproduceFamilyRefused: the family's reproduce subcommands refuse
// bad options, naming the flag and what is allowed, before training
// anything: an explicitly empty grid is not the default grid.
func TestReproduceFamilyRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"benign", "--snrs", ""}, `--snrs="": give at least one value`},
		{[]string{"benign", "--ns", " "}, `--ns=" ": give at least one training size`},
		{[]string{"labelflip", "--mus", ""}, `--mus="": give at least one value`},
		{[]string{"family", "--p", "0.5"}, "--p=0.5 must be in (0, 0.5)"},
		{[]string{"family", "--p", "NaN"}, "--p=NaN must be in (0, 0.5)"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		_, stderr, err, code := invoke(t, append(append([]string{"reproduce"}, c.args...), "--out", out)...)
		if err == nil || !strings.Contains(stderr+err.Error(), c.want) || code != 2 {
			t.Errorf("%v: err=%v (exit %d) stderr=%q, want %q", c.args, err, code, stderr, c.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: a refused run left %s", c.args, out)
		}
	}
}

// TestReproduceFamilyOwnOut: an --out folder that holds a run's files or
// another experiment's is refused before anything is trained, naming what
// it holds; the experiment's own folder is taken (a rerun replaces it).
func TestReproduceFamilyOwnOut(t *testing.T) {
	root := t.TempDir()
	run := filepath.Join(root, "run")
	os.MkdirAll(run, 0o755)
	os.WriteFile(filepath.Join(run, "config.yaml"), []byte("d: 100\n"), 0o644)
	other := filepath.Join(root, "other")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "labelflip.json"), []byte("{}"), 0o644)
	file := filepath.Join(root, "file")
	os.WriteFile(file, nil, 0o644)
	for _, c := range []struct {
		name, out, want string
	}{
		{"benign", run, "holds other files (config.yaml), not only benign's"},
		{"family", run, "holds other files (config.yaml), not only family's"},
		{"benign", other, "holds other files (labelflip.json)"},
		{"labelflip", file, "is a file, not a folder"},
	} {
		_, stderr, err, code := invoke(t, "reproduce", c.name, "--quick", "--out", c.out)
		if err == nil || !strings.Contains(stderr+err.Error(), c.want) || code != 2 {
			t.Errorf("%s --out %s: err=%v (exit %d), want %q", c.name, c.out, err, code, c.want)
		}
	}
	if b := read(t, filepath.Join(other, "labelflip.json")); string(b) != "{}" {
		t.Errorf("a refused run changed labelflip.json: %q", b)
	}
	// The experiment's own folder passes the check (and a bad option
	// then stops it before training).
	_, stderr, err, _ := invoke(t, "reproduce", "labelflip", "--p", "0.7", "--out", other)
	if err == nil || !strings.Contains(stderr+err.Error(), "--p=0.7") {
		t.Errorf("labelflip into its own folder: err=%v, want the --p refusal", err)
	}
}

// bothSetsFile writes root/both.npz, a data file that holds a training set
// (d=40, n=10) and its own test set of 30 examples, and returns its path.
func bothSetsFile(t *testing.T, root string) string {
	t.Helper()
	pm := data.PatchModel{D: 40, SigmaP: 0.4, Noise: data.Gaussian, SignalNorm: 2}
	tr, err := pm.Train(10, experiment.RNG(9, 1))
	if err != nil {
		t.Fatal(err)
	}
	te, err := pm.Test(30, experiment.RNG(9, 2))
	if err != nil {
		t.Fatal(err)
	}
	both := filepath.Join(root, "both.npz")
	f, err := os.Create(both)
	if err != nil {
		t.Fatal(err)
	}
	if err := data.WriteNPZSets(f, data.LayoutAuto, tr, te); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return both
}

// TestFileSetsUnusedKeys: with a data file that holds its own test set,
// s, sigma_p and alpha shape nothing; a value other than the paper's draws
// a note naming them (not a refusal: every config.yaml records them), the
// "training" line describes the file's data instead of s, and check's data
// line says the configured model's knobs were not measured from the file.
func TestFileSetsUnusedKeys(t *testing.T) {
	root := t.TempDir()
	both := bothSetsFile(t, root)
	_, stderr, err, _ := invoke(t, "run", "--optimizer", "gd", "--steps", "5", "--s", "10", "--sigma-p", "0.3", "--alpha", "0.1", "--data-from", both, "--out", filepath.Join(root, "a"))
	if err != nil {
		t.Fatal(err, stderr)
	}
	for _, want := range []string{"note: s=10, sigma_p=0.3, alpha=0.1 not used: data_from " + both, "(d=40, n=10 from " + both + ", with its test set of 30, m=20)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "s=10, m=") {
		t.Errorf("the training line names s, which shapes nothing here:\n%s", stderr)
	}
	stdout := mustInvoke(t, "check", "--s", "10", "--data-from", both)
	if want := "data: from " + both + " (d and n are the file's"; !strings.Contains(stdout, want) || strings.Contains(stdout, "SNR=") {
		t.Errorf("check's data line does not say %q (and no SNR):\n%s", want, stdout)
	}
}
