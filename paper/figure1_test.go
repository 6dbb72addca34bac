package paper

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/convnet"
)

// TestFigure1 runs a reduced configuration (2 filters, 1 epoch, 2 seeds) and
// checks that training learned and the report is complete.
func TestFigure1(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 8,000 MNIST images")
	}
	o := DefaultFigure1()
	o.Filters, o.Kernel, o.Epochs, o.Seeds, o.Seed, o.Optimizers, o.Jobs = 2, 5, 1, 2, 5, []string{"adam", "sgd"}, 2
	rep, err := Figure1(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"initial weights", "adam η=0.001", "sgd η=0.1", "adam − sgd, paired by seed"} {
		if !strings.Contains(rep.Table(), want) {
			t.Errorf("table lacks %q:\n%s", want, rep.Table())
		}
	}
	if len(rep.Config.Seeds) != 2 || rep.Config.Seeds[0] != 5 || rep.Data.Train != 8000 || rep.Data.Test != 2000 {
		t.Errorf("config %+v data %+v", rep.Config, rep.Data)
	}
	if len(rep.Runs) != 4 || len(rep.Summary) != 2 || len(rep.Paired) != 1 || rep.Paired[0].A != "adam" || rep.Paired[0].B != "sgd" {
		t.Fatalf("runs %d summary %d paired %+v", len(rep.Runs), len(rep.Summary), rep.Paired)
	}
	for _, r := range rep.Runs {
		// Chance is 0.1; two 5×5 filters and one epoch reach about 0.9.
		if r.TrainAccuracy < 0.6 || r.TestAccuracy < 0.6 {
			t.Errorf("%s seed %d: train %.3f test %.3f, want above 0.6", r.Optimizer.Name, r.Seed, r.TrainAccuracy, r.TestAccuracy)
		}
		if !(r.Noisiness.HighFreq > 0 && r.Noisiness.HighFreq < 1) {
			t.Errorf("%s: high-frequency share %v", r.Optimizer.Name, r.Noisiness.HighFreq)
		}
	}
	if p := rep.Plot(); len(p.Panels) != 2*(1+len(o.Optimizers)) {
		t.Errorf("plot has %d panels, want %d", len(p.Panels), 2*(1+len(o.Optimizers)))
	}
}

func TestFigure1Options(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Figure1Options)
		want error
	}{
		{func(o *Figure1Options) { o.Seeds = 0 }, ErrInvalid},
		{func(o *Figure1Options) { o.Optimizers = []string{"adam", "rmsprop"} }, ErrInvalid},
		{func(o *Figure1Options) { o.ConvInit = 0 }, ErrInvalid},
		{func(o *Figure1Options) { o.Kernel = 40 }, convnet.ErrInvalid},
		{func(o *Figure1Options) { o.Epochs = 0 }, convnet.ErrInvalid},
	} {
		o := DefaultFigure1()
		tc.mod(&o)
		if _, err := o.Config(); !errors.Is(err, tc.want) {
			t.Errorf("%+v: err = %v, want %v", o, err, tc.want)
		}
	}
}
