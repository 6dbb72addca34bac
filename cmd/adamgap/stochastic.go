package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/train"
)

func init() { reproduceExtras = append(reproduceExtras, newStochasticCmd) }

type stochasticOpts struct {
	out       string
	seeds     int
	firstSeed uint64
	steps     int
	epochs    int
	batches   []int
	testSize  int
	logEvery  int
	jobs      int
	keepRuns  bool

	// The investigation's choices (defaults: Tang et al. as read here).
	optimizers []string // of "adam", "adamw"
	sampling   string   // train.Sampling
	testLabels string  // data.Labels
	lr         float64 // η of both optimisers
	adamLambda float64 // Adam's coupled λ
	adamwDecay float64 // AdamW's decoupled weight decay
}

func newStochasticCmd() *cobra.Command {
	var (
		o       stochasticOpts
		batches string
		opts    string
	)
	cmd := &cobra.Command{
		Use:   "stochastic",
		Short: "Tang, Zhang, Cao & Zou (arXiv 2510.11354): mini-batch Adam and AdamW generalise, large batches do not",
		Long: `Stochastic reproduces the synthetic experiment of Tang, Zhang, Cao and Zou,
"Understanding the Generalization of Stochastic Gradient Adam in Learning
Neural Networks" (arXiv 2510.11354): the data and network of Section 6 of Zou
et al. (d=1000, n=200, s=100, σp=0.1, α=0.2, σ₀=0.01, m=20, q=3), η=5e-5,
β=(0.9, 0.999), and four cells:

  Adam,  coupled weight decay λ=1e-5 (inside the gradient), batch 100 and 2
  AdamW, decoupled weight decay 0.01 (λ=0),                  batch 100 and 2

each over --seeds seeds (data, test set, W₀ and batch order all follow the
seed). Their reported test errors: Adam 0.9545 (batch 100) and 0 (batch 2),
AdamW 0.5485 and 0, training error 0 in all four, after T = 10⁴ "epochs".

Ten thousand epochs at batch 2 are 10⁶ steps per run, 5–6 CPU-minutes
each here; by default every run takes --steps optimiser steps instead (the
same number of updates for both batch sizes, so batch 2 sees fewer epochs).
--epochs E trains E epochs (E·⌈n/B⌉ steps) instead. The table says which.
Mini-batches are reshuffled every epoch; probes and errors are measured on
the full training set and on --test-size fresh test examples at the end.

Writes DIR/stochastic.json, and with --keep-runs each run's output folder.`,
		Example: `  adamgap reproduce stochastic --out results/stochastic
  adamgap reproduce stochastic --epochs 1000 --seeds 5 --out results/stochastic-e1000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if o.batches, err = parseInts(batches); err != nil {
				return usagef(cmd, "--batch-sizes=%q: %v", batches, err)
			}
			n := config.Paper().N
			for _, b := range o.batches {
				if b < 1 || b > n {
					return usagef(cmd, "--batch-sizes: %d must be in [1, n=%d]", b, n)
				}
			}
			switch {
			case o.seeds < 1:
				return usagef(cmd, "--seeds=%d must be at least 1", o.seeds)
			case o.steps < 1 && o.epochs < 1:
				return usagef(cmd, "--steps=%d must be at least 1 (or set --epochs)", o.steps)
			case o.epochs < 0:
				return usagef(cmd, "--epochs=%d must be >= 0 (0: use --steps)", o.epochs)
			case o.testSize < 1:
				return usagef(cmd, "--test-size=%d must be at least 1", o.testSize)
			case o.logEvery < 0:
				return usagef(cmd, "--log-every=%d must be >= 0 (0: 20 rows per run)", o.logEvery)
			case !(o.lr > 0) || math.IsInf(o.lr, 0):
				return usagef(cmd, "--lr=%v must be a finite number > 0", o.lr)
			case !(o.adamLambda >= 0) || math.IsInf(o.adamLambda, 0):
				return usagef(cmd, "--adam-lambda=%v must be a finite number >= 0", o.adamLambda)
			case !(o.adamwDecay >= 0) || math.IsInf(o.adamwDecay, 0):
				return usagef(cmd, "--adamw-decay=%v must be a finite number >= 0", o.adamwDecay)
			}
			o.optimizers = nil
			for _, name := range strings.Split(opts, ",") {
				name = strings.TrimSpace(name)
				if name != "adam" && name != "adamw" {
					return usagef(cmd, "--optimizers: %q must be adam or adamw", name)
				}
				o.optimizers = append(o.optimizers, name)
			}
			if _, err := train.ParseSampling(o.sampling); err != nil {
				return usagef(cmd, "--%v", err)
			}
			if _, err := data.ParseLabels(o.testLabels); err != nil {
				return usagef(cmd, "--%v", strings.TrimPrefix(err.Error(), "data: "))
			}
			rep, err := reproduceStochastic(cmd.Context(), o, cmd.ErrOrStderr())
			if rep == nil {
				return err
			}
			return emit(cmd, o.out, "stochastic.json", rep, err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "results", "output folder (created if needed)")
	f.IntVar(&o.seeds, "seeds", 3, "seeds per cell")
	f.Uint64Var(&o.firstSeed, "first-seed", 0, "the seeds are first-seed, first-seed+1, …")
	f.IntVar(&o.steps, "steps", 10000, "optimiser steps per run (ignored when --epochs is set)")
	f.IntVar(&o.epochs, "epochs", 0, "epochs per run instead of --steps (Tang et al.: 10000)")
	f.StringVar(&batches, "batch-sizes", "100,2", "comma-separated batch sizes (n=200 is full batch)")
	f.IntVar(&o.testSize, "test-size", 10000, "fresh test examples")
	f.IntVar(&o.logEvery, "log-every", 0, "log the full-objective probes every k steps (0: 20 rows per run)")
	f.IntVar(&o.jobs, "jobs", 0, "runs trained concurrently (0: one per CPU)")
	f.BoolVar(&o.keepRuns, "keep-runs", false, "write each run's output folder (config.yaml, metrics.csv, …) to DIR/runs/")
	f.StringVar(&opts, "optimizers", "adam,adamw", "comma-separated cells to train: adam, adamw")
	f.StringVar(&o.sampling, "batch-sampling", "epoch", "mini-batches: epoch (reshuffled every epoch), subset (independent B-subset every step) or replacement")
	f.StringVar(&o.testLabels, "test-labels", "coin", "test-set labels: coin (fair coin flips), balanced, positive or negative")
	f.Float64Var(&o.lr, "lr", tangLR, "learning rate η of Adam and AdamW")
	f.Float64Var(&o.adamLambda, "adam-lambda", tangLambda, "Adam's coupled weight decay λ")
	f.Float64Var(&o.adamwDecay, "adamw-decay", tangDecay, "AdamW's decoupled weight decay")
	return cmd
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", f)
		}
		out = append(out, v)
	}
	return out, nil
}

// stochasticCell is one optimiser and batch size of the table.
type stochasticCell struct {
	Optimizer   string  `json:"optimizer"`
	Lambda      float64 `json:"lambda"`       // coupled weight decay (in the gradient)
	WeightDecay float64 `json:"weight_decay"` // AdamW's decoupled decay
	BatchSize   int     `json:"batch_size"`
	Steps       int     `json:"steps"`
	Epochs      float64 `json:"epochs"`
	Paper       num     `json:"paper_test_error"` // Tang et al.'s reported value (null if none)

	Runs      []stochasticRun `json:"runs"`
	TestMean  num             `json:"test_error_mean"`
	TestSD    num             `json:"test_error_sd"`
	TrainMean num             `json:"train_error_mean"`
	TrainSD   num             `json:"train_error_sd"`
	Feature   num             `json:"feature_min_mean"` // mean over seeds of min_j Λⱼ at T
	Seconds   num             `json:"seconds_mean"`
	// Test error by class, over seeds, and how many runs ended in each
	// outcome (runOutcome): learned, +1 flipped, −1 flipped, both flipped,
	// other.
	TestPosMean num            `json:"test_error_pos_mean"`
	TestPosSD   num            `json:"test_error_pos_sd"`
	TestNegMean num            `json:"test_error_neg_mean"`
	TestNegSD   num            `json:"test_error_neg_sd"`
	TestMedian  num            `json:"test_error_median"`
	TestMin     num            `json:"test_error_min"`
	TestMax     num            `json:"test_error_max"`
	Outcomes    map[string]int `json:"outcomes"`
}

type stochasticRun struct {
	Seed       uint64 `json:"seed"`
	TrainError num    `json:"train_error"`
	TestError  num    `json:"test_error"`
	FinalLoss  num    `json:"final_loss"`
	Feature    num    `json:"feature_min"` // min_j Λⱼ at T: < 0 means the feature is flipped
	Seconds    num    `json:"seconds"`
	Error      string `json:"error,omitempty"`
	// test error on class +1 and on class −1, and what they make of the run
	TestErrorPos num    `json:"test_error_pos"`
	TestErrorNeg num    `json:"test_error_neg"`
	Outcome      string `json:"outcome"`
	// Theorem 4.1's output among the logged iterates (smallest gradient
	// norm): its step and test error
	BestStep      int `json:"best_step"`
	BestTestError num `json:"best_test_error"`
}

// runOutcome names what a run's per-class test errors say: "learned" (both
// ≤ 0.1), "+1 flipped" or "−1 flipped" (that class ≥ 0.9, the other ≤ 0.1),
// "both flipped" (both ≥ 0.9) or "other".
func runOutcome(pos, neg float64) string {
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

// outcomeOrder is the order of runOutcome's names in tables.
var outcomeOrder = []string{"learned", "+1 flipped", "−1 flipped", "both flipped", "other"}

type stochasticReport struct {
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
	Cells   []*stochasticCell `json:"cells"`
	Verdict string            `json:"verdict"`
	Seconds float64           `json:"wall_seconds"`
}

// Tang et al.'s learning rate, Adam's coupled λ and AdamW's decoupled decay.
const (
	tangLR     = 5e-5
	tangLambda = 1e-5
	tangDecay  = 0.01
)

// paperStochastic are Tang et al.'s test errors by optimiser and batch size.
var paperStochastic = map[string]map[int]float64{
	"adam":  {100: 0.9545, 2: 0},
	"adamw": {100: 0.5485, 2: 0},
}

func stochasticCells(o stochasticOpts) []*stochasticCell {
	n := config.Paper().N
	var cells []*stochasticCell
	names := o.optimizers
	if len(names) == 0 {
		names = []string{"adam", "adamw"}
	}
	for _, name := range names {
		for _, b := range o.batches {
			c := &stochasticCell{Optimizer: name, BatchSize: b, Paper: num(math.NaN())}
			if name == "adam" {
				c.Lambda = o.adamLambda
			} else {
				c.WeightDecay = o.adamwDecay
			}
			perEpoch := (n + b - 1) / b
			c.Steps = o.steps
			if o.epochs > 0 {
				c.Steps = o.epochs * perEpoch
			}
			c.Epochs = float64(c.Steps) / float64(perEpoch)
			if v, ok := paperStochastic[name][b]; ok {
				c.Paper = num(v)
			}
			cells = append(cells, c)
		}
	}
	return cells
}

func (c *stochasticCell) config(o stochasticOpts, seed uint64) config.Config {
	cfg := config.Paper()
	cfg.Seed, cfg.TestSize, cfg.Steps = seed, o.testSize, c.Steps
	cfg.Lambda, cfg.BatchSize = c.Lambda, c.BatchSize
	cfg.LogEvery = o.logEvery
	if cfg.LogEvery == 0 {
		cfg.LogEvery = max(1, c.Steps/20)
	}
	cfg.TestEvery = 0
	cfg.BatchSampling, cfg.TestLabels = o.sampling, o.testLabels
	spec, _ := optim.Default(c.Optimizer)
	spec.LR = o.lr
	if c.Optimizer == "adamw" {
		spec.WeightDecay = c.WeightDecay
	}
	cfg.Optimizers = []optim.Spec{spec}
	return cfg
}

func reproduceStochastic(ctx context.Context, o stochasticOpts, log io.Writer) (*stochasticReport, error) {
	start := time.Now()
	rep := &stochasticReport{}
	s := &rep.Settings
	p := config.Paper()
	s.Data = fmt.Sprintf("Zou et al. Section 6: d=%d n=%d s=%d sigma_p=%g alpha=%g sigma0=%g m=%d q=%d", p.D, p.N, p.S, p.SigmaP, p.Alpha, p.Sigma0, p.M, p.Q)
	s.LR, s.Betas, s.Eps, s.TestSize = o.lr, []float64{0.9, 0.999}, 1e-8, o.testSize
	s.Sampling, s.TestLabels, s.AdamLambda, s.AdamWDecay = o.sampling, o.testLabels, o.adamLambda, o.adamwDecay
	for k := range o.seeds {
		s.Seeds = append(s.Seeds, o.firstSeed+uint64(k))
	}
	if o.epochs > 0 {
		s.Budget = fmt.Sprintf("%d epochs per run (steps = epochs·⌈n/B⌉)", o.epochs)
	} else {
		s.Budget = fmt.Sprintf("%d optimiser steps per run, whatever the batch size", o.steps)
	}
	rep.Cells = stochasticCells(o)

	type job struct {
		cell *stochasticCell
		k    int
	}
	var jobs []job
	for _, c := range rep.Cells {
		c.Runs = make([]stochasticRun, len(s.Seeds))
		for k := range s.Seeds {
			jobs = append(jobs, job{c, k})
		}
	}
	workers := o.jobs
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	progress(log, "training %d runs (%d cells × %d seeds), %d at a time; %s\n", len(jobs), len(rep.Cells), len(s.Seeds), workers, s.Budget)
	var (
		mu    sync.Mutex
		errs  []error
		wg    sync.WaitGroup
		queue = make(chan job)
		done  int
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				seed := s.Seeds[j.k]
				r := runStochastic(ctx, o, j.cell, seed)
				mu.Lock()
				j.cell.Runs[j.k] = r
				done++
				if r.Error != "" {
					errs = append(errs, fmt.Errorf("%s batch %d seed %d: %s", j.cell.Optimizer, j.cell.BatchSize, seed, r.Error))
				}
				progress(log, "[%d/%d] %s batch %d seed %d: train error %s, test error %s (%.1fs)\n",
					done, len(jobs), j.cell.Optimizer, j.cell.BatchSize, seed, g4(r.TrainError), g4(r.TestError), float64(r.Seconds))
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	wg.Wait()
	for _, c := range rep.Cells {
		c.summarise()
	}
	rep.Verdict = rep.verdict()
	rep.Seconds = time.Since(start).Seconds()
	if len(errs) > 0 {
		return rep, fmt.Errorf("%d of %d runs failed; first: %w", len(errs), len(jobs), errs[0])
	}
	return rep, nil
}

func runStochastic(ctx context.Context, o stochasticOpts, c *stochasticCell, seed uint64) stochasticRun {
	nan := num(math.NaN())
	r := stochasticRun{Seed: seed, TrainError: nan, TestError: nan, FinalLoss: nan, Feature: nan, TestErrorPos: nan, TestErrorNeg: nan, BestTestError: nan}
	setup, err := experiment.Prepare(c.config(o, seed))
	if err != nil {
		r.Error = err.Error()
		return r
	}
	out, err := experiment.Execute(ctx, setup, 1)
	if o.keepRuns && out != nil {
		dir := filepath.Join(o.out, "runs", fmt.Sprintf("%s-b%d-seed%d", c.Optimizer, c.BatchSize, seed))
		if werr := writeCNN(setup, out, dir); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		r.Error = err.Error()
		return r
	}
	res := out.Results[0]
	last := res.Records[len(res.Records)-1]
	r.TrainError, r.TestError, r.FinalLoss = num(res.TrainError), num(res.TestError), num(res.FinalLoss)
	r.Feature = num(math.Min(last.FeaturePos, last.FeatureNeg))
	r.Seconds = num(res.Seconds)
	r.TestErrorPos, r.TestErrorNeg = num(res.TestErrorPos), num(res.TestErrorNeg)
	r.Outcome = runOutcome(res.TestErrorPos, res.TestErrorNeg)
	r.BestStep, r.BestTestError = res.Best.Step, num(res.Best.TestError)
	return r
}

func (c *stochasticCell) summarise() {
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
	c.TestMedian, c.TestMin, c.TestMax = num(math.NaN()), num(math.NaN()), num(math.NaN())
	if len(test) > 0 {
		srt := slices.Sorted(slices.Values(test))
		c.TestMin, c.TestMax = num(srt[0]), num(srt[len(srt)-1])
		c.TestMedian = num((srt[(len(srt)-1)/2] + srt[len(srt)/2]) / 2)
	}
	var sd float64
	m := func(v []float64) num { mu, s := meanSD(v); sd = s; return num(mu) }
	c.TestMean = m(test)
	c.TestSD = num(sd)
	c.TrainMean = m(train)
	c.TrainSD = num(sd)
	c.Feature = m(feat)
	c.Seconds = m(secs)
	c.TestPosMean = m(pos)
	c.TestPosSD = num(sd)
	c.TestNegMean = m(neg)
	c.TestNegSD = num(sd)
}

// outcomes returns the cell's outcome counts as "learned 3, +1 flipped 5".
func (c *stochasticCell) outcomes() string {
	var parts []string
	for _, k := range outcomeOrder {
		if c.Outcomes[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, c.Outcomes[k]))
		}
	}
	return strings.Join(parts, ", ")
}

// meanSD returns the mean and the sample standard deviation (NaN for fewer
// than two values; both NaN for none).
func meanSD(v []float64) (mean, sd float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) < 2 {
		return mean, math.NaN()
	}
	for _, x := range v {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(v)-1))
}

// verdict says, per optimiser, whether the largest batch fails (mean test
// error ≥ 0.3) while the smallest generalises (≤ 0.1).
func (r *stochasticReport) verdict() string {
	var parts []string
	for _, name := range []string{"adam", "adamw"} {
		var big, small *stochasticCell
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
		holds := float64(big.TestMean) >= 0.3 && float64(small.TestMean) <= 0.1
		word := "holds"
		if !holds {
			word = "does not hold"
		}
		parts = append(parts, fmt.Sprintf("%s: %s (batch %d test error %s, batch %d %s)", name, word, big.BatchSize, g4(big.TestMean), small.BatchSize, g4(small.TestMean)))
	}
	if len(parts) == 0 {
		return "no verdict: it needs two batch sizes per optimiser"
	}
	return "large batch fails (mean test error ≥ 0.3), small batch generalises (≤ 0.1): " + strings.Join(parts, "; ")
}

func (r *stochasticReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *stochasticReport) table() string {
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
