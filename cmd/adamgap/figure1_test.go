package main

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/paper"
)

// TestReproduceFigure1 checks the files and the progress lines of a tiny
// run (the experiment itself is tested in package paper).
func TestReproduceFigure1(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 8,000 MNIST images")
	}
	dir := filepath.Join(t.TempDir(), "fig")
	out, stderr, err := cli(t, "reproduce", "figure1", "--out", dir, "--filters", "1", "--kernel", "3", "--epochs", "1",
		"--seeds", "1", "--optimizers", "adam,sgd", "--jobs", "2")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(out, "adam − sgd, paired by seed") || !strings.Contains(out, "Results in") {
		t.Errorf("output incomplete:\n%s", out)
	}
	if !strings.Contains(stderr, "figure1: ") || !strings.Contains(stderr, "(100%)") {
		t.Errorf("no plain progress lines on a non-terminal:\n%s", stderr)
	}
	var rep paper.Figure1Report
	if err := json.Unmarshal(read(t, filepath.Join(dir, "figure1.json")), &rep); err != nil || len(rep.Runs) != 2 {
		t.Errorf("figure1.json: %v, %d runs", err, len(rep.Runs))
	}
	f, err := os.Open(filepath.Join(dir, "figure1.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("figure1.png: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 150 {
		t.Errorf("figure1.png is %v", b)
	}
}
