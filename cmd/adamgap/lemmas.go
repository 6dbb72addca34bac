package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/theory"
)

func init() { reproduceExtras = append(reproduceExtras, newLemmasCmd) }

// lemmaStream is the random stream of the seed used by the Monte Carlo
// estimates and the drawn data sets of the Lemma 5.1 table.
const lemmaStream = 65

type lemmasOpts struct {
	out       string
	seed      uint64
	trials    int
	etas      []float64
	stepsEta  float64
	jobs      int
	testSize  int
	logPoints int
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

func newLemmasCmd() *cobra.Command {
	var (
		o    lemmasOpts
		etas string
	)
	cmd := &cobra.Command{
		Use:   "lemmas",
		Short: "Lemma 5.1 (disjoint noise supports) measured, and the flip of Adam's feature learning (Lemma 5.3) across η",
		Long: `Lemmas prints two tables.

Lemma 5.1: the probability that the n noise supports are pairwise disjoint,
exactly (a product of binomial ratios), by Monte Carlo (--trials draws) and
as the lemma's union bound (A.1), from configurations inside the lemma's
assumption s ≤ √d/(2n²) to the paper's experiment (n=200, s=100, d=1000),
with the overlap measured on a drawn data set.

Lemma 5.3 (A.4): Adam (PyTorch form, β=(0.9, 0.999)) at the paper's Section 6
settings for each η of --etas, each run for --steps-eta/η steps: the step at
which the feature learning Λⱼ = max_r ⟨w_{j,r}, j·v⟩ peaks and the step at
which it turns negative, for both classes. The lemma predicts T ∝ 1/η, so
η·T should not change with η; the fitted slope of log T against log η should
be −1.

Writes DIR/lemmas.json.`,
		Example: `  adamgap reproduce lemmas --out results/lemmas
  adamgap reproduce lemmas --etas 1e-5,2e-5,5e-5,1e-4,2e-4,4e-4`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if o.etas, err = parseFloats(etas); err != nil {
				return usagef(cmd, "--etas=%q: %v", etas, err)
			}
			for _, e := range o.etas {
				if !(e > 0) || math.IsInf(e, 0) {
					return usagef(cmd, "--etas: %v must be a finite number > 0", e)
				}
			}
			switch {
			case o.trials < 1:
				return usagef(cmd, "--trials=%d must be at least 1", o.trials)
			case !(o.stepsEta > 0):
				return usagef(cmd, "--steps-eta=%v must be > 0 (steps per run = steps-eta/η)", o.stepsEta)
			case o.logPoints < 10:
				return usagef(cmd, "--log-points=%d must be at least 10", o.logPoints)
			}
			rep, err := reproduceLemmas(cmd.Context(), o, cmd.ErrOrStderr())
			if rep == nil {
				return err
			}
			return emit(cmd, o.out, "lemmas.json", rep, err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "results", "output folder (created if needed)")
	f.Uint64Var(&o.seed, "seed", 0, "seed of the data, W₀ and the Monte Carlo draws")
	f.IntVar(&o.trials, "trials", 20000, "Monte Carlo draws per Lemma 5.1 row")
	f.StringVar(&etas, "etas", "1.25e-5,2.5e-5,5e-5,1e-4", "comma-separated Adam learning rates of the flip sweep (empty: skip it)")
	f.Float64Var(&o.stepsEta, "steps-eta", 0.1, "each flip run takes steps-eta/η steps (0.1: 2000 steps at η=5e-5, 8000 at 1.25e-5)")
	f.IntVar(&o.logPoints, "log-points", 400, "logged rows per flip run (the flip steps are exact to steps/log-points)")
	f.IntVar(&o.testSize, "test-size", 1000, "fresh test examples of the flip runs (only the final test error uses them)")
	f.IntVar(&o.jobs, "jobs", 0, "flip runs trained concurrently (0: one per CPU)")
	return cmd
}

func parseFloats(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", f)
		}
		out = append(out, v)
	}
	return out, nil
}

