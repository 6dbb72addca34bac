package paper

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/internal/pool"
	"github.com/adamgap/adamgap/internal/stream"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/theory"
)

// LemmasOptions are the settings of Lemmas.
type LemmasOptions struct {
	Seed      uint64    // seed of the data, W₀ and the Monte Carlo draws
	Trials    int       // Monte Carlo draws per Lemma 5.1 row, ≥ 1
	Etas      []float64 // Adam learning rates of the flip sweep (none: skip it)
	StepsEta  float64   // each flip run takes StepsEta/η steps
	LogPoints int       // logged rows per flip run, ≥ 10 (the flip steps are exact to steps/LogPoints)
	TestSize  int       // fresh test examples of the flip runs
	Jobs      int       // flip runs trained concurrently; 0: one per CPU
}

// DefaultLemmas returns the settings of "adamgap reproduce lemmas".
func DefaultLemmas() LemmasOptions {
	return LemmasOptions{Trials: 20000, Etas: []float64{1.25e-5, 2.5e-5, 5e-5, 1e-4}, StepsEta: 0.1, LogPoints: 400, TestSize: 1000}
}

// Validate returns an error wrapping ErrInvalid naming the first option out
// of range.
func (o LemmasOptions) Validate() error {
	for _, e := range o.Etas {
		if !(e > 0) || math.IsInf(e, 0) {
			return fmt.Errorf("%w: etas: %v must be a finite number > 0", ErrInvalid, e)
		}
	}
	err := firstOf(
		atLeast("trials", o.Trials, 1, ""),
		unless(o.StepsEta > 0, "steps-eta=%v must be > 0 (steps per run = steps-eta/η)", o.StepsEta),
		unless(!math.IsInf(o.StepsEta, 0), "steps-eta=%v must be finite", o.StepsEta),
		atLeast("log-points", o.LogPoints, 10, ""),
	)
	if err == nil && len(o.Etas) > 0 {
		err = atLeast("test-size", o.TestSize, 1, "")
	}
	if err != nil {
		return err
	}
	for _, e := range o.Etas {
		if steps := math.Ceil(o.StepsEta / e); !(steps <= maxSteps) {
			return fmt.Errorf("%w: steps-eta=%v at η=%v asks for %g steps; at most %d", ErrInvalid, o.StepsEta, e, steps, maxSteps)
		}
	}
	return checkJobs(o.Jobs)
}

// lemmaSupports are the (n, s, d) rows of the Lemma 5.1 table, from inside
// the lemma's assumption s ≤ √d/(2n²) to the paper's own experiment.
var lemmaSupports = []theory.Supports{
	{N: 10, S: 1, D: 40000},
	{N: 20, S: 5, D: 10000},
	{N: 50, S: 10, D: 1000},
	{N: 200, S: 1, D: 1000},
	{N: 200, S: 100, D: 1000},
}

// SupportsRow is one (n, s, d) row of the Lemma 5.1 table.
type SupportsRow struct {
	N             int            `json:"n"`
	S             int            `json:"s"`
	D             int            `json:"d"`
	SparsityRatio Num            `json:"sparsity_ratio"` // s/(√d/(2n²)); the lemma assumes ≤ 1
	MeanSharing   Num            `json:"mean_sharing"`   // n·s/(d−1)
	Exact         Num            `json:"p_disjoint_exact"`
	MonteCarlo    Num            `json:"p_disjoint_monte_carlo"`
	StdErr        Num            `json:"monte_carlo_stderr"`
	Trials        int            `json:"trials"`
	UnionBound    Num            `json:"union_bound"`   // bound (A.1) on P(some overlap)
	LemmaBound    Num            `json:"lemma_bound"`   // 4n²s²/d
	Promise       Num            `json:"lemma_promise"` // 1 − n⁻² where the assumption holds, else null
	Measured      theory.Sharing `json:"measured"`      // on one training set
	MeasuredOn    string         `json:"measured_on"`   // which: the flip runs' own, or a separate draw
}

