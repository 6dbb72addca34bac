package paper

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/internal/pool"
	"github.com/adamgap/adamgap/internal/spread"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/train"
)

// StochasticOptions are the settings of Stochastic: the seeds, the budget of
// each run and the batch sizes. Data and network are Zou et al.'s Section 6
// settings; η=5e-5, β=(0.9, 0.999).
type StochasticOptions struct {
	Seeds      int    // seeds per cell, ≥ 1
	FirstSeed  uint64 // the seeds are FirstSeed, FirstSeed+1, …
	Steps      int    // optimiser steps per run (ignored when Epochs > 0)
	Epochs     int    // epochs per run instead of Steps (Tang et al.: 10⁴); 0: use Steps
	BatchSizes []int  // in [1, n]; n = 200 is full batch
	TestSize   int    // fresh test examples, ≥ 1
	LogEvery   int    // log the full-objective probes every k steps; 0: 20 rows per run
	Jobs       int    // runs trained concurrently; 0: one per CPU
	// The investigation's choices (DefaultStochastic: Tang et al. as read
	// here). Optimizers are the cells to train ("adam", "adamw"); Sampling
	// is how mini-batches are drawn; TestLabels how the test labels are
	// chosen (an empty value is the default of each); LR is η of both optimisers,
	// AdamLambda Adam's coupled λ, AdamWDecay AdamW's decoupled decay.
	Optimizers             []string
	N                      int // training examples (even; the paper's 200)
	Sampling               train.Sampling
	TestLabels             data.Labels
	LR                     float64
	AdamLambda, AdamWDecay float64
	// Save, when not nil, is given every run that trained (name:
	// "adam-b100-seed0"), to write its output folder (Outcome.Write); its
	// error marks the run as failed.
	Save func(name string, o *experiment.Outcome) error
}

// DefaultStochastic returns the settings of "adamgap reproduce stochastic":
// 10⁴ optimiser steps per run (not 10⁴ epochs, which take ≈ 20 CPU-seconds
// per run at batch 2), batch sizes 100 and 2, 3 seeds.
func DefaultStochastic() StochasticOptions {
	return StochasticOptions{Seeds: 3, Steps: 10000, BatchSizes: []int{100, 2}, TestSize: 10000,
		Optimizers: []string{"adam", "adamw"}, N: config.Paper().N, Sampling: train.Epochs, TestLabels: data.Coin,
		LR: TangLR, AdamLambda: TangLambda, AdamWDecay: TangDecay}
}

// Tang et al.'s learning rate, Adam's coupled λ and AdamW's decoupled decay.
const (
	TangLR     = 5e-5
	TangLambda = 1e-5
	TangDecay  = 0.01
)

// stochasticOptimizers are the cells Stochastic knows.
var stochasticOptimizers = []string{"adam", "adamw"}

