package paper

import (
	"fmt"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/data"
)

// CheckData is the data part of check's report: the family's knobs and
// the SNR they give.
type CheckData struct {
	Noise      string  `json:"noise"`
	SignalNorm float64 `json:"signal_norm"`
	// SNR = ‖μ‖/(σp·√d), the signal-to-noise ratio of the family's papers
	// (null with data_from and no d).
	SNR        Num     `json:"snr"`
	LabelNoise float64 `json:"label_noise"`
}

func checkDataOf(c config.Config) CheckData {
	pm := c.PatchModel()
	d := CheckData{Noise: string(data.Sparse), SignalNorm: pm.Mu(), SNR: nan, LabelNoise: pm.LabelNoise}
	if pm.Noise != "" {
		d.Noise = string(pm.Noise)
	}
	if c.D > 0 {
		d.SNR = Num(pm.SNR())
	}
	return d
}

// line is the data line of check's table.
func (d CheckData) line() string {
	s := fmt.Sprintf("data: noise=%s ‖μ‖=%g SNR=‖μ‖/(σp·√d)=%s label_noise=%g", d.Noise, d.SignalNorm, g3(d.SNR), d.LabelNoise)
	if d.Noise != string(data.Sparse) || d.SignalNorm != 1 || d.LabelNoise != 0 {
		s += " (the conditions below are the seed paper's, stated for sparse noise, ‖μ‖ = 1 and clean labels)"
	}
	return s
}