// isPaper reports whether the row is the paper's experiment (n, s and d of
// config.Paper), whose overlap Lemmas measures on the flip runs' own
// training data.
func (r SupportsRow) isPaper() bool {
	p := config.Paper()
	return r.N == p.N && r.S == p.S && r.D == p.D
}

// FlipRow is one flip run of Lemma 5.3: Adam at one learning rate.
type FlipRow struct {
	Eta       float64      `json:"eta"`
	Steps     int          `json:"steps"`
	LogEvery  int          `json:"log_every"`
	Flips     [2]FlipClass `json:"classes"`      // +1, −1
	T0        Num          `json:"t0_predicted"` // 1/(η s σp)
	Tr        Num          `json:"tr_predicted"` // σ₀/(η s σp α^{1/(q−1)})
	TestError Num          `json:"test_error"`
	Seconds   Num          `json:"seconds"`
	Error     string       `json:"error,omitempty"`
	// Lemma 5.3 per neuron over [T_r, T₀], T₀ = min(T₀ predicted, steps)
	T0Used  int              `json:"t0_used"`
	Neurons []NeuronFlipRow  `json:"neurons"`
	Summary [2]NeuronSummary `json:"neuron_summary"` // class +1, class −1
}

// NeuronFlipRow is theory.NeuronFlip in JSON: Lemma 5.3 on one neuron.
type NeuronFlipRow struct {
	Class           int  `json:"class"`
	Neuron          int  `json:"neuron"`
	Tr              int  `json:"tr_measured"`
	RateMean        Num  `json:"rate_mean_eta"` // per-step change of ⟨w, j·v⟩ over [T_r, T₀] / η
	RateMin         Num  `json:"rate_min_eta"`
	RateMax         Num  `json:"rate_max_eta"`
	FallShare       Num  `json:"fall_share"`
	FeatureT0       Num  `json:"feature_t0_ssp"` // w^{(T₀)}[1]·sσp
	FeatureSignOK   bool `json:"feature_sign_ok"`
	OwnMedian       Num  `json:"own_noise_median_ssp"` // |w^{(T₀)}[k]|·sσp, k touched by class j
	OwnP90          Num  `json:"own_noise_p90_ssp"`
	OwnSignShare    Num  `json:"own_noise_sign_share"`
	OtherMedian     Num  `json:"other_median_eta"` // |w^{(T₀)}[k]|/η, k touched by no class-j example
	OtherMoveMedian Num  `json:"other_move_median_eta"`
}

// NeuronSummary is one class's neurons: median, min and max of each number.
type NeuronSummary struct {
	Class     int    `json:"class"`
	Tr        [3]Num `json:"tr_measured"`
	RateMean  [3]Num `json:"rate_mean_eta"`
	FeatureT0 [3]Num `json:"feature_t0_ssp"`
	SignOK    int    `json:"feature_sign_ok"` // neurons with w[1] of sign −j
	Neurons   int    `json:"neurons"`
	OwnMedian [3]Num `json:"own_noise_median_ssp"`
	OwnP90    [3]Num `json:"own_noise_p90_ssp"`
	OwnSign   [3]Num `json:"own_noise_sign_share"`
	Other     [3]Num `json:"other_median_eta"`
	OtherMove [3]Num `json:"other_move_median_eta"`
}

// FlipClass is the course of Λⱼ for one class j of a flip run.
type FlipClass struct {
	Class    int `json:"class"`
	Start    Num `json:"start"`
	PeakStep int `json:"peak_step"`
	Peak     Num `json:"peak"`
	NegStep  int `json:"neg_step"` // −1: never negative
	Last     Num `json:"last"`
}

// LemmasReport is lemmas.json: both tables and the fitted slopes.
type LemmasReport struct {
	Seed     uint64        `json:"seed"`
	Supports []SupportsRow `json:"lemma_5_1"`
	Config   string        `json:"flip_config"`
	Flips    []FlipRow     `json:"lemma_5_3"`
	// Slopes of log T against log η over the runs where both ends exist:
	// peak and negative step, per class (+1, −1); the lemma predicts −1.
	SlopePeak [2]Num `json:"slope_peak"`
	SlopeNeg  [2]Num `json:"slope_neg"`
}