// Validate returns an error wrapping ErrInvalid naming the first option out
// of range.
func (o StochasticOptions) Validate() error {
	n := o.N
	if n < 2 || n%2 != 0 {
		return fmt.Errorf("%w: n=%d must be an even number >= 2 (labels are balanced, n/2 per class)", ErrInvalid, n)
	}
	if len(o.BatchSizes) == 0 {
		return fmt.Errorf("%w: batch-sizes: none given; want one or more in [1, n=%d]", ErrInvalid, n)
	}
	for _, b := range o.BatchSizes {
		if b < 1 || b > n {
			return fmt.Errorf("%w: batch-sizes: %d must be in [1, n=%d]", ErrInvalid, b, n)
		}
	}
	err := firstOf(
		atLeast("seeds", o.Seeds, 1, ""),
		unless(o.Steps >= 1 || o.Epochs >= 1, "steps=%d must be at least 1 (or set --epochs)", o.Steps),
		atLeast("epochs", o.Epochs, 0, "0: use --steps"),
		atLeast("test-size", o.TestSize, 1, ""),
		atLeast("log-every", o.LogEvery, 0, "0: 20 rows per run"),
		unless(len(o.Optimizers) > 0, "optimizers: none given; want one or more of %v", stochasticOptimizers),
		positive("lr", o.LR, ""),
		nonNegative("adam-lambda", o.AdamLambda),
		nonNegative("adamw-decay", o.AdamWDecay),
		unless(o.Steps <= maxSteps, "steps=%d must be at most %d", o.Steps, maxSteps),
	)
	if err != nil {
		return err
	}
	if o.FirstSeed > ^uint64(0)-uint64(o.Seeds-1) {
		return invalidf("first-seed=%d leaves no room for %d seeds", o.FirstSeed, o.Seeds)
	}
	for _, name := range o.Optimizers {
		if !slices.Contains(stochasticOptimizers, name) {
			return fmt.Errorf("%w: optimizers: %q must be one of %v", ErrInvalid, name, stochasticOptimizers)
		}
	}
	if _, err := train.ParseSampling(string(o.Sampling)); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if _, err := data.ParseLabels(string(o.TestLabels)); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	for _, b := range o.BatchSizes {
		if perEpoch := (n + b - 1) / b; o.Epochs > maxSteps/perEpoch {
			return fmt.Errorf("%w: epochs=%d at batch size %d is more than %d steps", ErrInvalid, o.Epochs, b, maxSteps)
		}
	}
	return checkJobs(o.Jobs)
}

// StochasticCell is one optimiser and batch size of the table.
type StochasticCell struct {
	Optimizer   string  `json:"optimizer"`
	Lambda      float64 `json:"lambda"`       // coupled weight decay (in the gradient)
	WeightDecay float64 `json:"weight_decay"` // AdamW's decoupled decay
	BatchSize   int     `json:"batch_size"`
	Steps       int     `json:"steps"`
	Epochs      float64 `json:"epochs"`
	Paper       Num     `json:"paper_test_error"` // Tang et al.'s reported value (null if none)

	Runs      []StochasticRun `json:"runs"`
	TestMean  Num             `json:"test_error_mean"`
	TestSD    Num             `json:"test_error_sd"`
	TrainMean Num             `json:"train_error_mean"`
	TrainSD   Num             `json:"train_error_sd"`
	Feature   Num             `json:"feature_min_mean"` // mean over seeds of min_j Λⱼ at T
	Seconds   Num             `json:"seconds_mean"`
	// The distribution over seeds: median, min and max test error; test
	// error by class (mean ± sd); how many runs ended in each outcome
	// (RunOutcome).
	TestMedian  Num            `json:"test_error_median"`
	TestMin     Num            `json:"test_error_min"`
	TestMax     Num            `json:"test_error_max"`
	TestPosMean Num            `json:"test_error_pos_mean"`
	TestPosSD   Num            `json:"test_error_pos_sd"`
	TestNegMean Num            `json:"test_error_neg_mean"`
	TestNegSD   Num            `json:"test_error_neg_sd"`
	Outcomes    map[string]int `json:"outcomes"`
}

// StochasticRun is one seed of a cell.
type StochasticRun struct {
	Seed       uint64 `json:"seed"`
	TrainError Num    `json:"train_error"`
	TestError  Num    `json:"test_error"`
	FinalLoss  Num    `json:"final_loss"`
	Feature    Num    `json:"feature_min"` // min_j Λⱼ at T: < 0 means the feature is flipped
	Seconds    Num    `json:"seconds"`
	Error      string `json:"error,omitempty"`
	// Test error on class +1 and on class −1, and what they make of the
	// run (RunOutcome).
	TestErrorPos Num    `json:"test_error_pos"`
	TestErrorNeg Num    `json:"test_error_neg"`
	Outcome      string `json:"outcome"`
	// Theorem 4.1's output among the logged iterates (smallest gradient
	// norm): its step and test error.
	BestStep      int `json:"best_step"`
	BestTestError Num `json:"best_test_error"`
}

