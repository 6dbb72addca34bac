package main

import (
	"fmt"
	"strings"

	"github.com/adamgap/adamgap/experiment"
)

// dataNote is what a run prints about its data beyond Table 1: the SNR
// and flipped labels of the family's knobs, the clean-label test errors,
// and, for --data-from without a test set in the file, that the test set
// was drawn from the configured model.
func dataNote(o *experiment.Outcome) string {
	if o == nil || o.Setup == nil {
		return ""
	}
	var b strings.Builder
	d := o.DataSummary()
	// The configured model's noise, ‖μ‖ and SNR describe the data only
	// where it was drawn: with data_from, the file's sets are what they
	// are, and only a test set drawn beside them has them.
	switch from := o.Config.DataFrom; {
	case from == "":
		fmt.Fprintf(&b, "\nData: noise=%s, ‖μ‖=%g, SNR=‖μ‖/(σp·√d)=%.4g", d.Noise, d.SignalNorm, d.SNR)
		if d.LabelNoise > 0 {
			fmt.Fprintf(&b, ", label_noise=%g (%d of %d training labels flipped, %d of %d test labels)",
				d.LabelNoise, d.TrainFlipped, o.Train.N(), d.TestFlipped, o.Test.N())
		}
	case o.TestDrawn():
		fmt.Fprintf(&b, "\nData: training set from %s; test set drawn with noise=%s, ‖μ‖=%g, SNR=‖μ‖/(σp·√d)=%.4g", from, d.Noise, d.SignalNorm, d.SNR)
		if d.LabelNoise > 0 {
			fmt.Fprintf(&b, ", label_noise=%g (%d of %d test labels flipped)", d.LabelNoise, d.TestFlipped, o.Test.N())
		}
	default:
		fmt.Fprintf(&b, "\nData: training and test sets from %s", from)
	}
	b.WriteString("\n")
	for i, c := range o.Clean {
		if r := o.Results[i]; r.Err == nil {
			if d.LabelNoise > 0 {
				fmt.Fprintf(&b, "  %s: test error %.4g on the noisy labels (Bayes risk %g), %.4g on the clean labels\n", r.Optimizer, r.TestError, d.LabelNoise, c.Last)
			} else { // a file's test set with y_test_clean: its flips are the file's
				fmt.Fprintf(&b, "  %s: test error %.4g on y_test, %.4g on y_test_clean\n", r.Optimizer, r.TestError, c.Last)
			}
		}
	}
	if o.TestDrawn() {
		fmt.Fprintf(&b, "Note: the test set was %s, not taken from %s, which holds no X_test/y_test: the test error measures that model, not the file's distribution.\n",
			o.TestFrom, o.Config.DataFrom)
	}
	return b.String()
}