// Lemmas measures two steps of the paper's proofs.
//
// Lemma 5.1: the probability that the n noise supports are pairwise
// disjoint, exactly (a product of binomial ratios), by Monte Carlo
// (o.Trials draws, stream.Lemmas) and as the lemma's union bound (A.1), from
// configurations inside the lemma's assumption s ≤ √d/(2n²) to the paper's
// experiment (n=200, s=100, d=1000), with the overlap measured on the flip
// runs' own training data for the paper's row (on a drawn set for the
// others).
//
// Lemma 5.3 (A.4): Adam (PyTorch form, β=(0.9, 0.999)) at the paper's
// Section 6 settings for each η of o.Etas, each run for o.StepsEta/η steps:
// the step at which the feature learning Λⱼ = max_r ⟨w_{j,r}, j·v⟩ peaks and
// the step at which it turns negative, for both classes. The lemma predicts
// T ∝ 1/η: the fitted slope of log T against log η should be LemmaSlope.
// Per neuron (theory.NeuronFlips over [T_r, T₀], T₀ = 1/(η s σp)): the
// measured T_r, the per-step change of ⟨w_{j,r}, j·v⟩ in units of η, and
// the feature and noise coordinates at T₀ in units of 1/(sσp).
//
// It returns the report with the errors of the flip runs joined.
func Lemmas(ctx context.Context, o LemmasOptions, rec progress.Recorder) (*LemmasReport, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	log := func(format string, args ...any) { progress.Notef(rec, "lemmas", fmt.Sprintf(format, args...)) }
	rep := &LemmasReport{Seed: o.Seed}
	rng := stream.New(o.Seed, stream.Lemmas)
	for _, sup := range lemmaSupports {
		p, se := sup.MonteCarlo(o.Trials, rng)
		row := SupportsRow{
			N: sup.N, S: sup.S, D: sup.D,
			SparsityRatio: Num(sup.SparsityRatio()), MeanSharing: Num(sup.MeanSharing()),
			Exact: Num(sup.Exact()), MonteCarlo: Num(p), StdErr: Num(se), Trials: o.Trials,
			UnionBound: Num(sup.UnionBound()), LemmaBound: Num(sup.LemmaBound()), Promise: Num(math.NaN()),
		}
		if sup.SparsityRatio() <= 1 {
			row.Promise = Num(1 - 1/float64(sup.N*sup.N))
		}
		pm := data.PatchModel{D: sup.D, S: sup.S, SigmaP: 1 / math.Sqrt(float64(sup.S)), Alpha: 0.2}
		set, err := pm.Train(sup.N, rng)
		if err != nil {
			return nil, err
		}
		row.MeasuredOn = fmt.Sprintf("a training set drawn for this row (stream %d of seed %d)", stream.Lemmas, o.Seed)
		if row.isPaper() {
			// The paper's experiment: the flip runs' own training data
			// (the row's draw above still happens, so the stream of the
			// other rows does not change).
			p := config.Paper()
			p.Seed = o.Seed
			own, err := experiment.Prepare(p)
			if err != nil {
				return nil, err
			}
			set = own.Train
			row.MeasuredOn = fmt.Sprintf("the flip runs' own training data (Section 6 settings, seed %d)", o.Seed)
		}
		row.Measured = theory.MeasureSharing(set)
		rep.Supports = append(rep.Supports, row)
	}
	log("Lemma 5.1: %d rows, %d Monte Carlo draws each", len(rep.Supports), o.Trials)

	p := config.Paper()
	rep.Config = fmt.Sprintf("Adam (PyTorch form, β=(0.9, 0.999)) at Zou et al. Section 6: d=%d n=%d s=%d σp=%g α=%g σ₀=%g λ=%g m=%d q=%g, seed %d; steps = %g/η",
		p.D, p.N, p.S, p.SigmaP, p.Alpha, p.Sigma0, p.Lambda, p.M, p.Q, o.Seed, o.StepsEta)
	rep.Flips = make([]FlipRow, len(o.Etas))
	// Every run is started: each records its own cancellation.
	err := pool.Run(context.WithoutCancel(ctx), len(o.Etas), o.Jobs, func(_ context.Context, i int) error {
		var err error
		eta := o.Etas[i]
		rep.Flips[i], err = flipRun(ctx, o, eta)
		log("flip η=%g: %d steps, %.1fs", eta, rep.Flips[i].Steps, float64(rep.Flips[i].Seconds))
		return err
	})
	for c := range 2 {
		rep.SlopePeak[c] = Num(flipSlope(rep.Flips, c, func(f FlipClass) int { return f.PeakStep }))
		rep.SlopeNeg[c] = Num(flipSlope(rep.Flips, c, func(f FlipClass) int { return f.NegStep }))
	}
	return rep, err
}