// RunOutcome names what a run's per-class test errors say: "learned" (both
// ≤ 0.1), "+1 flipped" or "−1 flipped" (that class ≥ 0.9, the other ≤ 0.1),
// "both flipped" (both ≥ 0.9) or "other". A test error near ½ is "one
// class learned, the other flipped" or chance on both; this says which.
func RunOutcome(pos, neg float64) string {
	lo, hi := func(x float64) bool { return x <= 0.1 }, func(x float64) bool { return x >= 0.9 }
	switch {
	case lo(pos) && lo(neg):
		return "learned"
	case hi(pos) && lo(neg):
		return "+1 flipped"
	case lo(pos) && hi(neg):
		return "−1 flipped"
	case hi(pos) && hi(neg):
		return "both flipped"
	}
	return "other"
}

// outcomeOrder is the order of RunOutcome's names in tables.
var outcomeOrder = []string{"learned", "+1 flipped", "−1 flipped", "both flipped", "other"}

// StochasticReport is stochastic.json: the settings, every cell and the
// verdict.
type StochasticReport struct {
	Settings struct {
		Data     string    `json:"data"`
		LR       float64   `json:"lr"`
		Betas    []float64 `json:"betas"`
		Eps      float64   `json:"eps"`
		Seeds    []uint64  `json:"seeds"`
		Budget   string    `json:"budget"`
		TestSize int       `json:"test_size"`
		// the investigation's choices
		Sampling   string  `json:"batch_sampling"`
		TestLabels string  `json:"test_labels"`
		AdamLambda float64 `json:"adam_lambda"`
		AdamWDecay float64 `json:"adamw_decay"`
	} `json:"settings"`
	Cells   []*StochasticCell `json:"cells"`
	Verdict string            `json:"verdict"`
	Seconds float64           `json:"wall_seconds"`
}

func stochasticCells(o StochasticOptions) []*StochasticCell {
	n := o.N
	var cells []*StochasticCell
	for _, name := range o.Optimizers {
		for _, b := range o.BatchSizes {
			c := &StochasticCell{Optimizer: name, BatchSize: b, Paper: Num(math.NaN())}
			if name == "adam" {
				c.Lambda = o.AdamLambda
			} else {
				c.WeightDecay = o.AdamWDecay
			}
			perEpoch := (n + b - 1) / b
			c.Steps = o.Steps
			if o.Epochs > 0 {
				c.Steps = o.Epochs * perEpoch
			}
			c.Epochs = float64(c.Steps) / float64(perEpoch)
			if v, ok := PaperStochastic[name][b]; ok {
				c.Paper = Num(v)
			}
			cells = append(cells, c)
		}
	}
	return cells
}

func (c *StochasticCell) config(o StochasticOptions, seed uint64) config.Config {
	cfg := config.Paper()
	cfg.Seed, cfg.TestSize, cfg.Steps, cfg.N = seed, o.TestSize, c.Steps, o.N
	cfg.Lambda, cfg.BatchSize = c.Lambda, c.BatchSize
	cfg.LogEvery = o.LogEvery
	if cfg.LogEvery == 0 {
		cfg.LogEvery = max(1, c.Steps/20)
	}
	cfg.TestEvery = 0
	cfg.BatchSampling, cfg.TestLabels = string(o.Sampling), string(o.TestLabels)
	spec, _ := optim.Default(c.Optimizer)
	spec.LR = o.LR
	if c.Optimizer == "adamw" {
		spec.WeightDecay = c.WeightDecay
	}
	cfg.Optimizers = []optim.Spec{spec}
	return cfg
}

