package experiment

import (
	"context"
	"encoding/json"
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
// training and test sets came from. The knobs describe the sets drawn from
// the configured model: with data_from they describe the test set when it
// was drawn (train_set names the file), and they are left out when the
// file held both sets, as nothing that ran was drawn with them.
type DataSummary struct {
	Noise        string  `json:"noise"`
	SignalNorm   float64 `json:"signal_norm"`
	SNR          float64 `json:"snr"`
	LabelNoise   float64 `json:"label_noise"`
	TrainFlipped int     `json:"train_flipped"`
	TestFlipped  int     `json:"test_flipped"`
	TrainSet     string  `json:"train_set,omitempty"`
	TestSet      string  `json:"test_set"`
	// Drawn reports whether a set was drawn from the configured model,
	// which Noise, SignalNorm, SNR and LabelNoise then describe.
	Drawn bool `json:"-"`
}

// MarshalJSON leaves out noise, signal_norm, snr and label_noise where no
// set was drawn (Drawn false).
func (d DataSummary) MarshalJSON() ([]byte, error) {
	type plain DataSummary
	if d.Drawn {
		return json.Marshal(plain(d))
	}
	return json.Marshal(struct {
		TrainFlipped int    `json:"train_flipped"`
		TestFlipped  int    `json:"test_flipped"`
		TrainSet     string `json:"train_set,omitempty"`
		TestSet      string `json:"test_set"`
	}{d.TrainFlipped, d.TestFlipped, d.TrainSet, d.TestSet})
}

// UnmarshalJSON reads what MarshalJSON writes: Drawn is whether noise is
// there (a drawn set always has a noise kind).
func (d *DataSummary) UnmarshalJSON(b []byte) error {
	type plain DataSummary
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = DataSummary(p)
	d.Drawn = d.Noise != ""
	return nil
}

// DataSummary returns the data part of summary.json.
func (s *Setup) DataSummary() *DataSummary {
	pm := s.Config.PatchModel()
	d := &DataSummary{
		Noise: string(data.Sparse), SignalNorm: pm.Mu(), SNR: pm.SNR(), LabelNoise: pm.LabelNoise,
		TestSet: s.TestFrom, Drawn: s.Config.DataFrom == "" || s.TestDrawn(),
	}
	if s.Config.DataFrom != "" {
		d.TrainSet = "data_from " + s.Config.DataFrom
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
