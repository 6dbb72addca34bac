package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/progress"
)

type numbersReport struct {
	Gap float64 `json:"gap"`
}

func (*numbersReport) Table() string { return "| gap | 0.77 |\n" }

// TestReportBeforeFigures: an experiment's JSON is on disk before its
// figures are drawn, so a figure that fails loses no computed number (the
// family experiments drew first); the figure's error is still returned.
func TestReportBeforeFigures(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	cmd := &cobra.Command{Use: "family"}
	cmd.SetContext(context.Background())
	cmd.SetOut(&stdout)
	cmd.SetErr(&bytes.Buffer{})
	experiment := func(context.Context, struct{}, progress.Recorder) (*numbersReport, error) {
		return &numbersReport{Gap: 0.77}, nil
	}
	failed := errors.New("figure: no room")
	err := runReport(cmd, experiment, struct{}{}, dir, "family.json", func(*numbersReport) error {
		b, err := os.ReadFile(filepath.Join(dir, "family.json"))
		if err != nil || !strings.Contains(string(b), `"gap": 0.77`) {
			t.Errorf("when the figure is drawn, family.json holds %q (%v); want the numbers", b, err)
		}
		if !strings.Contains(stdout.String(), "| gap | 0.77 |") {
			t.Errorf("when the figure is drawn, the table is not printed yet: %q", stdout.String())
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Errorf("runReport = %v, want the figure's error", err)
	}
}

// TestInterruptedReportIsPartial: an experiment stopped by a signal writes
// what it computed to NAME.partial.json, whose first key says it is partial
// and why, and leaves NAME.json (a complete report of an earlier call) as
// it was; the next complete report removes the partial one. (An
// interrupted experiment used to write nothing: hours of runs were lost.)
func TestInterruptedReportIsPartial(t *testing.T) {
	dir := t.TempDir()
	complete := filepath.Join(dir, "stochastic.json")
	if err := os.WriteFile(complete, []byte(`{"gap": 0.5}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	cmd := &cobra.Command{Use: "stochastic"}
	cmd.SetContext(ctx)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	stopped := func(context.Context, struct{}, progress.Recorder) (*numbersReport, error) {
		cancel(signalError{os.Interrupt}) // SIGINT during the second of three runs
		return &numbersReport{Gap: 0.77}, fmt.Errorf("interrupted after 1 of 3 runs finished: %w", context.Cause(ctx))
	}
	err := runReport(cmd, stopped, struct{}{}, dir, "stochastic.json", func(*numbersReport) error {
		t.Error("the figures of an interrupted experiment were drawn")
		return nil
	})
	partial := filepath.Join(dir, "stochastic.partial.json")
	if err == nil || !strings.Contains(err.Error(), partial) || !strings.Contains(err.Error(), "interrupted by SIGINT") {
		t.Errorf("runReport = %v; want an error naming %s and the signal", err, partial)
	}
	if b, _ := os.ReadFile(complete); string(b) != `{"gap": 0.5}`+"\n" {
		t.Errorf("the complete report was replaced: %q", b)
	}
	var got struct {
		Partial string  `json:"partial"`
		Gap     float64 `json:"gap"`
	}
	b, rerr := os.ReadFile(partial)
	if rerr != nil || json.Unmarshal(b, &got) != nil || got.Gap != 0.77 ||
		!strings.HasPrefix(string(b), "{\n  \"partial\": ") || !strings.Contains(got.Partial, "interrupted after 1 of 3 runs") {
		t.Fatalf("%s = %q (%v); want the report with a first key partial saying why", partial, b, rerr)
	}
	// An experiment that returns the bare context error: the partial
	// report names the signal all the same.
	bare := func(context.Context, struct{}, progress.Recorder) (*numbersReport, error) {
		return &numbersReport{Gap: 0.7}, fmt.Errorf("stopped at step 3: %w", context.Canceled)
	}
	if err := runReport(cmd, bare, struct{}{}, dir, "stochastic.json", nil); err == nil {
		t.Fatal("runReport of an interrupted experiment: no error")
	}
	if b, _ := os.ReadFile(partial); json.Unmarshal(b, &got) != nil || !strings.HasPrefix(got.Partial, "interrupted by SIGINT (stopped at step 3") {
		t.Errorf("%s = %q; want its partial key to name the signal first", partial, b)
	}
	// A complete call replaces the report and removes the partial one.
	cmd.SetContext(context.Background())
	done := func(context.Context, struct{}, progress.Recorder) (*numbersReport, error) {
		return &numbersReport{Gap: 0.8}, nil
	}
	if err := runReport(cmd, done, struct{}{}, dir, "stochastic.json", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(partial); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the partial report outlived a complete one: %v", err)
	}
}

// TestReportFolderCheckedFirst: an --out that cannot hold the report is
// refused before the experiment computes anything (lemmas and the family
// experiments computed for minutes, then failed to write, and printed
// "Results in" all the same); a bad option leaves no empty folder.
func TestReportFolderCheckedFirst(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ran := false
	experiment := func(context.Context, struct{}, progress.Recorder) (*numbersReport, error) {
		ran = true
		return &numbersReport{}, nil
	}
	for _, dir := range []string{file, filepath.Join(file, "sub")} {
		var stdout bytes.Buffer
		cmd := &cobra.Command{Use: "lemmas"}
		cmd.SetContext(context.Background())
		cmd.SetOut(&stdout)
		cmd.SetErr(&bytes.Buffer{})
		err := runReport(cmd, experiment, struct{}{}, dir, "lemmas.json", nil)
		if err == nil || ran || strings.Contains(stdout.String(), "Results in") {
			t.Errorf("--out %s: %v, ran %v, stdout %q; want an error before the experiment runs", dir, err, ran, stdout.String())
		}
	}
	_, _, _, code := invoke(t, "reproduce", "lemmas", "--out", file)
	if code != 2 {
		t.Errorf("--out naming a file: exit %d, want 2 (a usage error)", code)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	if _, _, err, _ := invoke(t, "reproduce", "convex", "--lambda", "-1", "--out", fresh); err == nil {
		t.Fatal("--lambda -1 accepted")
	}
	if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused option left %s behind: %v", fresh, err)
	}
}

// TestRunOutFileIsUsageError: run, reproduce table1 (which write a run
// folder through internal/outdir), figure1 and phase refuse an --out
// naming a file as a usage error, exit 2 with a Try: line, before drawing
// or training anything, as the other reproduce subcommands do.
func TestRunOutFileIsUsageError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "--steps", "2", "--out", file},
		{"reproduce", "table1", "--out", file},
		{"reproduce", "table1", "--seeds", "2", "--out", file},
		{"reproduce", "figure1", "--out", file},
		{"reproduce", "phase", "--quick", "--out", file},
	} {
		_, stderr, _, code := invoke(t, args...)
		if code != 2 || !strings.Contains(stderr, "is a file, not a folder") || !strings.Contains(stderr, "Try: ") || strings.Contains(stderr, "training") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2, the reason and a Try: line, before training", args, code, stderr)
		}
	}
}

// TestRunNotesInterruptedFolders: a run that completes into OUT names the
// .OUT.interrupted-* folders that earlier, interrupted runs into OUT left
// (nothing removes them but the user) and how to remove them.
func TestRunNotesInterruptedFolders(t *testing.T) {
	root := t.TempDir()
	kept := filepath.Join(root, ".o.interrupted-123")
	if err := os.Mkdir(kept, 0o755); err != nil {
		t.Fatal(err)
	}
	_, stderr, err, _ := invoke(t, args("--steps", "2", "--out", filepath.Join(root, "o"))...)
	if err != nil {
		t.Fatal(err)
	}
	if want := "remove them when done: rm -r " + kept; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}