// Stochastic trains Adam (coupled weight decay λ=1e-5) and AdamW
// (decoupled weight decay 0.01, λ=0) at every batch size of o, over o.Seeds
// seeds (data, test set, W₀ and batch order follow the seed), and compares
// the mean test errors with Tang et al.'s (PaperStochastic) and with the
// verdict rule (StochasticFails, StochasticGeneralises). Mini-batches are
// reshuffled every epoch; probes and errors are measured on the full
// training set and on fresh test examples at the end.
//
// It returns the report with the failed runs marked, and an error naming
// the first failure (in the order of the cells).
func Stochastic(ctx context.Context, o StochasticOptions, rec progress.Recorder) (*StochasticReport, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	log := func(line string) { progress.Notef(rec, "stochastic", line) }
	start := time.Now()
	rep := &StochasticReport{}
	s := &rep.Settings
	p := config.Paper()
	s.Data = fmt.Sprintf("Zou et al. Section 6: d=%d n=%d s=%d sigma_p=%g alpha=%g sigma0=%g m=%d q=%g", p.D, o.N, p.S, p.SigmaP, p.Alpha, p.Sigma0, p.M, p.Q)
	s.LR, s.Betas, s.Eps, s.TestSize = o.LR, []float64{0.9, 0.999}, 1e-8, o.TestSize
	s.Sampling, s.TestLabels, s.AdamLambda, s.AdamWDecay = string(o.Sampling), string(o.TestLabels), o.AdamLambda, o.AdamWDecay
	for k := range o.Seeds {
		s.Seeds = append(s.Seeds, o.FirstSeed+uint64(k))
	}
	if o.Epochs > 0 {
		s.Budget = fmt.Sprintf("%d epochs per run (steps = epochs·⌈n/B⌉)", o.Epochs)
	} else {
		s.Budget = fmt.Sprintf("%d optimiser steps per run, whatever the batch size", o.Steps)
	}
	rep.Cells = stochasticCells(o)

	type job struct {
		cell *StochasticCell
		k    int
	}
	var jobs []job
	for _, c := range rep.Cells {
		c.Runs = make([]StochasticRun, len(s.Seeds))
		for k := range s.Seeds {
			jobs = append(jobs, job{c, k})
		}
	}
	log(fmt.Sprintf("training %d runs (%d cells × %d seeds), %d at a time; %s", len(jobs), len(rep.Cells), len(s.Seeds), pool.Jobs(o.Jobs), s.Budget))
	count := progress.Counter{R: rec, Task: "stochastic", Unit: "runs", Total: len(jobs)}
	errs := make([]error, len(jobs))
	// Every run is started: each records its own cancellation.
	pool.Run(context.WithoutCancel(ctx), len(jobs), o.Jobs, func(_ context.Context, i int) error {
		j := jobs[i]
		seed := s.Seeds[j.k]
		r := runStochastic(ctx, o, j.cell, seed)
		j.cell.Runs[j.k] = r
		if r.Error != "" {
			errs[i] = fmt.Errorf("%s batch %d seed %d: %s", j.cell.Optimizer, j.cell.BatchSize, seed, r.Error)
		}
		item := fmt.Sprintf("%s batch %d seed %d: train error %s, test error %s (%.1fs)",
			j.cell.Optimizer, j.cell.BatchSize, seed, g4(r.TrainError), g4(r.TestError), float64(r.Seconds))
		count.Step(item, r.Error != "", func(done, total int) string { return fmt.Sprintf("[%d/%d] %s", done, total, item) })
		return nil
	})
	var failed []error
	for _, err := range errs {
		if err != nil {
			failed = append(failed, err)
		}
	}
	for _, c := range rep.Cells {
		c.summarise()
	}
	rep.Verdict = rep.verdict()
	rep.Seconds = time.Since(start).Seconds()
	if ctx.Err() != nil {
		done := 0
		for _, c := range rep.Cells {
			for _, r := range c.Runs {
				if r.Error == "" {
					done++
				}
			}
		}
		return rep, fmt.Errorf("interrupted after %d of %d runs finished: %w", done, len(jobs), context.Cause(ctx))
	}
	if len(failed) > 0 {
		return rep, fmt.Errorf("%d of %d runs failed; first: %w", len(failed), len(jobs), failed[0])
	}
	return rep, nil
}

