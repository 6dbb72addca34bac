package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReproduceFigure1 runs a reduced configuration (2 filters, 1 epoch, 2
// seeds) end to end and checks the files and that training learned.
func TestReproduceFigure1(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 8,000 MNIST images")
	}
	dir := filepath.Join(t.TempDir(), "fig")
	var out, errb bytes.Buffer
	args := []string{"reproduce", "figure1", "--out", dir, "--filters", "2", "--kernel", "5", "--epochs", "1",
		"--seeds", "2", "--seed", "5", "--optimizers", "adam,sgd", "--jobs", "2"}
	if err := run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	for _, want := range []string{"initial weights", "adam η=0.001", "sgd η=0.1", "adam − sgd, paired by seed", "Results in"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errb.String(), "figure1: ") || !strings.Contains(errb.String(), "(100%)") {
		t.Errorf("no plain progress lines on a non-terminal:\n%s", errb.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "figure1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Config struct {
			Seeds []uint64 `json:"seeds"`
		} `json:"config"`
		Data struct {
			Train, Test int
		} `json:"data"`
		Runs []struct {
			Seed      uint64  `json:"seed"`
			TrainAcc  float64 `json:"train_accuracy"`
			TestAcc   float64 `json:"test_accuracy"`
			Noisiness struct {
				HighFreq float64 `json:"high_freq_share"`
			} `json:"noisiness"`
			Optimizer struct{ Name string } `json:"optimizer"`
		} `json:"runs"`
		Summary []struct {
			TestAcc struct{ Mean, SD float64 } `json:"test_accuracy"`
		} `json:"summary"`
		Paired []struct {
			A, B  string
			Seeds int `json:"seeds"`
		} `json:"paired"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("figure1.json: %v", err)
	}
	if len(rep.Config.Seeds) != 2 || rep.Config.Seeds[0] != 5 || rep.Data.Train != 8000 || rep.Data.Test != 2000 {
		t.Errorf("config %+v data %+v", rep.Config, rep.Data)
	}
	if len(rep.Runs) != 4 || len(rep.Summary) != 2 || len(rep.Paired) != 1 || rep.Paired[0].A != "adam" || rep.Paired[0].B != "sgd" {
		t.Fatalf("runs %d summary %d paired %+v", len(rep.Runs), len(rep.Summary), rep.Paired)
	}
	for _, r := range rep.Runs {
		// Chance is 0.1; two 5×5 filters and one epoch reach about 0.9.
		if r.TrainAcc < 0.6 || r.TestAcc < 0.6 {
			t.Errorf("%s seed %d: train %.3f test %.3f, want above 0.6", r.Optimizer.Name, r.Seed, r.TrainAcc, r.TestAcc)
		}
		if !(r.Noisiness.HighFreq > 0 && r.Noisiness.HighFreq < 1) {
			t.Errorf("%s: high-frequency share %v", r.Optimizer.Name, r.Noisiness.HighFreq)
		}
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
	if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 150 {
		t.Errorf("figure1.png is %v", b)
	}
}

func TestReproduceFigure1Usage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--seeds", "0"}, "--seeds=0"},
		{[]string{"--optimizers", "adam,rmsprop"}, `"rmsprop"`},
		{[]string{"--kernel", "40"}, "kernel=40"},
		{[]string{"--epochs", "0"}, "epochs=0"},
		{[]string{"--conv-init", "0"}, "--conv-init=0"},
		{[]string{"--lr-adam", "-1"}, "lr=-1"},
		{[]string{"--test-per-digit", "900"}, "test images per digit 900"},
	} {
		args := append([]string{"reproduce", "figure1", "--out", t.TempDir()}, tc.args...)
		var out, errb bytes.Buffer
		err := run(context.Background(), args, &out, &errb)
		if err == nil || !isUsage(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want a usage error mentioning %q", tc.args, err, tc.want)
		}
	}
}
