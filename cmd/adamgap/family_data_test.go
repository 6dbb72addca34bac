package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRunFamilyData: the family's data keys work from the command line;
// a --data-from run without a test set in the file says the test set was
// drawn from the configured model, naming it, in its output and
// summary.json; bad values name the key.
func TestRunFamilyData(t *testing.T) {
	root := t.TempDir()
	a := filepath.Join(root, "a")
	out, _, err, _ := invoke(t, args("--noise", "gaussian", "--signal-norm", "2", "--label-noise", "0.2", "--out", a)...)
	if err != nil {
		t.Fatal(err)
	}
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
	out, _, err, _ = invoke(t, "run", "--optimizer", "gd", "--steps", "5", "--test-size", "50", "--s", "10", "--data-from", filepath.Join(a, "data.npz"), "--out", b)
	if err != nil {
		t.Fatal(err)
	}
	want := "the test set was drawn from the configured model (noise=sparse d=100 s=10 "
	if !strings.Contains(out, want) {
		t.Errorf("a --data-from run without a test set does not say %q:\n%s", want, out)
	}
	if !strings.Contains(string(read(t, filepath.Join(b, "summary.json"))), "drawn from the configured model") {
		t.Error("summary.json does not say where the test set came from")
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
