package experiment

import (
	"context"
	"math"

	"github.com/adamgap/adamgap/data"
)

// CleanErrors are one run's test errors measured against the clean test
// labels (the labels the examples were drawn with, before label noise):
// test_error_clean of summary.json. The test error of train.Result is
// against the noisy labels, the population risk whose Bayes optimum is p.
type CleanErrors struct {
	Last, Best float64 // of the last and of the min-gradient iterate; NaN where not measured
}

// measureClean fills o.Clean when the test set has clean labels apart
// from its noisy ones.
func (o *Outcome) measureClean(ctx context.Context) {
	if o.Test == nil || o.Test.Clean == nil {
		return
	}
	clean := o.Test.WithCleanLabels()
	cnn := o.Config.CNN()
	rate := func(w []float64) float64 {
		if len(w) == 0 {
			return math.NaN()
		}
		k, err := cnn.ErrorsContext(ctx, w, clean)
		if err != nil {
			return math.NaN()
		}
		return float64(k) / float64(clean.N())
	}
	o.Clean = make([]CleanErrors, len(o.Results))
	for i, r := range o.Results {
		o.Clean[i] = CleanErrors{Last: math.NaN(), Best: math.NaN()}
		if r == nil || r.Err != nil {
			continue
		}
		o.Clean[i] = CleanErrors{Last: rate(r.W), Best: rate(r.Best.W)}
	}
}

// DataSummary describes the data of a run in summary.json: the family's
// knobs, the derived SNR = ‖μ‖/(σp·√d), the flipped labels and where the
// test set came from.
type DataSummary struct {
	Noise        string  `json:"noise"`
	SignalNorm   float64 `json:"signal_norm"`
	SNR          float64 `json:"snr"`
	LabelNoise   float64 `json:"label_noise"`
	TrainFlipped int     `json:"train_flipped"`
	TestFlipped  int     `json:"test_flipped"`
	TestSet      string  `json:"test_set"`
}

// DataSummary returns the data part of summary.json.
func (s *Setup) DataSummary() *DataSummary {
	pm := s.Config.PatchModel()
	d := &DataSummary{
		Noise: string(data.Sparse), SignalNorm: pm.Mu(), SNR: pm.SNR(), LabelNoise: pm.LabelNoise,
		TestSet: s.TestFrom,
	}
	if pm.Noise != "" {
		d.Noise = string(pm.Noise)
	}
	if s.Train != nil {
		d.TrainFlipped = s.Train.Flipped()
	}
	if s.Test != nil {
		d.TestFlipped = s.Test.Flipped()
	}
	return d
}