func flipRun(ctx context.Context, o LemmasOptions, eta float64) (FlipRow, error) {
	cfg := config.Paper()
	cfg.Seed, cfg.TestSize = o.Seed, o.TestSize
	cfg.Steps = int(math.Ceil(o.StepsEta / eta))
	cfg.LogEvery = max(1, cfg.Steps/o.LogPoints)
	cfg.TestEvery = 0
	adam, _ := optim.Default("adam")
	adam.LR = eta
	cfg.Optimizers = []optim.Spec{adam}
	row := FlipRow{Eta: eta, Steps: cfg.Steps, LogEvery: cfg.LogEvery, TestError: Num(math.NaN()), Seconds: Num(math.NaN())}
	sc := theory.ScalesOf(theory.ParamsOf(cfg))
	row.T0, row.Tr = Num(sc.T0), Num(sc.Tr)
	setup, err := experiment.Prepare(cfg)
	if err != nil {
		row.Error = err.Error()
		return row, err
	}
	loop := setup.Loop()
	row.T0Used = min(int(math.Round(sc.T0)), cfg.Steps)
	if !(row.T0Used >= 1) {
		row.T0Used = cfg.Steps
	}
	trace := theory.NewFeatureTrace(cfg.CNN(), row.T0Used)
	loop.Observe = trace.Observe
	res, err := loop.RunSpec(ctx, adam, setup.W0)
	if err != nil {
		row.Error = err.Error()
		return row, fmt.Errorf("flip run η=%g: %w", eta, err)
	}
	row.TestError, row.Seconds = Num(res.TestError), Num(res.Seconds)
	flips, err := theory.Flips(res.Records)
	if err != nil {
		row.Error = err.Error()
		return row, err
	}
	for c, f := range flips {
		row.Flips[c] = FlipClass{Class: f.Class, Start: Num(f.Start), PeakStep: f.PeakStep, Peak: Num(f.Peak), NegStep: f.NegStep, Last: Num(f.Last)}
	}
	nfs, err := theory.NeuronFlips(trace, setup.Train, eta, float64(cfg.S)*cfg.SigmaP)
	if err != nil {
		row.Error = err.Error()
		return row, err
	}
	for _, f := range nfs {
		row.Neurons = append(row.Neurons, NeuronFlipRow{
			Class: f.Class, Neuron: f.Neuron, Tr: f.Tr,
			RateMean: Num(f.RateMean), RateMin: Num(f.RateMin), RateMax: Num(f.RateMax), FallShare: Num(f.FallShare),
			FeatureT0: Num(f.FeatureT0), FeatureSignOK: f.FeatureSignOK,
			OwnMedian: Num(f.OwnMedian), OwnP90: Num(f.OwnP90), OwnSignShare: Num(f.OwnSignShare),
			OtherMedian: Num(f.OtherMedian), OtherMoveMedian: Num(f.OtherMoveMedian),
		})
	}
	row.Summary = [2]NeuronSummary{summariseNeurons(row.Neurons, 1), summariseNeurons(row.Neurons, -1)}
	return row, nil
}

