package paper

// The numbers the papers report, and the rules that turn measurements into
// verdicts. Each is used by one experiment and printed beside what it
// measured.

// Zou et al., Table 1 (Section 6 settings, T = 10⁴): test error of the last
// iterate. Both optimisers reach training error 0.
const (
	PaperTable1AdamTest = 0.884
	PaperTable1GDTest   = 0.0
)

// table1Note is the line printed under Table 1.
const table1Note = "Paper: training error 0 / 0, test error Adam 0.884, GD 0."

// PaperStochastic are the test errors Tang et al. (arXiv 2510.11354) report
// by optimiser and batch size, after 10⁴ epochs; training error is 0 in all
// four cells.
var PaperStochastic = map[string]map[int]float64{
	"adam":  {100: 0.9545, 2: 0},
	"adamw": {100: 0.5485, 2: 0},
}

// The stochastic verdict: for each optimiser, the largest batch fails when
// its mean test error is at least StochasticFails and the smallest
// generalises when its mean is at most StochasticGeneralises.
const (
	StochasticFails       = 0.3
	StochasticGeneralises = 0.1
)

// LemmaSlope is the slope of log T against log η that Lemma 5.3 predicts
// for the steps at which Adam's feature learning peaks and turns negative
// (T ∝ 1/η).
const LemmaSlope = -1.0

// The Figure 1 verdict (noisier, smoother or no consistent difference) is
// convnet.Paired's: a difference counts when every seed agrees and the
// mean is beyond two standard errors.
