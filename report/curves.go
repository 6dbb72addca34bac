package report

import (
	"fmt"

	"github.com/adamgap/adamgap/train"
)

// Curves summarises a run's Figure 2 panel in one line for class +1: feature
// learning at its start, peak (with step) and end, and noise memorisation at
// its start and end.
func Curves(r *train.Result) string {
	if len(r.Records) == 0 {
		return r.Optimizer + ": no records"
	}
	first, last := r.Records[0], r.Records[len(r.Records)-1]
	peak := first
	for _, rec := range r.Records {
		if rec.FeaturePos > peak.FeaturePos {
			peak = rec
		}
	}
	return fmt.Sprintf("%s: feature learning %.3g → peak %.3g at step %d → %.3g; noise memorisation %.3g → %.3g",
		r.Optimizer, first.FeaturePos, peak.FeaturePos, peak.Step, last.FeaturePos, first.NoiseMinPos, last.NoiseMinPos)
}
