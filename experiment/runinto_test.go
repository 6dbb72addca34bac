package experiment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/internal/fixture"
	"github.com/adamgap/adamgap/internal/outdir"
	"github.com/adamgap/adamgap/train"
)

// TestRunIntoSameBytes: RunInto writes the same bytes, file for file, as
// writing straight into the folder (for jobs 1 and 2, whose streamed rows
// arrive in different orders).
func TestRunIntoSameBytes(t *testing.T) {
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	if _, err := runInto(t, fixture.Small(), ref, 1); err != nil {
		t.Fatal(err)
	}
	for _, jobs := range []int{1, 2} {
		out := filepath.Join(root, "new", strings.Repeat("j", jobs))
		if _, err := RunInto(context.Background(), fixture.Small(), out, RunOptions{Jobs: jobs}); err != nil {
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(ref)
		for _, e := range entries {
			if !bytes.Equal(noSeconds(readFile(t, filepath.Join(ref, e.Name()))), noSeconds(readFile(t, filepath.Join(out, e.Name())))) {
				t.Errorf("jobs=%d: %s differs from a direct write", jobs, e.Name())
			}
		}
		got, _ := os.ReadDir(out)
		if len(got) != len(entries) {
			t.Errorf("jobs=%d: %d files, want %d", jobs, len(got), len(entries))
		}
	}
}

// TestRunIntoNeverMixes: a second run into a folder holding a run is
// refused without Force; an interrupted run leaves the first run untouched
// and its streamed rows in the partial folder; with Force a complete run
// replaces the first whole.
func TestRunIntoNeverMixes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	if _, err := RunInto(context.Background(), fixture.Small(), out, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	first := readFile(t, filepath.Join(out, "config.yaml"))
	b := fixture.Small()
	b.Seed = 7
	// Long enough that the cancel below always comes first, however fast
	// the steps (1000 were finished before it on a quiet machine).
	b.Steps, b.LogEvery, b.TestEvery = 1_000_000, 1, 0
	if _, err := RunInto(context.Background(), b, out, RunOptions{}); !errors.Is(err, outdir.ErrExists) {
		t.Fatalf("second run without Force: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var partial string
	_, err := RunInto(ctx, b, out, RunOptions{Force: true, Jobs: 1, Started: func(*Setup) {
		go func() {
			// Cancel once some rows are on disk.
			for ctx.Err() == nil {
				m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".o.partial-*", "metrics.csv"))
				if len(m) == 1 {
					if b, _ := os.ReadFile(m[0]); bytes.Count(b, []byte("\n")) > 20 {
						partial = m[0]
						cancel()
						return
					}
				}
			}
		}()
	}})
	if !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "the output folder was not touched") {
		t.Fatalf("interrupted run: %v", err)
	}
	// The rows are kept in .o.interrupted-*, which the message names and
	// the next run into o does not clean up (it removed .o.partial-*).
	partial = strings.Replace(partial, ".o.partial-", ".o.interrupted-", 1)
	if !strings.Contains(err.Error(), partial) || !strings.Contains(err.Error(), "rm -r "+filepath.Dir(partial)) {
		t.Errorf("the message does not name %s and how to remove its folder: %v", partial, err)
	}
	if !bytes.Equal(readFile(t, filepath.Join(out, "config.yaml")), first) {
		t.Fatal("the interrupted run changed the first run's config.yaml")
	}
	rows := strings.Split(strings.TrimSpace(string(readFile(t, partial))), "\n")
	if rows[0] != strings.Join(train.CSVHeader, ",") || len(rows) < 21 {
		t.Fatalf("partial metrics.csv: %d lines, header %q", len(rows), rows[0])
	}
	// The partial folder says that it is partial, and how many rows it has.
	note := string(readFile(t, filepath.Join(filepath.Dir(partial), PartialNote)))
	if !strings.Contains(note, "partial output of a run that was stopped (context canceled)") || !strings.Contains(note, fmt.Sprintf("the %d rows logged", len(rows)-1)) {
		t.Errorf("%s: %q", PartialNote, note)
	}

	b.Steps = 20
	if _, err := RunInto(context.Background(), b, out, RunOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(partial); err != nil {
		t.Errorf("the next run removed the interrupted run's rows: %v", err)
	}
	if got := outdir.Interrupted(out); len(got) != 1 || got[0] != filepath.Dir(partial) {
		t.Errorf("outdir.Interrupted(%s) = %v, want [%s]", out, got, filepath.Dir(partial))
	}
	if bytes.Equal(readFile(t, filepath.Join(out, "config.yaml")), first) {
		t.Fatal("Force did not replace the first run")
	}
}

// noSeconds drops the wall-clock lines of summary.json and table1.md.
func noSeconds(b []byte) []byte {
	var kept [][]byte
	for _, line := range bytes.Split(b, []byte("\n")) {
		if !bytes.Contains(line, []byte(`"seconds":`)) && !bytes.HasPrefix(line, []byte("| Seconds |")) {
			kept = append(kept, line)
		}
	}
	return bytes.Join(kept, []byte("\n"))
}

// TestInterruptedHintQuotes: the rm -r hint of a kept folder whose path
// has a space pastes into a shell as one word.
func TestInterruptedHintQuotes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := interrupted(ctx, nil, "/tmp/my runs/.o.interrupted-1", 3)
	if err == nil || !strings.Contains(err.Error(), "rm -r '/tmp/my runs/.o.interrupted-1')") {
		t.Errorf("interrupted: %v; want a quoted rm -r hint", err)
	}
}