// summariseNeurons returns median, min and max over class j's neurons.
func summariseNeurons(rows []NeuronFlipRow, j int) NeuronSummary {
	s := NeuronSummary{Class: j}
	var tr, rate, feat, own, p90, sign, other, move []float64
	for _, r := range rows {
		if r.Class != j {
			continue
		}
		s.Neurons++
		if r.FeatureSignOK {
			s.SignOK++
		}
		tr, rate, feat = append(tr, float64(r.Tr)), append(rate, float64(r.RateMean)), append(feat, float64(r.FeatureT0))
		own, p90, sign = append(own, float64(r.OwnMedian)), append(p90, float64(r.OwnP90)), append(sign, float64(r.OwnSignShare))
		other, move = append(other, float64(r.OtherMedian)), append(move, float64(r.OtherMoveMedian))
	}
	s.Tr, s.RateMean, s.FeatureT0 = medRange(tr), medRange(rate), medRange(feat)
	s.OwnMedian, s.OwnP90, s.OwnSign = medRange(own), medRange(p90), medRange(sign)
	s.Other, s.OtherMove = medRange(other), medRange(move)
	return s
}

// medRange returns the median, min and max of the non-NaN values of v.
func medRange(v []float64) [3]Num {
	var ok []float64
	for _, x := range v {
		if !math.IsNaN(x) {
			ok = append(ok, x)
		}
	}
	if len(ok) == 0 {
		return [3]Num{nan, nan, nan}
	}
	slices.Sort(ok)
	med := (ok[(len(ok)-1)/2] + ok[len(ok)/2]) / 2
	return [3]Num{Num(med), Num(ok[0]), Num(ok[len(ok)-1])}
}

// flipSlope fits log T = a + b·log η by least squares over the runs where
// T > 0 for class c and returns b (NaN with fewer than two points).
func flipSlope(rows []FlipRow, c int, t func(FlipClass) int) float64 {
	var xs, ys []float64
	for _, r := range rows {
		if r.Error != "" {
			continue
		}
		if v := t(r.Flips[c]); v > 0 {
			xs, ys = append(xs, math.Log(r.Eta)), append(ys, math.Log(float64(v)))
		}
	}
	if len(xs) < 2 {
		return math.NaN()
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(xs))
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return math.NaN()
	}
	return sxy / sxx
}

