package main

import (
	"bytes"
	"context"
	"errors"
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
