package report

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/train"
)

func results() []*train.Result {
	var recs []train.Record
	for step := 0; step <= 100; step += 10 {
		x := float64(step) / 100
		recs = append(recs, train.Record{
			Optimizer: "adam", Step: step, Loss: 0.7 - 0.5*x, TestError: math.NaN(),
			Probes: train.Probes{FeaturePos: 0.1 - x, FeatureNeg: 0.05 - x, NoiseMinPos: x, NoiseMinNeg: 0.9 * x, NoiseMaxPos: 2 * x, NoiseMaxNeg: 1.5 * x},
		})
	}
	return []*train.Result{
		{
			Optimizer: "adam", Records: recs, FinalLoss: 0.2, TrainError: 0, TestError: 0.8765,
			Best:    train.Best{Step: 6, GradNorm: 0.0123, Norm: optim.L1, TrainError: 0.03, TestError: 0.1109},
			Seconds: 1.5,
		},
		{
			Optimizer: "gd", Records: recs[:2], TestError: math.NaN(),
			Err: errors.New("diverged: gd: at step 12 the loss is NaN"),
		},
	}
}

func TestTable1(t *testing.T) {
	got := Table1(results())
	for _, want := range []string{
		"| | adam | gd |",
		"| Training error (last iterate) | 0 | — |",
		"| Test error (last iterate) | 0.8765 | — |",
		"| Training error (min-gradient iterate) | 0.03 | — |",
		"| Test error (min-gradient iterate) | 0.1109 | — |",
		"| Min-gradient step (norm) | 6 (l1 0.0123) | — |",
		"| Final loss | 0.2 | — |",
		"gd did not finish: diverged: gd: at step 12",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Table1 lacks %q:\n%s", want, got)
		}
	}
}

func TestFigure2Writes(t *testing.T) {
	fig := Figure2{Results: results()}
	var pngBuf, svgBuf bytes.Buffer
	if err := fig.WritePNG(&pngBuf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&pngBuf)
	if err != nil {
		t.Fatalf("figure2.png does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 100 {
		t.Errorf("figure2.png is %v", b)
	}
	if err := fig.WriteSVG(&svgBuf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svgBuf.Bytes(), []byte("<svg")) {
		t.Errorf("figure2.svg is not SVG: %.100q", svgBuf.String())
	}
	// A run with no rows at all (stopped before step 0) must not break it.
	empty := Figure2{Results: []*train.Result{{Optimizer: "gd", TestError: math.NaN(), Err: errors.New("stopped")}}}
	if err := empty.WritePNG(&bytes.Buffer{}); err != nil {
		t.Logf("empty run: %v", err) // an error is acceptable, a panic is not
	}
}