type supportsRow struct {
	N             int            `json:"n"`
	S             int            `json:"s"`
	D             int            `json:"d"`
	SparsityRatio num            `json:"sparsity_ratio"` // s/(√d/(2n²)); the lemma assumes ≤ 1
	MeanSharing   num            `json:"mean_sharing"`   // n·s/(d−1)
	Exact         num            `json:"p_disjoint_exact"`
	MonteCarlo    num            `json:"p_disjoint_monte_carlo"`
	StdErr        num            `json:"monte_carlo_stderr"`
	Trials        int            `json:"trials"`
	UnionBound    num            `json:"union_bound"`   // bound (A.1) on P(some overlap)
	LemmaBound    num            `json:"lemma_bound"`   // 4n²s²/d
	Promise       num            `json:"lemma_promise"` // 1 − n⁻² where the assumption holds, else null
	Measured      theory.Sharing `json:"measured"`      // on one training set
	MeasuredOn    string         `json:"measured_on"`   // which: the flip runs' own, or a separate draw
}

type flipRow struct {
	Eta       float64      `json:"eta"`
	Steps     int          `json:"steps"`
	LogEvery  int          `json:"log_every"`
	Flips     [2]flipClass `json:"classes"`      // +1, −1
	T0        num          `json:"t0_predicted"` // 1/(η s σp)
	Tr        num          `json:"tr_predicted"` // σ₀/(η s σp α^{1/(q−1)})
	TestError num          `json:"test_error"`
	Seconds   num          `json:"seconds"`
	Error     string       `json:"error,omitempty"`
	// Lemma 5.3 per neuron over [T_r, T₀], T₀ = min(T₀ predicted, steps)
	T0Used  int              `json:"t0_used"`
	Neurons []neuronFlipRow  `json:"neurons"`
	Summary [2]neuronSummary `json:"neuron_summary"` // class +1, class −1
}

// neuronFlipRow is theory.NeuronFlip in JSON.
type neuronFlipRow struct {
	Class           int  `json:"class"`
	Neuron          int  `json:"neuron"`
	Tr              int  `json:"tr_measured"`
	RateMean        num  `json:"rate_mean_eta"` // per-step change of ⟨w, j·v⟩ over [T_r, T₀] / η
	RateMin         num  `json:"rate_min_eta"`
	RateMax         num  `json:"rate_max_eta"`
	FallShare       num  `json:"fall_share"`
	FeatureT0       num  `json:"feature_t0_ssp"` // w^{(T₀)}[1]·sσp
	FeatureSignOK   bool `json:"feature_sign_ok"`
	OwnMedian       num  `json:"own_noise_median_ssp"` // |w^{(T₀)}[k]|·sσp, k touched by class j
	OwnP90          num  `json:"own_noise_p90_ssp"`
	OwnSignShare    num  `json:"own_noise_sign_share"`
	OtherMedian     num  `json:"other_median_eta"` // |w^{(T₀)}[k]|/η, k not touched by class j
	OtherMoveMedian num  `json:"other_move_median_eta"`
}

// neuronSummary is one class's neurons: median [min, max] of each number.
type neuronSummary struct {
	Class     int    `json:"class"`
	Tr        [3]num `json:"tr_measured"`
	RateMean  [3]num `json:"rate_mean_eta"`
	FeatureT0 [3]num `json:"feature_t0_ssp"`
	SignOK    int    `json:"feature_sign_ok"` // neurons with w[1] of sign −j
	Neurons   int    `json:"neurons"`
	OwnMedian [3]num `json:"own_noise_median_ssp"`
	OwnP90    [3]num `json:"own_noise_p90_ssp"`
	OwnSign   [3]num `json:"own_noise_sign_share"`
	Other     [3]num `json:"other_median_eta"`
	OtherMove [3]num `json:"other_move_median_eta"`
}

type flipClass struct {
	Class    int `json:"class"`
	Start    num `json:"start"`
	PeakStep int `json:"peak_step"`
	Peak     num `json:"peak"`
	NegStep  int `json:"neg_step"` // −1: never negative
	Last     num `json:"last"`
}

type lemmasReport struct {
	Seed     uint64        `json:"seed"`
	Supports []supportsRow `json:"lemma_5_1"`
	Config   string        `json:"flip_config"`
	Flips    []flipRow     `json:"lemma_5_3"`
	// Slopes of log T against log η over the runs where both ends exist:
	// peak and negative step, per class (+1, −1); the lemma predicts −1.
	SlopePeak [2]num `json:"slope_peak"`
	SlopeNeg  [2]num `json:"slope_neg"`
}

