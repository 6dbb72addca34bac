package paper

import (
	"context"
	"fmt"
	"math"
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
	switch {
	case o.Trials < 1:
		return fmt.Errorf("%w: trials=%d must be at least 1", ErrInvalid, o.Trials)
	case !(o.StepsEta > 0):
		return fmt.Errorf("%w: steps-eta=%v must be > 0 (steps per run = steps-eta/η)", ErrInvalid, o.StepsEta)
	case math.IsInf(o.StepsEta, 0):
		return fmt.Errorf("%w: steps-eta=%v must be finite", ErrInvalid, o.StepsEta)
	case o.LogPoints < 10:
		return fmt.Errorf("%w: log-points=%d must be at least 10", ErrInvalid, o.LogPoints)
	case len(o.Etas) > 0 && o.TestSize < 1:
		return fmt.Errorf("%w: test-size=%d must be at least 1", ErrInvalid, o.TestSize)
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
	Measured      theory.Sharing `json:"measured"`      // on one drawn training set
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
// experiment (n=200, s=100, d=1000), with the overlap measured on a drawn
// data set.
//
// Lemma 5.3 (A.4): Adam (PyTorch form, β=(0.9, 0.999)) at the paper's
// Section 6 settings for each η of o.Etas, each run for o.StepsEta/η steps:
// the step at which the feature learning Λⱼ = max_r ⟨w_{j,r}, j·v⟩ peaks and
// the step at which it turns negative, for both classes. The lemma predicts
// T ∝ 1/η: the fitted slope of log T against log η should be LemmaSlope.
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
		row.Measured = theory.MeasureSharing(set)
		rep.Supports = append(rep.Supports, row)
	}
	log("Lemma 5.1: %d rows, %d Monte Carlo draws each", len(rep.Supports), o.Trials)

	p := config.Paper()
	rep.Config = fmt.Sprintf("Adam (PyTorch form, β=(0.9, 0.999)) at Zou et al. Section 6: d=%d n=%d s=%d σp=%g α=%g σ₀=%g λ=%g m=%d q=%d, seed %d; steps = %g/η",
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
	out, err := experiment.Execute(ctx, setup, 1)
	if err != nil {
		row.Error = err.Error()
		return row, fmt.Errorf("flip run η=%g: %w", eta, err)
	}
	res := out.Results[0]
	row.TestError, row.Seconds = Num(res.TestError), Num(res.Seconds)
	flips, err := theory.Flips(res.Records)
	if err != nil {
		row.Error = err.Error()
		return row, err
	}
	for c, f := range flips {
		row.Flips[c] = FlipClass{Class: f.Class, Start: Num(f.Start), PeakStep: f.PeakStep, Peak: Num(f.Peak), NegStep: f.NegStep, Last: Num(f.Last)}
	}
	return row, nil
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
	return b.String()
}
