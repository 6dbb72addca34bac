package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runSweep plans text into a fresh sweep folder and runs it.
func runSweep(t *testing.T, text string) (string, []Run) {
	t.Helper()
	spec := mustSpec(t, text)
	runs := mustPlan(t, spec)
	dir := t.TempDir()
	if _, err := WriteSpec(dir, spec); err != nil {
		t.Fatal(err)
	}
	if _, err := (Executor{Dir: dir, Jobs: 2, Lean: true}).Run(context.Background(), runs); err != nil {
		t.Fatal(err)
	}
	return dir, runs
}

func TestMerge(t *testing.T) {
	dir, runs := runSweep(t, tinyBase+"grid:\n  alpha: [0, 0.2]\n  adam.lr: [1e-3, 1e-2]\nseeds: 2\n")
	tab, rep, err := WriteMerged(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Complete != 8 || rep.Runs != 8 || rep.Err(dir, 0) != nil {
		t.Fatalf("report %+v on a complete sweep", rep)
	}
	// Read back what was written: a plain CSV with a header row.
	b, err := os.ReadFile(filepath.Join(dir, MergedFile))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	if !slices.Equal(header, tab.Header) || len(recs)-1 != len(tab.Rows) {
		t.Fatalf("results.csv does not hold the table")
	}
	for _, col := range []string{"run", "d", "n", "s", "sigma_p", "alpha", "lambda", "steps", "seed", "optimizer", "lr", "beta1",
		"train_error", "test_error", "final_loss", "best_step", "best_test_error", "best_train_error", "seconds", "wall_seconds", "error",
		"test_error_pos", "test_error_neg", "best_test_error_pos", "best_test_error_neg"} {
		if !slices.Contains(header, col) {
			t.Errorf("results.csv has no column %q (header %v)", col, header)
		}
	}
	// One row per run and optimiser, with the run's values.
	if len(recs)-1 != len(runs)*2 {
		t.Fatalf("%d rows, want %d", len(recs)-1, len(runs)*2)
	}
	col := func(name string) int { return slices.Index(header, name) }
	perRun := map[string]int{}
	for _, row := range recs[1:] {
		perRun[row[col("run")]]++
		if len(row) != len(header) {
			t.Fatalf("row of %d fields, header %d", len(row), len(header))
		}
	}
	for i, r := range runs {
		if perRun[r.ID] != 2 {
			t.Errorf("run %s has %d rows, want 2", r.ID, perRun[r.ID])
		}
		res, _ := ReadResult(dir, r.ID)
		for k, o := range res.Optimizers {
			row := recs[1+2*i+k]
			if row[col("run")] != r.ID || row[col("optimizer")] != o.Optimizer {
				t.Fatalf("row %d is %s/%s, want %s/%s (plan order)", 2*i+k, row[col("run")], row[col("optimizer")], r.ID, o.Optimizer)
			}
			if row[col("test_error")] != ffmt(*o.TestError) || row[col("best_step")] == "" {
				t.Errorf("row %d: test_error %s, want %v", 2*i+k, row[col("test_error")], *o.TestError)
			}
			want := map[string]float64{"alpha": r.Config.Alpha, "seed": float64(r.Config.Seed)}
			if o.Optimizer == "adam" {
				want["lr"] = r.Config.Optimizers[0].LR
			}
			for k, v := range want {
				if row[col(k)] != ffmt(v) {
					t.Errorf("row %d: %s=%s, want %v", 2*i, k, row[col(k)], v)
				}
			}
		}
	}
}

func TestMergeReportsMissingRuns(t *testing.T) {
	dir, runs := runSweep(t, tinyBase+"grid:\n  alpha: [0, 0.1, 0.2]\nseeds: 2\n") // 6 runs
	gone := []Run{runs[1], runs[4]}
	for _, r := range gone {
		if err := os.Remove(filepath.Join(RunDir(dir, r.ID), ResultFile)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(RunDir(dir, "0123456789ab"), 0o755); err != nil {
		t.Fatal(err)
	}
	tab, rep, err := Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || rep.Complete != 4 || len(rep.Missing) != 2 || rep.Missing[0].ID != gone[0].ID || rep.Missing[1].ID != gone[1].ID {
		t.Fatalf("report %+v, want runs 1 and 4 missing", rep)
	}
	if len(tab.Rows) != 8 {
		t.Errorf("%d rows, want 8 (4 complete runs × 2 optimisers)", len(tab.Rows))
	}
	if !slices.Equal(rep.Extra, []string{"0123456789ab"}) {
		t.Errorf("extra folders %v", rep.Extra)
	}
	msg := rep.Err(dir, 4).Error()
	for _, w := range []string{"2 of 6 runs missing", gone[0].ID, gone[1].ID, gone[0].Label(), "(shard 1/4)", "(shard 0/4)",
		"repair: adamgap sweep run " + filepath.Join(dir, SpecFile) + " --out " + dir + " --shard 0/4"} {
		if !strings.Contains(msg, w) {
			t.Errorf("merge error does not mention %q:\n%s", w, msg)
		}
	}
}

func TestMergeReportsFailedRuns(t *testing.T) {
	dir, runs := runSweep(t, tinyBase+"grid:\n  gd.lr: [0.05, 1e300]\n")
	tab, rep, err := Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || len(rep.Failed) != 1 || rep.Failed[0].ID != runs[1].ID || len(rep.Missing) != 0 {
		t.Fatalf("report %+v, want run 1 failed", rep)
	}
	if msg := rep.Err(dir, 0).Error(); !strings.Contains(msg, "1 failed") || !strings.Contains(msg, "gd:") {
		t.Errorf("merge error %q", msg)
	}
	st, er := tab.Column("status"), tab.Column("error")
	last := tab.Rows[len(tab.Rows)-1]
	if last[st] != "failed" || last[er] == "" || last[tab.Column("test_error")] != "" {
		t.Errorf("row of the diverged optimiser: %v", last)
	}
}

func TestMergeNotASweep(t *testing.T) {
	if _, _, err := Merge(t.TempDir()); err == nil || !strings.Contains(err.Error(), "sweep folder") {
		t.Errorf("merge of an empty folder: %v", err)
	}
}

// TestMergeErrListsAFew: a sweep with thousands of missing runs lists the
// first maxListed, says how many more, and still repairs every shard that
// has one (it printed every run, a line each).
func TestMergeErrListsAFew(t *testing.T) {
	r := &MergeReport{Runs: 1000}
	for i := range 25 {
		r.Missing = append(r.Missing, Run{Index: i, ID: fmt.Sprintf("id%02d", i)})
	}
	msg := r.Err("sw", 25).Error()
	if n := strings.Count(msg, "\n  missing "); n != maxListed {
		t.Errorf("%d missing runs listed, want %d:\n%s", n, maxListed, msg)
	}
	if !strings.Contains(msg, "… and 5 more missing") || !strings.Contains(msg, "--shard 24/25") {
		t.Errorf("the message lacks the count of the others or the repair of shard 24:\n%s", msg)
	}
}