func reproduceLemmas(ctx context.Context, o lemmasOpts, log io.Writer) (*lemmasReport, error) {
	rep := &lemmasReport{Seed: o.seed}
	rng := experiment.RNG(o.seed, lemmaStream)
	for _, sup := range lemmaSupports {
		p, se := sup.MonteCarlo(o.trials, rng)
		row := supportsRow{
			N: sup.N, S: sup.S, D: sup.D,
			SparsityRatio: num(sup.SparsityRatio()), MeanSharing: num(sup.MeanSharing()),
			Exact: num(sup.Exact()), MonteCarlo: num(p), StdErr: num(se), Trials: o.trials,
			UnionBound: num(sup.UnionBound()), LemmaBound: num(sup.LemmaBound()), Promise: num(math.NaN()),
		}
		if sup.SparsityRatio() <= 1 {
			row.Promise = num(1 - 1/float64(sup.N*sup.N))
		}
		pm := data.PatchModel{D: sup.D, S: sup.S, SigmaP: 1 / math.Sqrt(float64(sup.S)), Alpha: 0.2}
		set, err := pm.Train(sup.N, rng) // drawn for every row, so the stream does not depend on the next branch
		if err != nil {
			return nil, err
		}
		row.MeasuredOn = fmt.Sprintf("a training set drawn for this row (stream %d of seed %d)", lemmaStream, o.seed)
		if p := config.Paper(); sup.N == p.N && sup.S == p.S && sup.D == p.D {
			// The paper's experiment: the flip runs' own training data.
			p.Seed = o.seed
			own, err := experiment.Prepare(p)
			if err != nil {
				return nil, err
			}
			set = own.Train
			row.MeasuredOn = fmt.Sprintf("the flip runs' own training data (Section 6 settings, seed %d)", o.seed)
		}
		row.Measured = theory.MeasureSharing(set)
		rep.Supports = append(rep.Supports, row)
	}
	progress(log, "Lemma 5.1: %d rows, %d Monte Carlo draws each\n", len(rep.Supports), o.trials)

	p := config.Paper()
	rep.Config = fmt.Sprintf("Adam (PyTorch form, β=(0.9, 0.999)) at Zou et al. Section 6: d=%d n=%d s=%d σp=%g α=%g σ₀=%g λ=%g m=%d q=%d, seed %d; steps = %g/η",
		p.D, p.N, p.S, p.SigmaP, p.Alpha, p.Sigma0, p.Lambda, p.M, p.Q, o.seed, o.stepsEta)
	rep.Flips = make([]flipRow, len(o.etas))
	jobs := o.jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	errs := make([]error, len(o.etas))
	for i, eta := range o.etas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			rep.Flips[i], errs[i] = flipRun(ctx, o, eta)
			progress(log, "flip η=%g: %d steps, %.1fs\n", eta, rep.Flips[i].Steps, float64(rep.Flips[i].Seconds))
		}()
	}
	wg.Wait()
	for c := range 2 {
		rep.SlopePeak[c] = num(flipSlope(rep.Flips, c, func(f flipClass) int { return f.PeakStep }))
		rep.SlopeNeg[c] = num(flipSlope(rep.Flips, c, func(f flipClass) int { return f.NegStep }))
	}
	return rep, errors.Join(errs...)
}

