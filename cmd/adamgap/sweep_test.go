package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/internal/fixture"
)

// cli runs the command line in-process and returns stdout, stderr and the
// error.
func cli(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

const tinySweep = "name: tiny\n" + fixture.SweepBase + `grid:
  alpha: [0, 0.2]
  sigma_p: [0.5, 1]
seeds: 2
`

func writeSpec(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSweepCommands(t *testing.T) {
	spec := writeSpec(t, tinySweep)
	dir := filepath.Join(t.TempDir(), "sw")

	out, _, err := cli(t, "sweep", "plan", spec)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 10 || !strings.Contains(out, "alpha=0.2 sigma_p=1 seed=1") {
		t.Errorf("plan printed %d lines, want header + 8 runs + summary:\n%s", len(lines), out)
	}
	out, _, err = cli(t, "sweep", "plan", spec, "--shard", "1/4")
	if err != nil || strings.Count(out, "seed=") != 2 {
		t.Errorf("plan --shard 1/4: %v\n%s", err, out)
	}

	// Shard 0/2 first, then everything: the second call trains only the rest.
	out, stderr, err := cli(t, "sweep", "run", spec, "--out", dir, "--shard", "0/2", "--jobs", "2", "--lean")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(out, "4 runs: 0 complete before, 4 done now") {
		t.Errorf("sweep run --shard 0/2 printed:\n%s", out)
	}
	if !strings.Contains(stderr, "sweep: [1/4]") {
		t.Errorf("no progress lines on a non-terminal:\n%s", stderr)
	}
	// Merge with half the runs missing: an error naming them.
	out, _, err = cli(t, "sweep", "merge", dir, "--shards", "2")
	if err == nil || !strings.Contains(err.Error(), "4 of 8 runs missing") || !strings.Contains(err.Error(), "--shard 1/2") {
		t.Errorf("merge of half a sweep: %v", err)
	}
	if !strings.Contains(out, "8 rows from 4 of 8 runs") {
		t.Errorf("merge printed:\n%s", out)
	}
	out, _, err = cli(t, "sweep", "run", spec, "--out", dir, "--lean")
	if err != nil || !strings.Contains(out, "8 runs: 4 complete before, 4 done now") {
		t.Errorf("resume: %v\n%s", err, out)
	}
	out, _, err = cli(t, "sweep", "merge", dir)
	if err != nil || !strings.Contains(out, "16 rows from 8 of 8 runs") {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 17 {
		t.Fatalf("results.csv: %d records, %v", len(recs), err)
	}

	// Plots: heatmaps of each optimizer and of the difference; lines.
	out, _, err = cli(t, "sweep", "plot", dir, "--x", "alpha", "--y", "sigma_p")
	if err != nil {
		t.Fatal(err)
	}
	out2, _, err := cli(t, "sweep", "plot", dir, "--x", "alpha", "--where", "sigma_p=0.5", "--metric", "best_test_error")
	if err != nil {
		t.Fatal(err)
	}
	files := strings.Fields(strings.ReplaceAll(out+out2, "(and .svg)", ""))
	if len(files) != 4 {
		t.Fatalf("plot printed %v, want 4 files", files)
	}
	for _, p := range files {
		checkPNG(t, p)
		if st, err := os.Stat(strings.TrimSuffix(p, ".png") + ".svg"); err != nil || st.Size() == 0 {
			t.Errorf("%s.svg: %v", p, err)
		}
	}
	if !strings.Contains(files[2], "heatmap_test_error_adam-minus-gd_alpha_sigma_p") {
		t.Errorf("third heatmap is %s, want the difference", files[2])
	}
}

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() < 300 || b.Dy() < 200 {
		t.Errorf("%s is %dx%d", path, b.Dx(), b.Dy())
	}
}

func TestSweepUsageErrors(t *testing.T) {
	spec := writeSpec(t, tinySweep)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "run", spec}, "--out is required"},
		{[]string{"sweep", "run", spec, "--out", t.TempDir(), "--shard", "3/3"}, "--shard"},
		{[]string{"sweep", "run", spec, "--out", t.TempDir(), "--jobs", "-1"}, `--jobs "-1" must be a whole number in [0, 65536]`},
		{[]string{"run", "--out", t.TempDir(), "--jobs", "-1"}, `--jobs "-1" must be`},
		{[]string{"sweep", "slurm", spec, "--out", t.TempDir()}, "--shards=0"},
		{[]string{"sweep", "slurm", spec, "--out", t.TempDir(), "--shards", "1000000000", "--binary", "/opt/adamgap"}, "--shards=1000000000 is more than the"},
		{[]string{"sweep", "slurm", spec, "--out", t.TempDir(), "--shards", "1", "--binary", "/opt/adamgap", "--time", "garbage"}, `--time "garbage" is not a SLURM time limit`},
		{[]string{"sweep", "slurm", spec, "--out", t.TempDir(), "--shards", "1", "--binary", "/opt/adamgap", "--partition", "cpu\ntouch /tmp/x"}, "control character"},
		{[]string{"sweep", "slurm", spec, "--out", t.TempDir(), "--shards", "1", "--binary", "/tmp/go-build1/b001/exe/adamgap"}, `temporary binary of "go run"`},
		{[]string{"sweep", "plot", t.TempDir()}, "--x is required"},
		{[]string{"sweep", "plot", t.TempDir(), "--x", "alpha", "--diff", "adam"}, "--diff"},
	} {
		_, _, err := cli(t, tc.args...)
		var u usageError
		if err == nil || !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want a usage error mentioning %q", tc.args[:2], err, tc.want)
		}
	}
	// Not usage errors, but clear ones.
	if _, _, err := cli(t, "sweep", "merge", t.TempDir()); err == nil || !strings.Contains(err.Error(), "sweep folder") {
		t.Errorf("merge of a folder without sweep.yaml: %v", err)
	}
	bad := writeSpec(t, "grid:\n  alpha: []\n")
	if _, _, err := cli(t, "sweep", "plan", bad); err == nil || !strings.Contains(err.Error(), "grid.alpha: empty axis") {
		t.Errorf("plan of a bad spec: %v", err)
	}
}

func TestSweepSlurmScripts(t *testing.T) {
	spec := writeSpec(t, tinySweep)
	dir := t.TempDir()
	out, _, err := cli(t, "sweep", "slurm", spec, "--shards", "3", "--out", dir, "--binary", "/opt/bin/adamgap", "--time", "0:10:00", "--sbatch", "--mem=2G")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"#SBATCH --array=0-2", "#SBATCH --time=0:10:00", "exec /opt/bin/adamgap sweep run " + filepath.Join(dir, "sweep.yaml"),
		"--shard \"${SLURM_ARRAY_TASK_ID}/3\"", "exec /opt/bin/adamgap sweep merge " + dir + " --shards 3", "Submit with:",
		"--time=0:10:00", "--sbatch=--mem=2G", "--binary=/opt/bin/adamgap"} {
		if !strings.Contains(out, w) {
			t.Errorf("sweep slurm output lacks %q:\n%s", w, out)
		}
	}
	for _, f := range []string{"sweep.yaml", "slurm/sweep.sbatch", "slurm/merge.sbatch"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}
