package sweep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/adamgap/adamgap/progress"
)

// cancelAfter cancels a sweep once k runs have finished: a kill in the
// middle of a sweep.
type cancelAfter struct {
	mu     sync.Mutex
	k      int
	cancel context.CancelFunc
	ids    []string // progress.Update.ID of the finished runs
}

func (c *cancelAfter) Record(u progress.Update) {
	if u.Item == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids = append(c.ids, u.ID)
	if c.k--; c.k == 0 {
		c.cancel()
	}
}

func readAll(t *testing.T, dir string, runs []Run, name string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, r := range runs {
		b, err := os.ReadFile(filepath.Join(RunDir(dir, r.ID), name))
		if err == nil {
			out[r.ID] = b
		}
	}
	return out
}

func TestResumeAfterKill(t *testing.T) {
	runs := mustPlan(t, mustSpec(t, tinyBase+"grid:\n  alpha: [0, 0.2]\nseeds: 3\n")) // 6 runs
	dir := t.TempDir()

	// First attempt: killed after two runs.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	killer := &cancelAfter{k: 2, cancel: cancel}
	rep, err := Executor{Dir: dir, Jobs: 1, Progress: killer}.Run(ctx, runs)
	if err == nil {
		t.Fatal("an interrupted sweep returned no error")
	}
	if rep.Done != 2 {
		t.Fatalf("interrupted after 2 runs: Done = %d", rep.Done)
	}
	first := readAll(t, dir, runs, ResultFile)
	if len(first) != 2 {
		t.Fatalf("%d result.json files after the kill, want 2", len(first))
	}
	for _, id := range killer.ids {
		if _, ok := first[id]; !ok {
			t.Errorf("progress update with ID %q, want the id of a finished run (%v)", id, killer.ids)
		}
	}
	// A run killed while writing leaves a folder without result.json,
	// perhaps with stale files: it must not count as done.
	var stale Run
	for _, r := range runs {
		if _, ok := first[r.ID]; !ok {
			stale = r
			break
		}
	}
	if err := os.MkdirAll(RunDir(dir, stale.ID), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(RunDir(dir, stale.ID), "metrics.csv"), []byte("half a fi"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(RunDir(dir, stale.ID), ".result.json.tmp123"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if Complete(dir, stale.ID) {
		t.Fatal("a folder without result.json counts as complete")
	}

	// Second attempt: resumes.
	rep, err = Executor{Dir: dir, Jobs: 2}.Run(context.Background(), runs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != 2 || rep.Done != 4 || rep.Total != 6 {
		t.Errorf("resume: %+v, want 2 skipped and 4 done of 6", rep)
	}
	after := readAll(t, dir, runs, ResultFile)
	if len(after) != 6 {
		t.Fatalf("%d runs complete after resuming, want 6", len(after))
	}
	for id, b := range first {
		if !bytes.Equal(after[id], b) {
			t.Errorf("run %s was complete before resuming but its result changed: trained twice", id)
		}
	}
	for _, r := range runs {
		res, err := ReadResult(dir, r.ID)
		if err != nil || res.Status != "ok" || len(res.Optimizers) != 2 {
			t.Errorf("run %s: %+v, %v", r.ID, res, err)
		}
	}
	if m, _ := os.ReadFile(filepath.Join(RunDir(dir, stale.ID), "metrics.csv")); bytes.HasPrefix(m, []byte("half")) {
		t.Error("the stale metrics.csv was not replaced")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "runs"))
	if len(entries) != 6 {
		t.Errorf("%d run folders, want 6 (one per run)", len(entries))
	}

	// Third attempt: nothing to do.
	rep, err = Executor{Dir: dir, Jobs: 2}.Run(context.Background(), runs)
	if err != nil || rep.Skipped != 6 || rep.Done != 0 {
		t.Errorf("complete sweep run again: %+v, %v; want all 6 skipped", rep, err)
	}
}

// The numbers of a run do not depend on how many runs train at once.
func TestJobsDoNotChangeResults(t *testing.T) {
	runs := mustPlan(t, mustSpec(t, tinyBase+"grid:\n  sigma_p: [0.5, 1]\nseeds: 2\n"))
	var metrics []map[string][]byte
	for _, jobs := range []int{1, 3} {
		dir := t.TempDir()
		if _, err := (Executor{Dir: dir, Jobs: jobs, Lean: true}).Run(context.Background(), runs); err != nil {
			t.Fatal(err)
		}
		metrics = append(metrics, readAll(t, dir, runs, "metrics.csv"))
	}
	for _, r := range runs {
		a, b := metrics[0][r.ID], metrics[1][r.ID]
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("run %s: metrics.csv differs between --jobs 1 and --jobs 3", r.Label())
		}
	}
}

func TestFullRunFolder(t *testing.T) {
	runs := mustPlan(t, mustSpec(t, tinyBase))
	dir := t.TempDir()
	if _, err := (Executor{Dir: dir}).Run(context.Background(), runs); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"config.yaml", "data.npz", "metrics.csv", "summary.json", "weights.npz", "figure2.png", ResultFile} {
		if _, err := os.Stat(filepath.Join(RunDir(dir, runs[0].ID), f)); err != nil {
			t.Errorf("run folder lacks %s: %v", f, err)
		}
	}
}

// A diverged optimiser completes its run as "failed": running the sweep
// again would diverge again, so it is not retried, and merge reports it.
func TestDivergedRunIsFailed(t *testing.T) {
	runs := mustPlan(t, mustSpec(t, tinyBase+"grid:\n  gd.lr: [0.05, 1e300]\n"))
	dir := t.TempDir()
	rep, err := Executor{Dir: dir, Jobs: 2}.Run(context.Background(), runs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Done != 2 || rep.Failed != 1 {
		t.Fatalf("report %+v, want 2 done, 1 failed", rep)
	}
	res, err := ReadResult(dir, runs[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed() || res.Optimizers[1].Error == "" || res.Optimizers[0].Error != "" {
		t.Errorf("result of the diverged run: %+v", res)
	}
}