func flipRun(ctx context.Context, o lemmasOpts, eta float64) (flipRow, error) {
	cfg := config.Paper()
	cfg.Seed, cfg.TestSize = o.seed, o.testSize
	cfg.Steps = int(math.Ceil(o.stepsEta / eta))
	cfg.LogEvery = max(1, cfg.Steps/o.logPoints)
	cfg.TestEvery = 0
	adam, _ := optim.Default("adam")
	adam.LR = eta
	cfg.Optimizers = []optim.Spec{adam}
	row := flipRow{Eta: eta, Steps: cfg.Steps, LogEvery: cfg.LogEvery, TestError: num(math.NaN()), Seconds: num(math.NaN())}
	sc := theory.ScalesOf(theory.ParamsOf(cfg))
	row.T0, row.Tr = num(sc.T0), num(sc.Tr)
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
	row.TestError, row.Seconds = num(res.TestError), num(res.Seconds)
	flips, err := theory.Flips(res.Records)
	if err != nil {
		row.Error = err.Error()
		return row, err
	}
	for c, f := range flips {
		row.Flips[c] = flipClass{Class: f.Class, Start: num(f.Start), PeakStep: f.PeakStep, Peak: num(f.Peak), NegStep: f.NegStep, Last: num(f.Last)}
	}
	nfs, err := theory.NeuronFlips(trace, setup.Train, eta, float64(cfg.S)*cfg.SigmaP)
	if err != nil {
		row.Error = err.Error()
		return row, err
	}
	for _, f := range nfs {
		row.Neurons = append(row.Neurons, neuronFlipRow{
			Class: f.Class, Neuron: f.Neuron, Tr: f.Tr,
			RateMean: num(f.RateMean), RateMin: num(f.RateMin), RateMax: num(f.RateMax), FallShare: num(f.FallShare),
			FeatureT0: num(f.FeatureT0), FeatureSignOK: f.FeatureSignOK,
			OwnMedian: num(f.OwnMedian), OwnP90: num(f.OwnP90), OwnSignShare: num(f.OwnSignShare),
			OtherMedian: num(f.OtherMedian), OtherMoveMedian: num(f.OtherMoveMedian),
		})
	}
	row.Summary = [2]neuronSummary{summariseNeurons(row.Neurons, 1), summariseNeurons(row.Neurons, -1)}
	return row, nil
}

// summariseNeurons returns median, min and max over class j's neurons.
func summariseNeurons(rows []neuronFlipRow, j int) neuronSummary {
	s := neuronSummary{Class: j}
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
func medRange(v []float64) [3]num {
	var ok []float64
	for _, x := range v {
		if !math.IsNaN(x) {
			ok = append(ok, x)
		}
	}
	if len(ok) == 0 {
		n := num(math.NaN())
		return [3]num{n, n, n}
	}
	slices.Sort(ok)
	med := (ok[(len(ok)-1)/2] + ok[len(ok)/2]) / 2
	return [3]num{num(med), num(ok[0]), num(ok[len(ok)-1])}
}

// flipSlope fits log T = a + b·log η by least squares over the runs where
// T > 0 for class c and returns b (NaN with fewer than two points).
func flipSlope(rows []flipRow, c int, t func(flipClass) int) float64 {
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

func (r *lemmasReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *lemmasReport) table() string {
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
		if strings.HasPrefix(x.MeasuredOn, "the flip runs'") {
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
	b.WriteString("The lemma: ⟨w_{j,r}, j·v⟩ falls by η a step from T_r = Õ(σ₀/(η s σp α^{1/(q−1)})); at T₀, w[1]·sσp = −sgn(j)·Ω̃(1), noise coordinates of class j: |w|·sσp = Ω̃(1) with ξ's sign (or O(η)), others O(η).\n\n")
	b.WriteString("| η | class | T_r measured | T_r pred. | measured / pred. | Δ⟨w, j·v⟩ per step / η | w^{(T₀)}[1]·sσp | sign −j | own noise |w|·sσp median (p90) | sign = Σξ | other |w|/η (moved/η) |\n")
	b.WriteString("|---:|---:|---|---:|---:|---|---|---:|---|---|---|\n")
	mr := func(v [3]num) string { return fmt.Sprintf("%s [%s, %s]", g3(v[0]), g3(v[1]), g3(v[2])) }
	for _, x := range r.Flips {
		if x.Error != "" {
			continue
		}
		for _, s := range x.Summary {
			ratio := num(float64(s.Tr[0]) / float64(x.Tr))
			fmt.Fprintf(&b, "| %g | %+d | %s | %s | %s | %s | %s | %d/%d | %s (%s) | %s | %s (%s) |\n",
				x.Eta, s.Class, mr(s.Tr), g3(x.Tr), g3(ratio), mr(s.RateMean), mr(s.FeatureT0), s.SignOK, s.Neurons,
				mr(s.OwnMedian), g3(s.OwnP90[0]), mr(s.OwnSign), g3(s.Other[0]), g3(s.OtherMove[0]))
		}
	}
	return b.String()
}
