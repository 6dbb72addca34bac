package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/adamgap/adamgap/internal/testenv"
	"github.com/adamgap/adamgap/sweep"
)

// A sweep killed with SIGKILL (no chance to clean up) resumes: the runs
// that were complete are kept as they were, the others are trained, and
// no run is left half done or done twice.
func TestSweepResumesAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and trains 12 small runs")
	}
	root := t.TempDir()
	bin := testenv.BuildCLI(t)
	text := `base: {d: 100, n: 20, s: 10, steps: 300, test_size: 500, log_every: 50, test_every: 0}
grid:
  alpha: [0, 0.1, 0.2]
seeds: 4
`
	spec := writeSpec(t, text)
	dir := filepath.Join(root, "sw")
	cmd := exec.Command(bin, "sweep", "run", spec, "--out", dir, "--jobs", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	parsed, err := sweep.LoadSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := parsed.Plan()
	if err != nil {
		t.Fatal(err)
	}
	complete := func() map[string][]byte {
		got := map[string][]byte{}
		for _, r := range runs {
			if b, err := os.ReadFile(filepath.Join(sweep.RunDir(dir, r.ID), sweep.ResultFile)); err == nil {
				got[r.ID] = b
			}
		}
		return got
	}
	deadline := time.Now().Add(2 * time.Minute)
	for len(complete()) < 3 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no 3 runs complete after 2 minutes")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	before := complete()
	if len(before) == len(runs) {
		testenv.Missing(t, "the sweep finished before it could be killed")
	}
	t.Logf("killed with %d of %d runs complete", len(before), len(runs))

	out, _, err := cli(t, "sweep", "run", spec, "--out", dir, "--jobs", "2", "--lean")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{itoa(len(runs)), "runs:", itoa(len(before)), "complete before,", itoa(len(runs) - len(before)), "done now"}, " ")
	if !strings.Contains(out, want) {
		t.Errorf("resume printed %q, want %q", out, want)
	}
	after := complete()
	if len(after) != len(runs) {
		t.Errorf("%d of %d runs complete after resuming", len(after), len(runs))
	}
	for id, b := range before {
		if !bytes.Equal(after[id], b) {
			t.Errorf("run %s was complete before the kill and was trained again", id)
		}
	}
	if _, _, err := cli(t, "sweep", "merge", dir); err != nil {
		t.Errorf("merge after resuming: %v", err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
