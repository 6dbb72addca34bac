package theory

import (
	"fmt"

	"github.com/adamgap/adamgap/train"
)

// Flip locates Lemma 5.3's sign flip of the feature learning of one class j:
// Λⱼ = max_r ⟨w_{j,r}, j·v⟩ grows by about η per step at first, peaks, then
// falls by about η per step and turns negative, so the model ends up
// fitting the feature noise −αyv instead of the feature. Steps are those of
// the logged records, so they are exact to within the logging cadence.
type Flip struct {
	Class    int     // j ∈ {−1, +1}
	Start    float64 // Λⱼ at the first record (step 0 in a full run)
	PeakStep int     // first step at which Λⱼ is largest
	Peak     float64 // that largest value
	// NegStep is the first logged step after PeakStep at which Λⱼ < 0, or
	// −1 if Λⱼ stays ≥ 0 to the end of the records.
	NegStep int
	Last    float64 // Λⱼ at the last record
}

// Flipped reports whether Λⱼ turned negative after its peak.
func (f Flip) Flipped() bool { return f.NegStep >= 0 }

// Flips reads the flips of both classes (index 0: j = +1, index 1: j = −1)
// from the records of one run, in increasing step order. It returns an error
// if records is empty, mixes optimisers or is not sorted by step.
func Flips(records []train.Record) ([2]Flip, error) {
	if len(records) == 0 {
		return [2]Flip{}, fmt.Errorf("%w: flips: no records", ErrInvalid)
	}
	for i := 1; i < len(records); i++ {
		if records[i].Optimizer != records[0].Optimizer {
			return [2]Flip{}, fmt.Errorf("%w: flips: records mix optimizers %q and %q; pass one run", ErrInvalid, records[0].Optimizer, records[i].Optimizer)
		}
		if records[i].Step <= records[i-1].Step {
			return [2]Flip{}, fmt.Errorf("%w: flips: record %d has step %d after step %d; records must be in increasing step order", ErrInvalid, i, records[i].Step, records[i-1].Step)
		}
	}
	pos := func(r train.Record) float64 { return r.FeaturePos }
	neg := func(r train.Record) float64 { return r.FeatureNeg }
	return [2]Flip{flip(records, +1, pos), flip(records, -1, neg)}, nil
}

func flip(records []train.Record, class int, lambda func(train.Record) float64) Flip {
	f := Flip{Class: class, Start: lambda(records[0]), PeakStep: records[0].Step, Peak: lambda(records[0]), NegStep: -1}
	peak := 0
	for i, r := range records {
		if v := lambda(r); v > f.Peak {
			f.Peak, f.PeakStep, peak = v, r.Step, i
		}
	}
	for _, r := range records[peak+1:] {
		if lambda(r) < 0 {
			f.NegStep = r.Step
			break
		}
	}
	f.Last = lambda(records[len(records)-1])
	return f
}