// Table is the report as Markdown: the Lemma 5.1 table, then the flip
// runs and the fitted slopes.
func (r *LemmasReport) Table() string {
	var b strings.Builder
	b.WriteString("Lemma 5.1: P(the n noise supports are pairwise disjoint); the lemma assumes s ≤ √d/(2n²) and then promises ≥ 1 − n⁻²\n\n")
	b.WriteString("| n | s | d | s/(√d/(2n²)) | n·s/(d−1) | exact | Monte Carlo ± se | union bound (A.1) | 4n²s²/d | promise 1−n⁻² | measured: coords used, mean (max) sharing, examples alone |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, x := range r.Supports {
		fmt.Fprintf(&b, "| %d | %d | %d | %s | %s | %s | %s ± %s | %s | %s | %s | %d, %.3g (%d), %.3g |\n",
			x.N, x.S, x.D, g3(x.SparsityRatio), g3(x.MeanSharing), g4(x.Exact), g4(x.MonteCarlo), g3(x.StdErr),
			g3(x.UnionBound), g3(x.LemmaBound), g4(x.Promise), x.Measured.Coordinates, x.Measured.Mean, x.Measured.Max, x.Measured.Alone)
	}
	for _, x := range r.Supports {
		if x.isPaper() {
			fmt.Fprintf(&b, "\nMeasured for n=%d, s=%d, d=%d on %s; the other rows on a drawn set.", x.N, x.S, x.D, x.MeasuredOn)
		}
	}
	b.WriteString("\nThe paper's experiment (n=200, s=100, d=1000) is the last row: every noise coordinate is shared by about 20 examples, so the disjointness the proofs rely on never happens.\n")
	if len(r.Flips) == 0 {
		return b.String()
	}
	fmt.Fprintf(&b, "\nLemma 5.3 (A.4): the flip of Adam's feature learning Λⱼ = max_r ⟨w_{j,r}, j·v⟩\n%s\n\n", r.Config)
	b.WriteString("| η | steps | class | Λⱼ(0) | peak step | peak Λⱼ | first step Λⱼ < 0 | η·peak | η·neg | T_r pred. | T₀ pred. | Λⱼ(T) |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, x := range r.Flips {
		if x.Error != "" {
			fmt.Fprintf(&b, "| %g | %d | failed: %s |\n", x.Eta, x.Steps, x.Error)
			continue
		}
		for _, f := range x.Flips {
			neg, etaNeg := "never", "—"
			if f.NegStep >= 0 {
				neg, etaNeg = strconv.Itoa(f.NegStep), fmt.Sprintf("%.3g", x.Eta*float64(f.NegStep))
			}
			fmt.Fprintf(&b, "| %g | %d | %+d | %s | %d | %s | %s | %.3g | %s | %s | %s | %s |\n",
				x.Eta, x.Steps, f.Class, g3(f.Start), f.PeakStep, g3(f.Peak), neg, x.Eta*float64(f.PeakStep), etaNeg, g3(x.Tr), g3(x.T0), g3(f.Last))
		}
	}
	fmt.Fprintf(&b, "\nSlope of log T against log η (the lemma predicts −1): peak %s (class +1), %s (class −1); turning negative %s (class +1), %s (class −1).\n",
		g3(r.SlopePeak[0]), g3(r.SlopePeak[1]), g3(r.SlopeNeg[0]), g3(r.SlopeNeg[1]))
	b.WriteString("Steps are exact to the logging cadence (steps/log-points). T_r and T₀ are the lemmas' Õ(·) scales with constants and logs set to 1.\n")
	b.WriteString("\nLemma 5.3 per neuron, over [T_r, T₀] (T₀ = the predicted 1/(η s σp), at most the run): median [min, max] over each class's m neurons.\n")
	b.WriteString("The lemma: ⟨w_{j,r}, j·v⟩ falls by η a step from T_r = Õ(σ₀/(η s σp α^{1/(q−1)})); at T₀, w[1]·sσp = −sgn(j)·Ω̃(1), noise coordinates of class j: |w|·sσp = Ω̃(1) with ξ's sign (or O(η)), others O(η) (— : no such coordinate).\n\n")
	b.WriteString("| η | class | T_r measured | T_r pred. | measured / pred. | Δ⟨w, j·v⟩ per step / η | w^{(T₀)}[1]·sσp | sign −j | own noise |w|·sσp median (p90) | sign = Σξ | other |w|/η (moved/η) |\n")
	b.WriteString("|---:|---:|---|---:|---:|---|---|---:|---|---|---|\n")
	mr := func(v [3]Num) string { return fmt.Sprintf("%s [%s, %s]", g3(v[0]), g3(v[1]), g3(v[2])) }
	for _, x := range r.Flips {
		if x.Error != "" {
			continue
		}
		for _, s := range x.Summary {
			ratio := Num(float64(s.Tr[0]) / float64(x.Tr))
			fmt.Fprintf(&b, "| %g | %+d | %s | %s | %s | %s | %s | %d/%d | %s (%s) | %s | %s (%s) |\n",
				x.Eta, s.Class, mr(s.Tr), g3(x.Tr), g3(ratio), mr(s.RateMean), mr(s.FeatureT0), s.SignOK, s.Neurons,
				mr(s.OwnMedian), g3(s.OwnP90[0]), mr(s.OwnSign), g3(s.Other[0]), g3(s.OtherMove[0]))
		}
	}
	return b.String()
}
