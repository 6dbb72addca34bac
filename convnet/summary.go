package convnet

import (
	"math"

	"github.com/adamgap/adamgap/internal/spread"
)

// Stat is a mean and sample standard deviation over seeds, by
// spread.MeanSD: NaN values are left out, SD is 0 for one seed.
type Stat struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
}

func stat(xs []float64) Stat {
	mean, sd, _ := spread.MeanSD(xs)
	return Stat{Mean: mean, SD: sd}
}

// Summary is one optimiser's results over the seeds.
type Summary struct {
	Optimizer      Optimizer `json:"optimizer"`
	TrainAccuracy  Stat      `json:"train_accuracy"`
	TestAccuracy   Stat      `json:"test_accuracy"`
	HighFreq       Stat      `json:"high_freq_share"`
	TotalVariation Stat      `json:"total_variation"`
	UpdateHighFreq Stat      `json:"update_high_freq_share"`
	UpdateTV       Stat      `json:"update_total_variation"`
	// HighFreqByEpoch is the high-frequency share of the filters at the
	// end of each epoch, mean over seeds (empty unless recorded).
	HighFreqByEpoch []float64 `json:"high_freq_share_by_epoch,omitempty"`
	// UpdateHighFreqByEpoch is the same for w_t − w_0.
	UpdateHighFreqByEpoch []float64 `json:"update_high_freq_share_by_epoch,omitempty"`
}

// Summaries returns one Summary per optimiser, in Config order.
func (c *Comparison) Summaries() []Summary {
	var out []Summary
	for o, opt := range c.Config.Optimizers {
		var tr, te, hf, tv, uhf, utv []float64
		for s := range c.Config.Seeds {
			r := c.Run(s, o)
			tr = append(tr, r.TrainAccuracy)
			te = append(te, r.TestAccuracy)
			hf = append(hf, r.Noisiness.HighFreq)
			tv = append(tv, r.Noisiness.TotalVariation)
			uhf = append(uhf, r.UpdateNoisiness.HighFreq)
			utv = append(utv, r.UpdateNoisiness.TotalVariation)
		}
		out = append(out, Summary{
			Optimizer: opt, TrainAccuracy: stat(tr), TestAccuracy: stat(te),
			HighFreq: stat(hf), TotalVariation: stat(tv), UpdateHighFreq: stat(uhf), UpdateTV: stat(utv),
			HighFreqByEpoch:       c.byEpoch(o, func(e Epoch) *Noisiness { return e.Noisiness }),
			UpdateHighFreqByEpoch: c.byEpoch(o, func(e Epoch) *Noisiness { return e.Update }),
		})
	}
	return out
}

// InitSummary returns the noisiness of the initial filters over the seeds.
func (c *Comparison) InitSummary() (highFreq, totalVariation Stat) {
	var hf, tv []float64
	for _, in := range c.Inits {
		hf = append(hf, in.Noisiness.HighFreq)
		tv = append(tv, in.Noisiness.TotalVariation)
	}
	return stat(hf), stat(tv)
}

// Paired compares optimiser a with optimiser b seed by seed (they share
// initial weights and mini-batch order, so the per-seed difference is the
// fair contrast).
type Paired struct {
	A                  string `json:"a"`
	B                  string `json:"b"`
	HighFreqDiff       Stat   `json:"high_freq_share_diff"`        // a − b
	TotalVariationDiff Stat   `json:"total_variation_diff"`        // a − b
	UpdateHighFreqDiff Stat   `json:"update_high_freq_share_diff"` // a − b
	TestAccuracyDiff   Stat   `json:"test_accuracy_diff"`          // a − b
	NoisierSeeds       int    `json:"noisier_seeds"`               // seeds where a's high-frequency share exceeds b's
	Seeds              int    `json:"seeds"`
	Verdict            string `json:"verdict"` // see Paired.verdict
}

// Pair returns the paired comparison of optimiser indices a and b.
func (c *Comparison) Pair(a, b int) Paired {
	p := Paired{A: c.Config.Optimizers[a].Name, B: c.Config.Optimizers[b].Name, Seeds: len(c.Config.Seeds)}
	var hf, tv, uhf, te []float64
	for s := range c.Config.Seeds {
		ra, rb := c.Run(s, a), c.Run(s, b)
		hf = append(hf, ra.Noisiness.HighFreq-rb.Noisiness.HighFreq)
		tv = append(tv, ra.Noisiness.TotalVariation-rb.Noisiness.TotalVariation)
		uhf = append(uhf, ra.UpdateNoisiness.HighFreq-rb.UpdateNoisiness.HighFreq)
		te = append(te, ra.TestAccuracy-rb.TestAccuracy)
		if ra.Noisiness.HighFreq > rb.Noisiness.HighFreq {
			p.NoisierSeeds++
		}
	}
	p.HighFreqDiff, p.TotalVariationDiff, p.UpdateHighFreqDiff, p.TestAccuracyDiff = stat(hf), stat(tv), stat(uhf), stat(te)
	p.Verdict = p.verdict()
	return p
}

// verdict reads the paired high-frequency difference: "noisier" when a's
// share is higher in every seed and the mean difference exceeds two
// standard errors (2·sd/√seeds), "smoother" for the mirror case, and "no
// consistent difference" otherwise (always so for fewer than 2 seeds).
func (p Paired) verdict() string {
	if p.Seeds < 2 {
		return "no consistent difference (one seed)"
	}
	se2 := 2 * p.HighFreqDiff.SD / math.Sqrt(float64(p.Seeds))
	switch {
	case p.NoisierSeeds == p.Seeds && p.HighFreqDiff.Mean > se2:
		return "noisier"
	case p.NoisierSeeds == 0 && p.HighFreqDiff.Mean < -se2:
		return "smoother"
	}
	return "no consistent difference"
}

// byEpoch returns optimiser o's per-epoch high-frequency share of what get
// picks from an epoch, mean over seeds, or nil if an epoch lacks it.
func (c *Comparison) byEpoch(o int, get func(Epoch) *Noisiness) []float64 {
	out := make([]float64, c.Config.Epochs)
	seeds := make([]float64, len(c.Config.Seeds))
	for e := range out {
		for s := range c.Config.Seeds {
			r := c.Run(s, o)
			if len(r.Epochs) != len(out) || get(r.Epochs[e]) == nil {
				return nil
			}
			seeds[s] = get(r.Epochs[e]).HighFreq
		}
		out[e] = stat(seeds).Mean
	}
	return out
}