func runStochastic(ctx context.Context, o StochasticOptions, c *StochasticCell, seed uint64) StochasticRun {
	nan := Num(math.NaN())
	r := StochasticRun{Seed: seed, TrainError: nan, TestError: nan, FinalLoss: nan, Feature: nan, TestErrorPos: nan, TestErrorNeg: nan, BestTestError: nan}
	if err := ctx.Err(); err != nil {
		r.Error = "not started: " + context.Cause(ctx).Error()
		return r
	}
	setup, err := experiment.PrepareContext(ctx, c.config(o, seed), experiment.Limits{Jobs: 1})
	if err != nil {
		r.Error = err.Error()
		return r
	}
	out, err := experiment.Execute(ctx, setup, 1)
	if o.Save != nil && out != nil {
		if werr := o.Save(fmt.Sprintf("%s-b%d-seed%d", c.Optimizer, c.BatchSize, seed), out); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		r.Error = err.Error()
		return r
	}
	res := out.Results[0]
	last := res.Records[len(res.Records)-1]
	r.TrainError, r.TestError, r.FinalLoss = Num(res.TrainError), Num(res.TestError), Num(res.FinalLoss)
	r.Feature = Num(math.Min(last.FeaturePos, last.FeatureNeg))
	r.Seconds = Num(res.Seconds)
	r.TestErrorPos, r.TestErrorNeg = Num(res.TestErrorPos), Num(res.TestErrorNeg)
	r.Outcome = RunOutcome(res.TestErrorPos, res.TestErrorNeg)
	r.BestStep, r.BestTestError = res.Best.Step, Num(res.Best.TestError)
	return r
}

func (c *StochasticCell) summarise() {
	var test, train, feat, secs, pos, neg []float64
	c.Outcomes = map[string]int{}
	for _, r := range c.Runs {
		if r.Error == "" {
			test, train = append(test, float64(r.TestError)), append(train, float64(r.TrainError))
			feat, secs = append(feat, float64(r.Feature)), append(secs, float64(r.Seconds))
			pos, neg = append(pos, float64(r.TestErrorPos)), append(neg, float64(r.TestErrorNeg))
			c.Outcomes[r.Outcome]++
		}
	}
	c.TestMedian, c.TestMin, c.TestMax = nan, nan, nan
	if len(test) > 0 {
		srt := slices.Sorted(slices.Values(test))
		c.TestMin, c.TestMax = Num(srt[0]), Num(srt[len(srt)-1])
		c.TestMedian = Num((srt[(len(srt)-1)/2] + srt[len(srt)/2]) / 2)
	}
	// Mean and SD over the seeds that trained, by spread.MeanSD.
	var sd float64
	m := func(v []float64) Num { mu, s, _ := spread.MeanSD(v); sd = s; return Num(mu) }
	c.TestMean = m(test)
	c.TestSD = Num(sd)
	c.TrainMean = m(train)
	c.TrainSD = Num(sd)
	c.Feature = m(feat)
	c.Seconds = m(secs)
	c.TestPosMean = m(pos)
	c.TestPosSD = Num(sd)
	c.TestNegMean = m(neg)
	c.TestNegSD = Num(sd)
}

// outcomes returns the cell's outcome counts as "learned 3, +1 flipped 5".
func (c *StochasticCell) outcomes() string {
	var parts []string
	for _, k := range outcomeOrder {
		if c.Outcomes[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, c.Outcomes[k]))
		}
	}
	return strings.Join(parts, ", ")
}

