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
	pngBuf := render(t, fig.WritePNG)
	img, err := png.Decode(pngBuf)
	if err != nil {
		t.Fatalf("figure2.png does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 100 {
		t.Errorf("figure2.png is %v", b)
	}
	svgBuf := render(t, fig.WriteSVG)
	if !bytes.Contains(svgBuf.Bytes(), []byte("<svg")) {
		t.Errorf("figure2.svg is not SVG: %.100q", svgBuf.String())
	}
	// A run with no rows at all (stopped before step 0) must not break it.
	empty := Figure2{Results: []*train.Result{{Optimizer: "gd", TestError: math.NaN(), Err: errors.New("stopped")}}}
	if err := empty.WritePNG(&bytes.Buffer{}); err != nil {
		t.Logf("empty run: %v", err) // an error is acceptable, a panic is not
	}
}

// TestFigure2LegendClearOfCurves: in every panel the legend's box holds no
// point of any curve, and the y axis reaches 0 so a curve near 0 sits on
// a labelled tick.
func TestFigure2LegendClearOfCurves(t *testing.T) {
	// Curves that fill the right of the panel at mid height, where the
	// legend used to be fixed, and one that stays just above 0.
	mk := func(name string, f func(x float64) float64) *train.Result {
		r := &train.Result{Optimizer: name}
		for k := 0; k <= 100; k++ {
			x := float64(k) / 100
			r.Records = append(r.Records, train.Record{Step: k * 100, Probes: train.Probes{
				FeaturePos: f(x), FeatureNeg: f(x) * 0.9, NoiseMinPos: 0.3 + 0.01*x, NoiseMinNeg: 0.02 + 0.001*x,
			}})
		}
		return r
	}
	fig := Figure2{Results: []*train.Result{mk("rising", func(x float64) float64 { return 1.6 * x }), mk("flat", func(x float64) float64 { return 0.5 })}}
	plots, err := fig.plots()
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range plots[0] {
		r := fig.Results[i]
		if p.Y.Min > 0 {
			t.Errorf("%s: y axis starts at %v > 0", r.Optimizer, p.Y.Min)
		}
		bx0, bx1 := p.X.Min, p.X.Min+legendW*(p.X.Max-p.X.Min)
		if !p.Legend.Left {
			bx0, bx1 = p.X.Max-legendW*(p.X.Max-p.X.Min), p.X.Max
		}
		by0, by1 := p.Y.Min, p.Y.Min+legendH*(p.Y.Max-p.Y.Min)
		if p.Legend.Top {
			by0, by1 = p.Y.Max-legendH*(p.Y.Max-p.Y.Min), p.Y.Max
		}
		for _, rec := range r.Records {
			for _, y := range []float64{rec.FeaturePos, rec.FeatureNeg, rec.NoiseMinPos, rec.NoiseMinNeg} {
				if x := float64(rec.Step); x >= bx0 && x <= bx1 && y >= by0 && y <= by1 {
					t.Fatalf("%s: point (%v, %v) under the legend (top %v, left %v)", r.Optimizer, x, y, p.Legend.Top, p.Legend.Left)
				}
			}
		}
	}
}
