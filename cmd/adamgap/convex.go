package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/convex"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/train"
)

func init() { reproduceExtras = append(reproduceExtras, newConvexCmd) }

// convexInitStream is the random stream of the seed that draws the linear
// model's w₀ (experiment uses streams 1–3, train.BatchStream 4).
const convexInitStream = 64

type convexOpts struct {
	out                string
	seed               uint64
	lambda             float64
	steps              int
	lrAdam, lrGD       float64
	cnnSteps, testSize int
	jobs               int
	tail               int       // last iterates summarised per run
	stallLRs           []float64 // constant-η Adam rates of the stall-radius fit
	stallSteps         int       // steps of those runs
}

func newConvexCmd() *cobra.Command {
	var (
		o        convexOpts
		stallLRs string
	)
	cmd := &cobra.Command{
		Use:   "convex",
		Short: "Theorem 4.2: on a convex objective Adam and GD reach the same solution; on the CNN they do not",
		Long: `Convex trains the linear model F(w,x) = ⟨w,x⟩ on x ∈ R^{2d} with logistic loss
and weight decay λ/2‖w‖² (strongly convex) on the paper's data (Section 6
settings, --seed), with gradient descent and with Adam under several
learning-rate schedules, all from the same w₀ ~ N(0, σ₀²). The exact minimiser
w* comes from L-BFGS (gonum/optimize) refined by Newton steps. Adam at a
constant η stalls in a ball around w* whose radius grows with η; a decaying
schedule (step, cosine, exponential) brings it to w*.

Beside it, the CNN of Table 1 is trained with Adam and GD at the paper's
settings (--cnn-steps; 0 skips it). The CNN has no unique minimiser, so its
column shows the distances that exist: Adam vs GD, and each from W₀.

Writes DIR/convex.json (every number of the tables) and DIR/cnn/ (the CNN
run's usual output files).`,
		Example: `  adamgap reproduce convex --out results/convex
  adamgap reproduce convex --lambda 1e-3 --steps 20000 --cnn-steps 0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if o.stallLRs, err = parseFloats(stallLRs); err != nil {
				return usagef(cmd, "--stall-lrs=%q: %v", stallLRs, err)
			}
			for _, v := range o.stallLRs {
				if !(v > 0) || math.IsInf(v, 0) {
					return usagef(cmd, "--stall-lrs: %v must be a finite number > 0", v)
				}
			}
			switch {
			case o.tail < 1 || o.tail > o.steps+1:
				return usagef(cmd, "--tail=%d must be in [1, steps+1=%d]", o.tail, o.steps+1)
			case len(o.stallLRs) > 0 && (o.stallSteps+1 < o.tail):
				return usagef(cmd, "--stall-steps=%d must be at least --tail-1=%d", o.stallSteps, o.tail-1)
			case len(o.stallLRs) == 1:
				return usagef(cmd, "--stall-lrs needs at least two rates to fit a slope (or none to skip)")
			case !(o.lambda > 0) || math.IsInf(o.lambda, 0):
				return usagef(cmd, "--lambda=%v must be a finite number > 0 (strong convexity)", o.lambda)
			case o.steps < 1:
				return usagef(cmd, "--steps=%d must be at least 1", o.steps)
			case o.cnnSteps < 0:
				return usagef(cmd, "--cnn-steps=%d must be >= 0 (0 skips the CNN)", o.cnnSteps)
			case !(o.lrAdam > 0) || !(o.lrGD > 0):
				return usagef(cmd, "--lr-adam=%v and --lr-gd=%v must be > 0", o.lrAdam, o.lrGD)
			}
			rep, err := reproduceConvex(cmd.Context(), o, cmd.ErrOrStderr())
			if rep == nil {
				return err
			}
			return emit(cmd, o.out, "convex.json", rep, err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "results", "output folder (created if needed)")
	f.IntVar(&o.tail, "tail", 1000, "summarise ‖w_t − w*‖ (mean, min, max) over each run's last K iterates")
	f.StringVar(&stallLRs, "stall-lrs", "0.05,0.02,0.01,0.005", "constant-η Adam rates whose tail-mean ‖w_t − w*‖ is fitted against η (empty: skip)")
	f.IntVar(&o.stallSteps, "stall-steps", 20000, "steps of each stall-radius run")
	f.Uint64Var(&o.seed, "seed", 0, "seed of the data, test data and both starts")
	f.Float64Var(&o.lambda, "lambda", 1e-2, "weight decay λ of the linear model (> 0)")
	f.IntVar(&o.steps, "steps", 5000, "steps T of every linear-model run")
	f.Float64Var(&o.lrAdam, "lr-adam", 0.05, "Adam's base learning rate on the linear model")
	f.Float64Var(&o.lrGD, "lr-gd", 2, "GD's learning rate on the linear model (stable below 2/L, L ≈ (1+α²)/4 + λ)")
	f.IntVar(&o.cnnSteps, "cnn-steps", 10000, "steps of the CNN runs at the paper's settings (0: skip)")
	f.IntVar(&o.testSize, "test-size", 10000, "fresh test examples")
	f.IntVar(&o.jobs, "jobs", 0, "CNN optimisers trained concurrently (0: one per CPU)")
	return cmd
}

// convexReport is convex.json.
type convexReport struct {
	Settings struct {
		D         int     `json:"d"`
		N         int     `json:"n"`
		S         int     `json:"s"`
		SigmaP    float64 `json:"sigma_p"`
		Alpha     float64 `json:"alpha"`
		TestSize  int     `json:"test_size"`
		Lambda    float64 `json:"lambda"`
		Sigma0    float64 `json:"sigma0"`
		Steps     int     `json:"steps"`
		Seed      uint64  `json:"seed"`
		InitNote  string  `json:"init"`
		LRAdam    float64 `json:"lr_adam"`
		LRGD      float64 `json:"lr_gd"`
		CNNSteps  int     `json:"cnn_steps"`
		CNNConfig string  `json:"cnn_config"`
	} `json:"settings"`
	Optimum struct {
		Norm        float64 `json:"norm"`
		Loss        float64 `json:"loss"`
		GradInf     float64 `json:"grad_inf"`
		GradL2      float64 `json:"grad_l2"`
		Accuracy    float64 `json:"relative_accuracy"` // ‖∇L(w*)‖₂/(λ‖w*‖): distances below it are at w*'s precision
		Active      int     `json:"active_coordinates"`
		LBFGSIters  int     `json:"lbfgs_iterations"`
		LBFGSStatus string  `json:"lbfgs_status"` // L-BFGS's own, before the Newton refinement
		NewtonSteps int     `json:"newton_steps"`
		Method      string  `json:"wstar_method"` // what produced w*
		Status      string  `json:"wstar_status"` // whether w* is the minimiser to tolerance
		TrainError  float64 `json:"train_error"`
		TestError   float64 `json:"test_error"`
		Seconds     float64 `json:"seconds"`
	} `json:"optimum"`
	Runs []convexRun `json:"linear_runs"`
	// Stall is Adam at constant η against η: the mean of ‖w_t − w*‖ over
	// the last Tail iterates and its fit against η.
	Stall *stallReport `json:"stall,omitempty"`
	// Contrast is the table of the two theorems: the linear model's Adam
	// (cosine schedule) and GD against the CNN's Adam and GD.
	Contrast contrast `json:"contrast"`
}

type convexRun struct {
	Optimizer  string `json:"optimizer"`
	Schedule   string `json:"schedule"`
	LR         num    `json:"lr"`
	DistStar   num    `json:"dist_to_wstar"` // ‖w − w*‖/‖w*‖
	DistGD     num    `json:"dist_to_gd"`    // ‖w − w_GD‖/‖w_GD‖
	DistW0     num    `json:"dist_to_w0"`    // ‖w − w₀‖/‖w₀‖
	Loss       num    `json:"loss"`
	GradL1     num    `json:"grad_l1"`
	GradL2     num    `json:"grad_l2"`
	TrainError num    `json:"train_error"`
	TestError  num    `json:"test_error"`
	Disagree   num    `json:"test_disagreement_with_gd"`
	Seconds    num    `json:"seconds"`
	Error      string `json:"error,omitempty"`
	// ‖w_t − w*‖₂ (absolute) over the last TailK iterates
	TailK    int `json:"tail_k"`
	TailMean num `json:"dist_tail_mean"`
	TailMin  num `json:"dist_tail_min"`
	TailMax  num `json:"dist_tail_max"`
}

// stallReport is constant-η Adam's distance to w* against η.
type stallReport struct {
	Steps int         `json:"steps"`
	Tail  int         `json:"tail_k"`
	Runs  []convexRun `json:"runs"`
	// mean ≈ C·η (least squares through 0; rel_rms: RMS relative residual)
	// and mean ≈ A·η^P (log-log least squares)
	C      num    `json:"slope_c"`
	CRel   num    `json:"slope_c_relative"` // C/‖w*‖: the fit of ‖w_t − w*‖/‖w*‖
	RelRMS num    `json:"slope_rel_rms"`
	P      num    `json:"power_p"`
	A      num    `json:"power_a"`
	Error  string `json:"error,omitempty"`
}

// side is one column of the contrast table; NaN where a quantity does not
// exist (w* of the CNN) or was not computed.
type side struct {
	AdamVsGD      num    `json:"adam_vs_gd"`        // ‖W_Adam − W_GD‖/‖W_GD‖
	AdamVsStar    num    `json:"adam_vs_wstar"`     // ‖W_Adam − W*‖/‖W*‖
	GDVsStar      num    `json:"gd_vs_wstar"`       // ‖W_GD − W*‖/‖W*‖
	AdamFromStart num    `json:"adam_from_w0"`      // ‖W_Adam − W₀‖/‖W₀‖
	GDFromStart   num    `json:"gd_from_w0"`        // ‖W_GD − W₀‖/‖W₀‖
	AdamGradL1    num    `json:"adam_grad_l1"`      // ‖∇L(W_Adam)‖₁
	GDGradL2      num    `json:"gd_grad_l2"`        // ‖∇L(W_GD)‖₂
	AdamTrain     num    `json:"adam_train_error"`  //
	GDTrain       num    `json:"gd_train_error"`    //
	AdamTest      num    `json:"adam_test_error"`   //
	GDTest        num    `json:"gd_test_error"`     //
	Disagree      num    `json:"test_disagreement"` // test examples where Adam's and GD's predicted labels differ
	Adam          string `json:"adam"`              // which Adam run
	Steps         int    `json:"steps"`             //
	Note          string `json:"note,omitempty"`    //
	Error         string `json:"error,omitempty"`   //
	Seconds       num    `json:"seconds,omitempty"` //
	Lambda        num    `json:"lambda"`            //
	Feature       num    `json:"adam_feature_sign"` // CNN: min_j Λⱼ of Adam at T (negative: the feature is flipped)
	FeatureGD     num    `json:"gd_feature_sign"`   // CNN: min_j Λⱼ of GD at T
}

type contrast struct {
	Linear side `json:"linear"`
	CNN    side `json:"cnn"`
}

// linearSpecs are the linear-model runs: GD, Adam at η and η/10 (the stall
// radius follows η), and Adam with the three decaying schedules.
func linearSpecs(o convexOpts) []optim.Spec {
	gd, _ := optim.Default("gd")
	gd.LR = o.lrGD
	adam := func(lr float64, s optim.ScheduleSpec) optim.Spec {
		a, _ := optim.Default("adam")
		a.LR, a.Schedule = lr, s
		return a
	}
	return []optim.Spec{
		gd,
		adam(o.lrAdam, optim.ScheduleSpec{}),
		adam(o.lrAdam/10, optim.ScheduleSpec{}),
		adam(o.lrAdam, optim.ScheduleSpec{Kind: "step", Gamma: 0.1, StepSize: max(1, o.steps/5)}),
		adam(o.lrAdam, optim.ScheduleSpec{Kind: "exponential", Gamma: math.Pow(1e-3, 1/float64(o.steps))}),
		adam(o.lrAdam, optim.ScheduleSpec{Kind: "cosine"}),
	}
}

func reproduceConvex(ctx context.Context, o convexOpts, log io.Writer) (*convexReport, error) {
	cfg := config.Paper()
	cfg.Seed, cfg.TestSize = o.seed, o.testSize
	cfg.Steps = max(o.cnnSteps, 1)
	cfg.LogEvery = min(cfg.LogEvery, cfg.Steps)
	cfg.TestEvery = 0
	setup, err := experiment.Prepare(cfg)
	if err != nil {
		return nil, err
	}
	rep := &convexReport{}
	s := &rep.Settings
	s.D, s.N, s.S, s.SigmaP, s.Alpha, s.TestSize = cfg.D, cfg.N, cfg.S, cfg.SigmaP, cfg.Alpha, cfg.TestSize
	s.Lambda, s.Sigma0, s.Steps, s.Seed, s.LRAdam, s.LRGD, s.CNNSteps = o.lambda, cfg.Sigma0, o.steps, o.seed, o.lrAdam, o.lrGD, o.cnnSteps
	s.InitNote = fmt.Sprintf("w0 ~ N(0, sigma0^2) per coordinate from stream %d of the seed", convexInitStream)

	// The CNN runs in the background while the linear model trains.
	type cnnDone struct {
		o   *experiment.Outcome
		err error
	}
	cnnCh := make(chan cnnDone, 1)
	if o.cnnSteps > 0 {
		s.CNNConfig = fmt.Sprintf("paper Section 6 (λ=%g, Adam η=%g, GD η=%g), %d steps", cfg.Lambda, cfg.Optimizers[0].LR, cfg.Optimizers[1].LR, o.cnnSteps)
		progress(log, "CNN: training adam and gd for %d steps in the background\n", o.cnnSteps)
		go func() {
			out, err := experiment.Execute(ctx, setup, o.jobs)
			cnnCh <- cnnDone{out, err}
		}()
	}

	lin := convex.Linear{D: cfg.D, Lambda: o.lambda}
	w0 := make([]float64, lin.Size())
	rng := experiment.RNG(o.seed, convexInitStream)
	for i := range w0 {
		w0[i] = cfg.Sigma0 * rng.NormFloat64()
	}
	start := time.Now()
	opt, err := convex.Minimize(lin, setup.Train, w0, 0)
	if err != nil {
		return nil, err
	}
	op := &rep.Optimum
	op.Norm, op.Loss, op.GradInf, op.GradL2 = l2(opt.W), opt.Loss, opt.GradInf, opt.GradL2
	op.Accuracy = opt.GradL2 / o.lambda / op.Norm
	op.Active, op.LBFGSIters, op.LBFGSStatus, op.NewtonSteps = opt.Active, opt.Iters, opt.Status, opt.Newton
	op.Method, op.Status = opt.Method, opt.WStatus
	op.TrainError = float64(lin.Errors(opt.W, setup.Train)) / float64(setup.Train.N())
	op.TestError = float64(lin.Errors(opt.W, setup.Test)) / float64(setup.Test.N())
	op.Seconds = time.Since(start).Seconds()
	progress(log, "w*: ‖∇L‖_∞ = %.2g after %d L-BFGS iterations and %d Newton steps (%.2fs)\n", opt.GradInf, opt.Iters, opt.Newton, op.Seconds)

	runner := convex.Runner{Model: lin, Train: setup.Train, Test: setup.Test, Steps: o.steps, LogEvery: max(1, o.steps/10), WStar: opt.W, Tail: o.tail}
	var gdW, cosW []float64
	var runErr error
	var cosRun convexRun
	for _, spec := range linearSpecs(o) {
		res, err := runner.Run(ctx, spec, w0)
		r := convexRun{Optimizer: spec.Name, Schedule: spec.Schedule.String(), LR: num(spec.LR)}
		if err != nil {
			r.Error = err.Error()
			runErr = err
			rep.Runs = append(rep.Runs, r)
			progress(log, "linear %s %s: %v\n", spec.Name, r.Schedule, err)
			continue
		}
		if gdW == nil && spec.Name == "gd" {
			gdW = res.W
		}
		r.DistStar, r.DistW0 = num(res.Final.Dist), num(convex.RelDist(res.W, w0))
		r.Loss, r.GradL1, r.GradL2 = num(res.Final.Loss), num(res.Final.GradL1), num(res.Final.GradL2)
		r.TrainError, r.TestError, r.Seconds = num(res.TrainError), num(res.TestError), num(res.Seconds)
		r.TailK, r.TailMean, r.TailMin, r.TailMax = res.Tail.K, num(res.Tail.Mean), num(res.Tail.Min), num(res.Tail.Max)
		r.DistGD, r.Disagree = num(math.NaN()), num(math.NaN())
		if gdW != nil {
			r.DistGD = num(convex.RelDist(res.W, gdW))
			r.Disagree = num(lin.Disagreement(res.W, gdW, setup.Test))
		}
		rep.Runs = append(rep.Runs, r)
		if spec.Name == "adam" && spec.Schedule.Kind == "cosine" {
			cosW, cosRun = res.W, r
		}
		progress(log, "linear %s %s: ‖w − w*‖/‖w*‖ = %.3g\n", spec.Name, r.Schedule, r.DistStar)
	}

	if len(o.stallLRs) > 0 {
		rep.Stall = stallRuns(ctx, o, runner, w0, log)
	}

	lc := &rep.Contrast.Linear
	*lc = nanSide()
	lc.Adam, lc.Steps, lc.Lambda = "adam, cosine schedule", o.steps, num(o.lambda)
	if gdW != nil && cosW != nil {
		gd := rep.Runs[0]
		lc.AdamVsGD, lc.AdamVsStar, lc.GDVsStar = cosRun.DistGD, cosRun.DistStar, gd.DistStar
		lc.AdamFromStart, lc.GDFromStart = cosRun.DistW0, gd.DistW0
		lc.AdamGradL1, lc.GDGradL2 = cosRun.GradL1, gd.GradL2
		lc.AdamTrain, lc.GDTrain, lc.AdamTest, lc.GDTest = cosRun.TrainError, gd.TrainError, cosRun.TestError, gd.TestError
		lc.Disagree = cosRun.Disagree
	}

	cc := &rep.Contrast.CNN
	*cc = nanSide()
	cc.Adam, cc.Steps, cc.Lambda = "adam, constant η (paper)", o.cnnSteps, num(cfg.Lambda)
	cc.Note = "no unique minimiser: distances to W* do not exist"
	if o.cnnSteps == 0 {
		cc.Note = "skipped (--cnn-steps 0)"
		return rep, runErr
	}
	done := <-cnnCh
	if done.o != nil {
		if werr := writeCNN(setup, done.o, filepath.Join(o.out, "cnn")); werr != nil && done.err == nil {
			done.err = werr
		}
	}
	if done.err != nil {
		cc.Error = done.err.Error()
		return rep, fmt.Errorf("CNN: %w", done.err)
	}
	fillCNN(cc, setup, done.o.Results[0], done.o.Results[1])
	return rep, runErr
}

// stallRuns trains constant-η Adam at each of o.stallLRs for o.stallSteps
// steps and fits the tail mean of ‖w_t − w*‖ against η.
func stallRuns(ctx context.Context, o convexOpts, runner convex.Runner, w0 []float64, log io.Writer) *stallReport {
	st := &stallReport{Steps: o.stallSteps, Tail: o.tail}
	runner.Steps, runner.LogEvery = o.stallSteps, max(1, o.stallSteps/10)
	var lrs, means []float64
	for _, lr := range o.stallLRs {
		a, _ := optim.Default("adam")
		a.LR = lr
		res, err := runner.Run(ctx, a, w0)
		r := convexRun{Optimizer: "adam", Schedule: a.Schedule.String(), LR: num(lr), DistGD: num(math.NaN()), Disagree: num(math.NaN())}
		if err != nil {
			r.Error = err.Error()
			st.Runs = append(st.Runs, r)
			continue
		}
		r.DistStar, r.DistW0 = num(res.Final.Dist), num(convex.RelDist(res.W, w0))
		r.Loss, r.GradL1, r.GradL2 = num(res.Final.Loss), num(res.Final.GradL1), num(res.Final.GradL2)
		r.TrainError, r.TestError, r.Seconds = num(res.TrainError), num(res.TestError), num(res.Seconds)
		r.TailK, r.TailMean, r.TailMin, r.TailMax = res.Tail.K, num(res.Tail.Mean), num(res.Tail.Min), num(res.Tail.Max)
		st.Runs = append(st.Runs, r)
		lrs, means = append(lrs, lr), append(means, res.Tail.Mean)
		progress(log, "stall: adam η=%g, T=%d: ‖w_t − w*‖ over the last %d steps: mean %.3g, min %.3g, max %.3g\n", lr, o.stallSteps, o.tail, res.Tail.Mean, res.Tail.Min, res.Tail.Max)
	}
	st.C, st.CRel, st.RelRMS, st.P, st.A = num(math.NaN()), num(math.NaN()), num(math.NaN()), num(math.NaN()), num(math.NaN())
	fit, err := convex.FitSlope(lrs, means)
	if err != nil {
		st.Error = err.Error()
		return st
	}
	st.C, st.RelRMS, st.P, st.A = num(fit.C), num(fit.RelR), num(fit.P), num(fit.A)
	st.CRel = num(fit.C / l2(runner.WStar))
	return st
}

func writeCNN(setup *experiment.Setup, o *experiment.Outcome, dir string) error {
	if err := setup.WriteInputs(dir); err != nil {
		return err
	}
	return o.WriteResults(dir)
}

func nanSide() side {
	n := num(math.NaN())
	return side{AdamVsGD: n, AdamVsStar: n, GDVsStar: n, AdamFromStart: n, GDFromStart: n, AdamGradL1: n, GDGradL2: n,
		AdamTrain: n, GDTrain: n, AdamTest: n, GDTest: n, Disagree: n, Feature: n, FeatureGD: n}
}

// fillCNN fills the CNN column from the last iterates of Adam and GD.
func fillCNN(cc *side, setup *experiment.Setup, adam, gd *train.Result) {
	w0 := setup.W0
	cc.AdamVsGD = num(convex.RelDist(adam.W, gd.W))
	cc.AdamFromStart, cc.GDFromStart = num(convex.RelDist(adam.W, w0)), num(convex.RelDist(gd.W, w0))
	la, lg := adam.Records[len(adam.Records)-1], gd.Records[len(gd.Records)-1]
	cc.AdamGradL1, cc.GDGradL2 = num(la.GradL1), num(math.Sqrt(lg.GradL2Sq))
	cc.AdamTrain, cc.GDTrain = num(adam.TrainError), num(gd.TrainError)
	cc.AdamTest, cc.GDTest = num(adam.TestError), num(gd.TestError)
	cc.Feature, cc.FeatureGD = num(math.Min(la.FeaturePos, la.FeatureNeg)), num(math.Min(lg.FeaturePos, lg.FeatureNeg))
	cnn := setup.Config.CNN()
	pa, pg := cnnPredictions(cnn, adam.W, setup.Test), cnnPredictions(cnn, gd.W, setup.Test)
	diff := 0
	for i := range pa {
		if pa[i] != pg[i] {
			diff++
		}
	}
	cc.Disagree = num(float64(diff) / float64(len(pa)))
	cc.Seconds = num(adam.Seconds + gd.Seconds)
}

// cnnPredictions returns sign(F₊₁ − F₋₁) of the network at w for every
// example of set (0 on a tie).
func cnnPredictions(c model.CNN, w []float64, set *data.Set) []int8 {
	ws := model.NewWorkspace(c, set)
	ws.LossGrad(nil, w)
	wd := c.Width()
	out := make([]int8, set.N())
	for i := range out {
		var f [2]float64 // class −1, class +1
		for k := range 2 {
			z := ws.Z[(2*i+k)*wd : (2*i+k+1)*wd]
			for col, v := range z {
				if v > 0 {
					f[col/c.M] += math.Pow(v, float64(c.Q))
				}
			}
		}
		switch {
		case f[1] > f[0]:
			out[i] = 1
		case f[0] > f[1]:
			out[i] = -1
		}
	}
	return out
}

func l2(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

func (r *convexReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *convexReport) table() string {
	var b strings.Builder
	s := r.Settings
	fmt.Fprintf(&b, "Linear model F(w,x) = ⟨w,x⟩, logistic loss + (λ/2)‖w‖², λ = %g, T = %d steps, same data as the CNN (seed %d), same w₀ for every run\n", s.Lambda, s.Steps, s.Seed)
	op := r.Optimum
	fmt.Fprintf(&b, "w*: ‖w*‖ = %.4g, ‖∇L(w*)‖_∞ = %.2g (distances below %.1g are at w*'s precision), train error %.4g, test error %.4g\n",
		op.Norm, op.GradInf, op.Accuracy, op.TrainError, op.TestError)
	fmt.Fprintf(&b, "w* from %s: %s\n\n", op.Method, op.Status)
	b.WriteString("| optimiser | schedule | η | ‖w−w*‖/‖w*‖ | ‖w−w_GD‖/‖w_GD‖ | ‖∇L‖₂ | ‖∇L‖₁ | train error | test error | test labels ≠ GD |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, x := range r.Runs {
		if x.Error != "" {
			fmt.Fprintf(&b, "| %s | %s | %g | failed: %s |\n", x.Optimizer, x.Schedule, x.LR, x.Error)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %g | %s | %s | %s | %s | %s | %s | %s |\n", x.Optimizer, x.Schedule, x.LR,
			g3(x.DistStar), g3(x.DistGD), g3(x.GradL2), g3(x.GradL1), g4(x.TrainError), g4(x.TestError), g4(x.Disagree))
	}
	if len(r.Runs) > 0 {
		fmt.Fprintf(&b, "\n‖w_t − w*‖₂ (absolute) over the last %d iterates: constant-η Adam orbits w*, so one snapshot swings\n\n", r.Runs[0].TailK)
		b.WriteString("| optimiser | schedule | η | T | mean | min | max |\n|---|---|---:|---:|---:|---:|---:|\n")
		rows := r.Runs
		steps := []int{}
		for range r.Runs {
			steps = append(steps, r.Settings.Steps)
		}
		if st := r.Stall; st != nil {
			rows = append(rows, st.Runs...)
			for range st.Runs {
				steps = append(steps, st.Steps)
			}
		}
		for i, x := range rows {
			if x.Error == "" {
				fmt.Fprintf(&b, "| %s | %s | %g | %d | %s | %s | %s |\n", x.Optimizer, x.Schedule, x.LR, steps[i], g3(x.TailMean), g3(x.TailMin), g3(x.TailMax))
			}
		}
		if st := r.Stall; st != nil {
			if st.Error != "" {
				fmt.Fprintf(&b, "\nStall radius fit: %s\n", st.Error)
			} else {
				fmt.Fprintf(&b, "\nStall radius of constant-η Adam (T = %d, mean over the last %d iterates): ‖w_t − w*‖ ≈ %.3g·η, ‖w_t − w*‖/‖w*‖ ≈ %.3g·η (RMS relative residual %.2g); power law ≈ %.3g·η^%.3g\n",
					st.Steps, st.Tail, float64(st.C), float64(st.CRel), float64(st.RelRMS), float64(st.A), float64(st.P))
			}
		}
	}
	lc, cc := r.Contrast.Linear, r.Contrast.CNN
	fmt.Fprintf(&b, "\nTheorem 4.2 vs Theorem 4.1: last iterates, Adam and GD from the same start on the same data\n\n")
	fmt.Fprintf(&b, "| | linear model, λ=%g, T=%d (Adam: %s) | CNN, paper settings, λ=%g, T=%d (Adam: %s) |\n|---|---:|---:|\n",
		lc.Lambda, lc.Steps, lc.Adam, cc.Lambda, cc.Steps, cc.Adam)
	row := func(name string, a, c string) { fmt.Fprintf(&b, "| %s | %s | %s |\n", name, a, c) }
	row("‖W_Adam − W_GD‖ / ‖W_GD‖", g3(lc.AdamVsGD), g3(cc.AdamVsGD))
	row("‖W_Adam − W*‖ / ‖W*‖", g3(lc.AdamVsStar), "— (no unique W*)")
	row("‖W_GD − W*‖ / ‖W*‖", g3(lc.GDVsStar), "— (no unique W*)")
	row("‖W_Adam − W₀‖ / ‖W₀‖", g3(lc.AdamFromStart), g3(cc.AdamFromStart))
	row("‖W_GD − W₀‖ / ‖W₀‖", g3(lc.GDFromStart), g3(cc.GDFromStart))
	row("‖∇L(W_Adam)‖₁", g3(lc.AdamGradL1), g3(cc.AdamGradL1))
	row("‖∇L(W_GD)‖₂", g3(lc.GDGradL2), g3(cc.GDGradL2))
	row("train error Adam / GD", g4(lc.AdamTrain)+" / "+g4(lc.GDTrain), g4(cc.AdamTrain)+" / "+g4(cc.GDTrain))
	row("test error Adam / GD", g4(lc.AdamTest)+" / "+g4(lc.GDTest), g4(cc.AdamTest)+" / "+g4(cc.GDTest))
	row("test examples where Adam's label ≠ GD's", g4(lc.Disagree), g4(cc.Disagree))
	row("min_j Λⱼ at T, Adam / GD (feature weight; < 0: flipped)", "—", g3(cc.Feature)+" / "+g3(cc.FeatureGD))
	if cc.Error != "" {
		fmt.Fprintf(&b, "\nCNN failed: %s\n", cc.Error)
	} else if cc.Note != "" {
		fmt.Fprintf(&b, "\nCNN: %s\n", cc.Note)
	}
	return b.String()
}

func g3(x num) string {
	v := float64(x)
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.3g", v)
}

func g4(x num) string {
	v := float64(x)
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.4g", v)
}