// verdict says, per optimiser, whether the largest batch fails (mean test
// error ≥ StochasticFails) while the smallest generalises (≤
// StochasticGeneralises).
func (r *StochasticReport) verdict() string {
	var parts []string
	for _, name := range []string{"adam", "adamw"} {
		var big, small *StochasticCell
		for _, c := range r.Cells {
			if c.Optimizer != name {
				continue
			}
			if big == nil || c.BatchSize > big.BatchSize {
				big = c
			}
			if small == nil || c.BatchSize < small.BatchSize {
				small = c
			}
		}
		if big == nil || big == small {
			continue
		}
		holds := float64(big.TestMean) >= StochasticFails && float64(small.TestMean) <= StochasticGeneralises
		word := "holds"
		if !holds {
			word = "does not hold"
		}
		parts = append(parts, fmt.Sprintf("%s: %s (batch %d test error %s, batch %d %s)", name, word, big.BatchSize, g4(big.TestMean), small.BatchSize, g4(small.TestMean)))
	}
	if len(parts) == 0 {
		return "no verdict: it needs two batch sizes per optimiser"
	}
	return fmt.Sprintf("large batch fails (mean test error ≥ %g), small batch generalises (≤ %g): ", StochasticFails, StochasticGeneralises) + strings.Join(parts, "; ")
}

// Table is the report as Markdown: one row per cell, then the verdict.
func (r *StochasticReport) Table() string {
	var b strings.Builder
	s := r.Settings
	fmt.Fprintf(&b, "Tang, Zhang, Cao & Zou (arXiv 2510.11354), synthetic experiment: %s, η=%g, β=(%g, %g); %s; batches: %s; seeds %v; %d test examples, labels: %s\n\n",
		s.Data, s.LR, s.Betas[0], s.Betas[1], s.Budget, s.Sampling, s.Seeds, s.TestSize, s.TestLabels)
	b.WriteString("| optimiser | weight decay | batch | steps | epochs | train error (mean ± sd) | test error (mean ± sd) | per seed | paper | min_j Λⱼ at T | s/run |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|\n")
	for _, c := range r.Cells {
		wd := fmt.Sprintf("λ=%g (coupled)", c.Lambda)
		if c.Optimizer == "adamw" {
			wd = fmt.Sprintf("%g (decoupled), λ=0", c.WeightDecay)
		}
		var per []string
		for _, x := range c.Runs {
			per = append(per, g4(x.TestError))
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %.4g | %s ± %s | %s ± %s | %s | %s | %s | %s |\n",
			c.Optimizer, wd, c.BatchSize, c.Steps, c.Epochs, g4(c.TrainMean), g3(c.TrainSD), g4(c.TestMean), g3(c.TestSD),
			strings.Join(per, ", "), g4(c.Paper), g3(c.Feature), g3(c.Seconds))
	}
	b.WriteString("\nBy class (test error on class +1 / class −1, mean ± sd over seeds; per seed +1/−1) and outcomes (learned: both ≤ 0.1; flipped: that class ≥ 0.9, the other ≤ 0.1):\n\n")
	b.WriteString("| optimiser | batch | test error min / median / max | class +1 | class −1 | per seed (+1/−1) | outcomes |\n|---|---:|---|---:|---:|---|---|\n")
	for _, c := range r.Cells {
		var per []string
		for _, x := range c.Runs {
			per = append(per, g3(x.TestErrorPos)+"/"+g3(x.TestErrorNeg))
		}
		fmt.Fprintf(&b, "| %s | %d | %s / %s / %s | %s ± %s | %s ± %s | %s | %s |\n", c.Optimizer, c.BatchSize,
			g4(c.TestMin), g4(c.TestMedian), g4(c.TestMax), g3(c.TestPosMean), g3(c.TestPosSD), g3(c.TestNegMean), g3(c.TestNegSD),
			strings.Join(per, ", "), c.outcomes())
	}
	fmt.Fprintf(&b, "\nPaper: training error 0 in all four cells, after 10⁴ epochs. Λⱼ = max_r ⟨w_{j,r}, j·v⟩: < 0 means the feature is flipped.\n%s\nWall time %.1fs.\n", r.Verdict, r.Seconds)
	return b.String()
}
