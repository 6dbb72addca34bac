package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/internal/golden"
)

// update rewrites the golden files under testdata/golden from this run:
//
//	go test ./cmd/adamgap -run TestGoldenCLI -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenCases are the commands whose output files TestGoldenCLI pins, at
// sizes that take a few seconds in all, and the files of each: output
// paths relative to --out ("-" is standard output). JSON files are stored
// without their wall-clock fields (golden.Normalize).
var goldenCases = []struct {
	name  string
	args  []string
	files []string
}{
	{"run", []string{"run", "--steps", "200", "--log-every", "20", "--test-every", "100", "--d", "100", "--n", "20", "--s", "10", "--test-size", "200", "--optimizer", "adam,gd,sgd,adamw"},
		[]string{"metrics.csv", "summary.json", "table1.md", "config.yaml"}},
	{"convex", []string{"reproduce", "convex", "--steps", "100", "--cnn-steps", "20", "--test-size", "100", "--jobs", "1"},
		[]string{"convex.json", "cnn/metrics.csv", "cnn/summary.json"}},
	{"stochastic", []string{"reproduce", "stochastic", "--steps", "20", "--seeds", "2", "--batch-sizes", "100,2", "--test-size", "50", "--jobs", "2"},
		[]string{"stochastic.json"}},
	{"lemmas", []string{"reproduce", "lemmas", "--trials", "100", "--etas", "4e-4", "--steps-eta", "0.1", "--log-points", "20", "--test-size", "50"},
		[]string{"lemmas.json"}},
	{"phase", []string{"reproduce", "phase", "--quick", "--jobs", "2"},
		[]string{"results.csv", "sweep.yaml"}},
	{"check", []string{"check", "--json"}, []string{"-"}},
}

// TestGoldenCLI pins the numbers of every kind of output file the command
// writes (a run's metrics.csv, summary.json, table1.md and config.yaml;
// convex.json, stochastic.json, lemmas.json; a sweep's results.csv; check's
// JSON) to golden.RTol, wall-clock fields left out by design. After a
// change that is meant to move them, rewrite the files with
//
//	go test ./cmd/adamgap -run TestGoldenCLI -update
//
// and say why in the commit message. The golden files were first written
// by the CLI as it was before issue 9 moved the experiments to package
// paper, so this test shows that the move kept every output.
func TestGoldenCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs six commands (a few seconds)")
	}
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			args := c.args
			if c.files[0] != "-" {
				args = append(args[:len(args):len(args)], "--out", dir)
			}
			var stdout, stderr bytes.Buffer
			if err := run(context.Background(), args, &stdout, &stderr); err != nil {
				t.Fatalf("adamgap %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
			}
			for _, f := range c.files {
				var got []byte
				name := f
				if f == "-" {
					got, name = stdout.Bytes(), "stdout.json"
				} else {
					var err error
					if got, err = os.ReadFile(filepath.Join(dir, f)); err != nil {
						t.Fatal(err)
					}
				}
				path := filepath.Join("testdata", "golden", c.name, strings.ReplaceAll(name, "/", "_"))
				if strings.HasSuffix(name, ".json") {
					var err error
					if got, err = golden.Normalize(got); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
				}
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (create it with -update)", err)
				}
				var errs []string
				switch filepath.Ext(name) {
				case ".json":
					errs = golden.JSON(want, got, golden.RTol)
				case ".csv":
					errs = golden.CSV(want, got, golden.RTol, "step", "sign_coords", "seed")
				default:
					errs = golden.Text(want, got, golden.RTol)
				}
				for _, e := range errs {
					t.Errorf("%s: %s", name, e)
				}
			}
		})
	}
}
