package sweep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOldSweepFolderResumes: a sweep folder made before run ids followed
// values resumes. testdata/oldids was made by adamgap at commit 3d6edb6:
//
//	adamgap sweep run testdata/oldids/sweep.yaml --out oldids --lean --jobs 1
//
// Its runs with batch_sampling "epoch" spelt out had ids of their own then;
// now they have the ids of the default they spell. Sweep run renames those
// folders, trains only the run whose result.json is gone, and merge finds
// every run, with the results made then.
func TestOldSweepFolderResumes(t *testing.T) {
	dir := oldFolder(t)
	_, runs, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "runs"))
	if err != nil {
		t.Fatal(err)
	}
	var made []string // the folders as 3d6edb6 named them
	for _, e := range entries {
		made = append(made, e.Name())
	}
	kept, renamed := 0, 0
	now := map[string][]byte{} // metrics.csv of each run, by its id now
	for _, r := range runs {
		if slices.Contains(made, r.ID) {
			kept++
			continue
		}
		renamed++
	}
	if len(runs) != 4 || kept != 2 || renamed != 2 {
		t.Fatalf("%d runs, %d with the id of their folder, %d renamed; want 4, 2 (subset) and 2 (epoch)", len(runs), kept, renamed)
	}
	// The first "epoch" run was interrupted: no result.json.
	var lost string
	for _, m := range made {
		b, err := os.ReadFile(filepath.Join(RunDir(dir, m), "config.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if lost == "" && bytes.Contains(b, []byte("batch_sampling: epoch")) {
			lost = m
			if err := os.Remove(filepath.Join(RunDir(dir, m), ResultFile)); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep, err := Executor{Dir: dir, Jobs: 1, Lean: true}.Run(context.Background(), runs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != 3 || rep.Done != 1 {
		t.Errorf("resumed: %d skipped, %d done; want 3 complete runs kept and the interrupted one trained", rep.Skipped, rep.Done)
	}
	for _, r := range runs {
		res, err := ReadResult(dir, r.ID)
		if err != nil {
			t.Fatalf("run %s (%s): %v", r.ID, r.Label(), err)
		}
		b, _ := os.ReadFile(filepath.Join(RunDir(dir, r.ID), "metrics.csv"))
		now[r.ID] = b
		if res.ID != r.ID {
			t.Errorf("run %s: result.json holds id %s", r.ID, res.ID)
		}
	}
	// The kept results are those made at 3d6edb6, byte for byte.
	for _, m := range made {
		if m == lost {
			continue
		}
		want, err := os.ReadFile(filepath.Join("testdata/oldids/runs", m, "metrics.csv"))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, b := range now {
			found = found || bytes.Equal(b, want)
		}
		if !found {
			t.Errorf("run folder %s: its metrics.csv is not among the resumed sweep's", m)
		}
	}
	tab, mrep, err := Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !mrep.OK() || mrep.Complete != 4 || len(mrep.Extra) != 0 || len(tab.Rows) != 8 {
		t.Errorf("merge: %d of %d complete, extra %v, %d rows; want 4, none, 8", mrep.Complete, mrep.Runs, mrep.Extra, len(tab.Rows))
	}
}

// oldFolder returns a copy of testdata/oldids to resume.
func oldFolder(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "oldids")
	if err := os.CopyFS(dir, os.DirFS("testdata/oldids")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestMergeAdopts: merge alone (no sweep run) finds the runs of an old
// folder.
func TestMergeAdopts(t *testing.T) {
	dir := oldFolder(t)
	_, mrep, err := Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !mrep.OK() || mrep.Complete != 4 || len(mrep.Extra) != 0 {
		t.Errorf("merge: %d of %d complete, missing %d, extra %v", mrep.Complete, mrep.Runs, len(mrep.Missing), mrep.Extra)
	}
}

// TestIDsOfBefore: the ids of configurations that spell no default are
// those adamgap gave them at 3d6edb6 (before ids followed values), for
// schedules, switches and a non-default data layout too: their sweep
// folders resume as they are. plan.txt is that version's "sweep plan".
func TestIDsOfBefore(t *testing.T) {
	spec, err := LoadSpec("testdata/ids3d6edb6/sweep.yaml")
	if err != nil {
		t.Fatal(err)
	}
	runs := mustPlan(t, spec)
	b, err := os.ReadFile("testdata/ids3d6edb6/plan.txt")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, line := range strings.Split(string(b), "\n")[1:] {
		if f := strings.Fields(line); len(f) > 2 && f[0] != "" && f[0][0] >= '0' && f[0][0] <= '9' && len(f[1]) == 12 {
			want = append(want, f[1])
		}
	}
	if len(want) != len(runs) || len(want) == 0 {
		t.Fatalf("%d ids in plan.txt, %d runs", len(want), len(runs))
	}
	for i, r := range runs {
		if r.ID != want[i] {
			t.Errorf("run %d (%s): id %s, at 3d6edb6 %s", i, r.Label(), r.ID, want[i])
		}
	}
}
