package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/adamgap/adamgap/internal/testenv"
)

// invoke runs the command line in-process, as main does, and returns
// stdout, stderr, the error and the exit code main would use.
func invoke(t *testing.T, args ...string) (stdout, stderr string, err error, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("adamgap %s panicked: %v", strings.Join(args, " "), p)
		}
	}()
	err = run(context.Background(), args, &out, &errb)
	code = exitCode(context.Background(), err, &errb)
	return out.String(), errb.String(), err, code
}

// mustInvoke is invoke for a command that must succeed: it fails the test
// with the command's standard error otherwise, and returns its standard
// output.
func mustInvoke(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, err, _ := invoke(t, args...)
	if err != nil {
		t.Fatalf("adamgap %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return stdout
}

// smallRun are the flags of the run the issue names: GD, 50 steps, d=100,
// n=20, s=10, 200 test examples (m and the rest at the paper's values).
var smallRun = []string{"run", "--optimizer", "gd", "--steps", "50", "--d", "100", "--n", "20", "--s", "10", "--test-size", "200"}

func args(extra ...string) []string { return append(slices.Clone(smallRun), extra...) }

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// npzHeaders returns the dtype and shape of every array of an NPZ file,
// keyed by array name (a ".npy" suffix removed).
func npzHeaders(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	zr, err := npz.NewReader(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range zr.Keys() {
		h := zr.Header(k)
		if h == nil {
			t.Fatalf("%s: array %s has no readable header", path, k)
		}
		out[strings.TrimSuffix(k, ".npy")] = strings.Trim(h.Descr.Type, `'"`) + " " + shape(h.Descr.Shape)
	}
	return out
}

// shape writes a shape as "(2,20,100)".
func shape(s []int) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = strconv.Itoa(v)
	}
	return "(" + strings.Join(parts, ",") + ")"
}

func TestRunWritesOutputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	stdout, stderr, err, code := invoke(t, args("--out", dir)...)
	if err != nil || code != 0 {
		t.Fatalf("run: %v (exit %d)\n%s", err, code, stderr)
	}
	if !strings.Contains(stdout, "gd") || !strings.Contains(stdout, dir) {
		t.Errorf("stdout should hold the table and the folder:\n%s", stdout)
	}
	for _, name := range []string{"config.yaml", "data.npz", "metrics.csv", "summary.json", "weights.npz", "table1.md", "figure2.png", "figure2.svg"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", name, err)
		}
	}

	// metrics.csv: the documented columns in order (later issues may only
	// append columns), one row per logged step: 0 and T=50 at log_every 100.
	rows, err := csv.NewReader(bytes.NewReader(read(t, filepath.Join(dir, "metrics.csv")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"optimizer", "step", "loss", "train_error", "test_error", "feature_pos", "feature_neg",
		"noise_min_pos", "noise_min_neg", "noise_max_pos", "noise_max_neg", "grad_l1", "grad_l2sq"}
	if len(rows[0]) < len(header) || !slices.Equal(rows[0][:len(header)], header) {
		t.Errorf("metrics.csv header %v, want it to start with %v", rows[0], header)
	}
	if len(rows) != 3 || rows[1][0] != "gd" || rows[1][1] != "0" || rows[2][1] != "50" {
		t.Errorf("metrics.csv rows %v, want gd at steps 0 and 50", rows[1:])
	} else if rows[1][4] == "" || rows[2][4] == "" {
		// Step 0 is a multiple of test_every (1000) and T is always tested.
		t.Errorf("test_error %q at step 0 and %q at step 50; want both evaluated", rows[1][4], rows[2][4])
	}

	// summary.json.
	var sum struct {
		Runs []map[string]json.RawMessage `json:"runs"`
	}
	if err := json.Unmarshal(read(t, filepath.Join(dir, "summary.json")), &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Runs) != 1 {
		t.Fatalf("summary.json has %d runs, want 1", len(sum.Runs))
	}
	for _, k := range []string{"optimizer", "train_error", "test_error", "final_loss", "best", "seconds"} {
		if _, ok := sum.Runs[0][k]; !ok {
			t.Errorf("summary.json run lacks %q: %v", k, sum.Runs[0])
		}
	}
	if string(sum.Runs[0]["optimizer"]) != `"gd"` {
		t.Errorf("summary.json optimizer %s", sum.Runs[0]["optimizer"])
	}
	var best map[string]json.RawMessage
	if err := json.Unmarshal(sum.Runs[0]["best"], &best); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"step", "grad_norm", "train_error", "test_error"} {
		if _, ok := best[k]; !ok {
			t.Errorf("summary.json best lacks %q: %v", k, best)
		}
	}

	// weights.npz and data.npz layouts (m = 20, the paper's).
	if got, want := npzHeaders(t, filepath.Join(dir, "weights.npz")), map[string]string{"W0": "<f8 (2,20,100)", "W_gd": "<f8 (2,20,100)", "W_best_gd": "<f8 (2,20,100)"}; !mapsEqual(got, want) {
		t.Errorf("weights.npz arrays %v, want %v", got, want)
	}
	if got, want := npzHeaders(t, filepath.Join(dir, "data.npz")), map[string]string{
		"X_train": "<f8 (20,2,100)", "y_train": "<i8 (20)", "feature": "<f8 (100)", "noise_index": "<i8 (20,11)", "noise_value": "<f8 (20,11)",
	}; !mapsEqual(got, want) {
		t.Errorf("data.npz arrays %v, want %v", got, want)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestRerunAndReplay: --config DIR/config.yaml, and --data-from/--init-from
// with the files of a run, reproduce its metrics.csv byte for byte.
func TestRerunAndReplay(t *testing.T) {
	root := t.TempDir()
	a := filepath.Join(root, "a")
	mustInvoke(t, args("--out", a, "--log-every", "10", "--test-every", "20")...)
	want := read(t, filepath.Join(a, "metrics.csv"))
	cases := map[string][]string{
		"config":  {"run", "--config", filepath.Join(a, "config.yaml")},
		"replay":  args("--log-every", "10", "--test-every", "20", "--data-from", filepath.Join(a, "data.npz"), "--init-from", filepath.Join(a, "weights.npz")),
		"jobs 2":  {"run", "--config", filepath.Join(a, "config.yaml"), "--jobs", "2"},
		"no flag": args("--log-every", "10", "--test-every", "20"),
	}
	for name, argv := range cases {
		dir := filepath.Join(root, strings.ReplaceAll(name, " ", "_"))
		if _, stderr, err, _ := invoke(t, append(argv, "--out", dir)...); err != nil {
			t.Errorf("%s: %v\n%s", name, err, stderr)
			continue
		}
		if got := read(t, filepath.Join(dir, "metrics.csv")); !bytes.Equal(got, want) {
			t.Errorf("%s: metrics.csv differs from the first run's", name)
		}
	}
	// A flag overrides the config file.
	dir := filepath.Join(root, "seed")
	mustInvoke(t, "run", "--config", filepath.Join(a, "config.yaml"), "--seed", "5", "--out", dir)
	if bytes.Equal(read(t, filepath.Join(dir, "metrics.csv")), want) {
		t.Errorf("--seed 5 over the config file changed nothing")
	}
	if !bytes.Contains(read(t, filepath.Join(dir, "config.yaml")), []byte("seed: 5")) {
		t.Errorf("config.yaml of the overridden run does not record seed: 5")
	}
}

// TestReplayNumPyFiles: data and W0 saved by NumPy's np.savez (entries
// named X_train.npy, W0.npy) replay like the files adamgap wrote.
func TestReplayNumPyFiles(t *testing.T) {
	testenv.NeedPython(t, "numpy")
	root := t.TempDir()
	a := filepath.Join(root, "a")
	mustInvoke(t, args("--out", a)...)
	script := `import numpy as np, sys
a = sys.argv[1]
d = np.load(a + "/data.npz"); w = np.load(a + "/weights.npz")
np.savez(a + "/np_data.npz", X_train=d["X_train"], y_train=d["y_train"])
np.savez(a + "/np_w0.npz", W0=w["W0"])`
	testenv.RunPython(t, nil, "-c", script, a)
	b := filepath.Join(root, "b")
	_, stderr, err, _ := invoke(t, args("--data-from", filepath.Join(a, "np_data.npz"), "--init-from", filepath.Join(a, "np_w0.npz"), "--out", b)...)
	if err != nil {
		t.Fatalf("replay of np.savez files: %v\n%s", err, stderr)
	}
	if !bytes.Equal(read(t, filepath.Join(a, "metrics.csv")), read(t, filepath.Join(b, "metrics.csv"))) {
		t.Errorf("replay of np.savez files gave a different metrics.csv")
	}
}

// TestBadInput: every kind of bad input gives an error naming the field and
// value and a non-zero exit, never a panic.
func TestBadInput(t *testing.T) {
	root := t.TempDir()
	good := filepath.Join(root, "good")
	mustInvoke(t, args("--out", good)...)
	write := func(name, text string) string {
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	garbage := write("garbage.npz", "this is not an npz file")
	malformed := write("malformed.yaml", "d: [100,\n")
	unknownKey := write("unknown.yaml", "d: 100\nbogus: 1\n")
	fraction := write("fraction.yaml", "n: 20.5\n")
	npzFile := func(name string, x [][][]float64, y []int64) string {
		var buf bytes.Buffer
		zw := npz.NewWriter(&buf)
		if err := zw.Write("X_train", x); err != nil {
			t.Fatal(err)
		}
		if err := zw.Write("y_train", y); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return write(name, buf.String())
	}
	examples := func(n, patches, d int) [][][]float64 {
		x := make([][][]float64, n)
		for i := range x {
			x[i] = make([][]float64, patches)
			for p := range x[i] {
				x[i][p] = make([]float64, d)
				x[i][p][0] = 1
			}
		}
		return x
	}
	threePatches := npzFile("three.npz", examples(4, 3, 30), []int64{1, 1, -1, -1})
	oddN := npzFile("odd.npz", examples(3, 2, 30), []int64{1, -1, 1})
	badLabels := npzFile("labels.npz", examples(4, 2, 30), []int64{1, 0, -1, -1})
	out := filepath.Join(root, "out")
	tests := []struct {
		name string
		argv []string
		want []string
		code int // expected exit code (2: usage, a value out of range, a file whose content is malformed; 1: a file that cannot be read); 0 means "any non-zero"
	}{
		{"s > d-1", args("--s", "100"), []string{"s=100", "d-1=99"}, 2},
		{"odd n", args("--n", "21"), []string{"n=21", "even"}, 2},
		{"sigma_p zero", args("--sigma-p", "0"), []string{"sigma_p=0", "> 0"}, 2},
		{"sigma_p negative", args("--sigma-p", "-0.5"), []string{"sigma_p=-0.5"}, 2},
		{"q zero", args("--q", "0"), []string{"q=0", ">= 1"}, 2},
		{"negative lambda", args("--lambda", "-1e-3"), []string{"lambda=-0.001", ">= 0"}, 2},
		{"alpha NaN", args("--alpha", "NaN"), []string{"alpha=NaN"}, 2},
		{"sigma0 NaN", args("--sigma0", "nan"), []string{"sigma0=NaN"}, 2},
		{"lr NaN", args("--lr", "NaN"), []string{"lr=NaN"}, 2},
		{"lr negative", args("--lr", "-1"), []string{"lr=-1"}, 2},
		{"unknown optimizer", []string{"run", "--optimizer", "adamx"}, []string{`"adamx" is unknown`, "adam", "gd"}, 2},
		{"parameter not used", args("--beta1", "0.5"), []string{"beta1", "gd"}, 2},
		{"lr with two optimizers", []string{"run", "--optimizer", "adam,gd", "--lr", "0.1"}, []string{"--lr", "one optimizer"}, 2},
		{"missing out", smallRun, []string{"--out"}, 2},
		{"unknown flag", args("--bogus", "1"), []string{"bogus"}, 2},
		{"bad number", args("--d", "many"), []string{"many"}, 2},
		{"missing data", args("--data-from", filepath.Join(root, "nope.npz")), []string{"data_from", "nope.npz"}, 1},
		{"garbage data", args("--data-from", garbage), []string{"data_from", "not a readable NPZ"}, 2},
		{"weights as data", args("--data-from", filepath.Join(good, "weights.npz")), []string{"X_train is missing"}, 2},
		{"data of the wrong shape", args("--data-from", threePatches), []string{"data_from", "X_train has shape [4 3 30]"}, 2},
		{"data with odd n", args("--data-from", oddN), []string{"data_from", "n=3"}, 2},
		{"data with label 0", args("--data-from", badLabels), []string{"data_from", "y_train[1]=0"}, 2},
		{"missing init", args("--init-from", filepath.Join(root, "nope.npz")), []string{"init_from", "nope.npz"}, 1},
		{"garbage init", args("--init-from", garbage), []string{"init_from", "not a readable NPZ"}, 2},
		{"init of the wrong shape", args("--init-from", filepath.Join(good, "weights.npz"), "--m", "5"), []string{"init_from", "W0", "shape"}, 2},
		{"init of the wrong d", args("--init-from", filepath.Join(good, "weights.npz"), "--d", "50", "--s", "5"), []string{"W0", "shape"}, 2},
		{"missing config", []string{"run", "--config", filepath.Join(root, "nope.yaml")}, []string{"nope.yaml"}, 1},
		{"malformed config", []string{"run", "--config", malformed}, []string{"malformed.yaml", "yaml"}, 2},
		{"unknown key", []string{"run", "--config", unknownKey}, []string{"bogus"}, 2},
		{"fractional n", []string{"run", "--config", fraction}, []string{"n=20.5", "whole number"}, 2},
		{"dtype unknown", args("--dtype", "float16"), []string{`dtype="float16"`, "float64 or float32"}, 2},
		{"dtype empty", args("--dtype", ""), []string{"--dtype is empty", "float64 or float32"}, 2},
		{"test labels blank", args("--test-labels", " "), []string{"--test-labels is empty"}, 2},
		{"dtype float32 with sgd", []string{"run", "--optimizer", "sgd", "--dtype", "float32"}, []string{`optimizer="sgd" has no float32 form`, "adam, gd"}, 2},
		{"data layout unknown", args("--data-layout", "csr"), []string{`data_layout="csr"`, "auto, dense, sparse"}, 2},
		{"unknown command", []string{"trian"}, []string{"trian"}, 2},
		{"reproduce bad arg", []string{"reproduce", "table2"}, []string{"table2"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			argv := tt.argv
			if tt.name != "missing out" {
				argv = append(slices.Clone(argv), "--out", out)
			}
			_, stderr, err, code := invoke(t, argv...)
			if err == nil {
				t.Fatalf("adamgap %s: accepted", strings.Join(argv, " "))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if code == 0 || (tt.code != 0 && code != tt.code) {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			if !strings.Contains(stderr, "adamgap: ") {
				t.Errorf("stderr %q does not show the error", stderr)
			}
			// Every usage error, a malformed file's too, says what to try.
			if code == 2 && !strings.Contains(stderr, "Try: adamgap ") {
				t.Errorf("exit 2 without a Try: hint: %q", stderr)
			}
		})
	}
}

// TestHelpEverywhere: --help works on every command and shows an example.
func TestHelpEverywhere(t *testing.T) {
	seen := map[string]bool{}
	var visit func(path []string)
	visit = func(path []string) {
		key := strings.Join(path, " ")
		if seen[key] {
			return
		}
		seen[key] = true
		stdout, _, err, code := invoke(t, append(slices.Clone(path), "--help")...)
		if err != nil || code != 0 {
			t.Errorf("adamgap %s --help: %v (exit %d)", key, err, code)
			return
		}
		if !strings.Contains(stdout, "Examples:") || !strings.Contains(stdout, "adamgap ") {
			t.Errorf("adamgap %s --help shows no example:\n%s", key, stdout)
		}
		for _, sub := range subcommands(stdout) {
			if sub == "help" || sub == "completion" { // cobra's own
				continue
			}
			visit(append(slices.Clone(path), sub))
		}
	}
	visit(nil)
	for _, want := range []string{"run", "reproduce"} {
		if !seen[want] {
			t.Errorf("the root help does not list %q", want)
		}
	}
}

// subcommands returns the names listed under "Available Commands:" (or
// "Additional Commands:") in a cobra help text.
func subcommands(help string) []string {
	var names []string
	in := false
	for _, line := range strings.Split(help, "\n") {
		switch {
		case strings.HasSuffix(line, "Commands:"):
			in = true
		case in && strings.HasPrefix(line, "  ") && len(strings.Fields(line)) > 0:
			names = append(names, strings.Fields(line)[0])
		default:
			in = false
		}
	}
	return names
}

// TestSaveBatches: run --save-batches writes the batch of every step as an
// int32 (steps, B) NPY file; a full-batch run refuses the flag.
func TestSaveBatches(t *testing.T) {
	dir := t.TempDir()
	mustInvoke(t, append(args("--batch-size", "6", "--save-batches"), "--out", dir)...)
	b := read(t, filepath.Join(dir, "batches.npy"))
	if !strings.Contains(string(b[:128]), "'descr': '<i4'") || !strings.Contains(string(b[:128]), "'shape': (50, 6)") {
		t.Errorf("batches.npy header %q", b[:128])
	}
	if _, _, err, code := invoke(t, append(args("--save-batches"), "--out", t.TempDir())...); err == nil || code != 2 || !strings.Contains(err.Error(), "--save-batches needs a mini-batch run") {
		t.Errorf("full batch with --save-batches: err %v, exit %d", err, code)
	}
}

// TestRunFloat32: --dtype float32 trains, records dtype in config.yaml and
// writes float64 weights; --data-layout sparse leaves X_train out of
// data.npz, and the run replays from it.
func TestRunFloat32(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	mustInvoke(t, args("--dtype", "float32", "--data-layout", "sparse", "--optimizer", "adam,gd", "--out", a)...)
	cfg := string(read(t, filepath.Join(a, "config.yaml")))
	if !strings.Contains(cfg, "dtype: float32") || !strings.Contains(cfg, "data_layout: sparse") {
		t.Errorf("config.yaml lacks dtype/data_layout:\n%s", cfg)
	}
	if got := npzHeaders(t, filepath.Join(a, "weights.npz")); got["W_adam"] != "<f8 (2,20,100)" {
		t.Errorf("weights.npz arrays %v, want W_adam float64", got)
	}
	if _, ok := npzHeaders(t, filepath.Join(a, "data.npz"))["X_train"]; ok {
		t.Errorf("data.npz has X_train with --data-layout sparse")
	}
	b := filepath.Join(dir, "b")
	mustInvoke(t, "run", "--config", filepath.Join(a, "config.yaml"), "--data-from", filepath.Join(a, "data.npz"), "--init-from", filepath.Join(a, "weights.npz"), "--out", b)
	if !bytes.Equal(read(t, filepath.Join(a, "metrics.csv")), read(t, filepath.Join(b, "metrics.csv"))) {
		t.Errorf("the float32 replay wrote a different metrics.csv")
	}
}

// TestRerunRelativeDataFrom: a run made from a configuration file with a
// relative data_from, named by a relative path, writes a config.yaml that
// "adamgap run --config" re-runs from any folder (issue 20: it kept
// "r1/cao.npz" and failed with "no such file or directory").
func TestRerunRelativeDataFrom(t *testing.T) {
	root := t.TempDir()
	r1 := filepath.Join(root, "r1")
	mustInvoke(t, args("--out", r1)...)
	if err := os.Rename(filepath.Join(r1, "data.npz"), filepath.Join(r1, "cao.npz")); err != nil {
		t.Fatal(err)
	}
	cfg := "data_from: cao.npz\ns: 10\noptimizers: [{name: gd}]\nsteps: 20\ntest_size: 100\n"
	if err := os.WriteFile(filepath.Join(r1, "replay.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	mustInvoke(t, "run", "--config", filepath.Join("r1", "replay.yaml"), "--out", "r2")
	written := string(read(t, filepath.Join(root, "r2", "config.yaml")))
	if want := "data_from: " + filepath.Join(root, "r1", "cao.npz"); !strings.Contains(written, want) {
		t.Errorf("r2/config.yaml does not hold %q:\n%s", want, written)
	}
	t.Chdir(t.TempDir())
	if _, stderr, err, _ := invoke(t, "run", "--config", filepath.Join(root, "r2", "config.yaml"), "--out", "r3"); err != nil {
		t.Errorf("re-running r2/config.yaml from another folder: %v\n%s", err, stderr)
	}
}
