package paper

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/convex"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/internal/stream"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/train"
)

// ConvexOptions are the settings of Convex: the linear model's λ, steps and
// learning rates, and the CNN run beside it. The data are the paper's
// Section 6 data of Seed.
type ConvexOptions struct {
	Seed     uint64  // seed of the data, test data and both starts
	Lambda   float64 // weight decay λ of the linear model, > 0
	Steps    int     // steps T of every linear-model run, ≥ 1
	LRAdam   float64 // Adam's base learning rate on the linear model
	LRGD     float64 // GD's learning rate (stable below 2/L, L ≈ (1+α²)/4 + λ)
	CNNSteps int     // steps of the CNN runs at the paper's settings; 0 skips them
	TestSize int     // fresh test examples
	Jobs     int     // CNN optimisers trained concurrently; 0: one per CPU
	// Tail is the number K of last iterates over which every run reports
	// the mean, min and max of ‖w_t − w*‖ (constant-η Adam orbits w*, so
	// one snapshot swings); a run of T steps uses min(K, T+1).
	Tail int
	// StallLRs are constant-η Adam rates trained for StallSteps steps each;
	// the tail mean of ‖w_t − w*‖ is fitted against η (convex.FitSlope).
	// None: skip; else at least two.
	StallLRs   []float64
	StallSteps int
}

// DefaultConvex returns the settings of "adamgap reproduce convex".
func DefaultConvex() ConvexOptions {
	return ConvexOptions{Lambda: 1e-2, Steps: 5000, LRAdam: 0.05, LRGD: 2, CNNSteps: 10000, TestSize: 10000,
		Tail: 1000, StallLRs: []float64{0.05, 0.02, 0.01, 0.005}, StallSteps: 20000}
}

// Validate returns an error wrapping ErrInvalid naming the first option out
// of range.
func (o ConvexOptions) Validate() error {
	err := firstOf(
		positive("lambda", o.Lambda, "strong convexity"),
		atLeast("steps", o.Steps, 1, ""),
		atLeast("cnn-steps", o.CNNSteps, 0, "0 skips the CNN"),
		positive("lr-adam", o.LRAdam, ""),
		positive("lr-gd", o.LRGD, ""),
		atLeast("test-size", o.TestSize, 1, ""),
		atLeast("tail", o.Tail, 1, ""),
		unless(len(o.StallLRs) != 1, "stall-lrs needs at least two rates to fit a slope (or none to skip)"),
	)
	if err == nil && len(o.StallLRs) > 0 {
		err = atLeast("stall-steps", o.StallSteps, 1, "")
	}
	for _, v := range o.StallLRs {
		err = cmp.Or(err, unless(v > 0 && !math.IsInf(v, 0), "stall-lrs: %v must be a finite number > 0", v))
	}
	return cmp.Or(err, checkJobs(o.Jobs))
}

// ConvexReport is convex.json.
type ConvexReport struct {
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
	Runs []ConvexRun `json:"linear_runs"`
	// Stall is Adam at constant η against η: the mean of ‖w_t − w*‖ over
	// the last Tail iterates and its fit against η (nil when skipped).
	Stall *ConvexStall `json:"stall,omitempty"`
	// Contrast is the table of the two theorems: the linear model's Adam
	// (cosine schedule) and GD against the CNN's Adam and GD.
	Contrast ConvexContrast `json:"contrast"`

	// CNNRun is the CNN's training (nil when skipped or when it could not
	// start), for writing its output folder (experiment.Outcome.WriteResults).
	CNNRun *experiment.Outcome `json:"-"`
}

// ConvexRun is one optimiser and schedule on the linear model.
type ConvexRun struct {
	Optimizer  string `json:"optimizer"`
	Schedule   string `json:"schedule"`
	LR         Num    `json:"lr"`
	DistStar   Num    `json:"dist_to_wstar_relative"` // ‖w − w*‖/‖w*‖
	DistGD     Num    `json:"dist_to_gd_relative"`    // ‖w − w_GD‖/‖w_GD‖
	DistW0     Num    `json:"dist_to_w0_relative"`    // ‖w − w₀‖/‖w₀‖
	Loss       Num    `json:"loss"`
	GradL1     Num    `json:"grad_l1"`
	GradL2     Num    `json:"grad_l2"`
	TrainError Num    `json:"train_error"`
	TestError  Num    `json:"test_error"`
	Disagree   Num    `json:"test_disagreement_with_gd"`
	Seconds    Num    `json:"seconds"`
	Error      string `json:"error,omitempty"`
	// ‖w_t − w*‖₂ (absolute) over the last TailK iterates
	TailK    int `json:"tail_k"`
	TailMean Num `json:"dist_tail_mean_absolute"`
	TailMin  Num `json:"dist_tail_min_absolute"`
	TailMax  Num `json:"dist_tail_max_absolute"`
}

// ConvexStall is constant-η Adam's distance to w* against η.
type ConvexStall struct {
	Steps int         `json:"steps"`
	Tail  int         `json:"tail_k"`
	Runs  []ConvexRun `json:"runs"`
	// mean ≈ C·η (least squares through 0; RelRMS: RMS relative residual),
	// C/‖w*‖ the same for ‖w_t − w*‖/‖w*‖, and mean ≈ A·η^P (log-log)
	C      Num    `json:"slope_c"`
	CRel   Num    `json:"slope_c_relative"`
	RelRMS Num    `json:"slope_rel_rms"`
	P      Num    `json:"power_p"`
	A      Num    `json:"power_a"`
	Error  string `json:"error,omitempty"`
}

// ConvexSide is one column of the contrast table; NaN where a quantity does
// not exist (w* of the CNN) or was not computed.
type ConvexSide struct {
	AdamVsGD      Num    `json:"adam_vs_gd"`        // ‖W_Adam − W_GD‖/‖W_GD‖
	AdamVsStar    Num    `json:"adam_vs_wstar"`     // ‖W_Adam − W*‖/‖W*‖
	GDVsStar      Num    `json:"gd_vs_wstar"`       // ‖W_GD − W*‖/‖W*‖
	AdamFromStart Num    `json:"adam_from_w0"`      // ‖W_Adam − W₀‖/‖W₀‖
	GDFromStart   Num    `json:"gd_from_w0"`        // ‖W_GD − W₀‖/‖W₀‖
	AdamGradL1    Num    `json:"adam_grad_l1"`      // ‖∇L(W_Adam)‖₁
	GDGradL2      Num    `json:"gd_grad_l2"`        // ‖∇L(W_GD)‖₂
	AdamTrain     Num    `json:"adam_train_error"`  //
	GDTrain       Num    `json:"gd_train_error"`    //
	AdamTest      Num    `json:"adam_test_error"`   //
	GDTest        Num    `json:"gd_test_error"`     //
	Disagree      Num    `json:"test_disagreement"` // test examples where Adam's and GD's predicted labels differ
	Adam          string `json:"adam"`              // which Adam run
	Steps         int    `json:"steps"`             //
	Note          string `json:"note,omitempty"`    //
	Error         string `json:"error,omitempty"`   //
	Seconds       Num    `json:"seconds,omitempty"` //
	Lambda        Num    `json:"lambda"`            //
	Feature       Num    `json:"adam_feature_sign"` // CNN: min_j Λⱼ of Adam at T (negative: the feature is flipped)
	FeatureGD     Num    `json:"gd_feature_sign"`   // CNN: min_j Λⱼ of GD at T
}

// ConvexContrast is the table of Theorem 4.2 against Theorem 4.1.
type ConvexContrast struct {
	Linear ConvexSide `json:"linear"`
	CNN    ConvexSide `json:"cnn"`
}

// linearSpecs are the linear-model runs: GD, Adam at η and η/10 (the stall
// radius follows η), and Adam with the three decaying schedules.
func linearSpecs(o ConvexOptions) []optim.Spec {
	gd, _ := optim.Default("gd")
	gd.LR = o.LRGD
	adam := func(lr float64, s optim.ScheduleSpec) optim.Spec {
		a, _ := optim.Default("adam")
		a.LR, a.Schedule = lr, s
		return a
	}
	return []optim.Spec{
		gd,
		adam(o.LRAdam, optim.ScheduleSpec{}),
		adam(o.LRAdam/10, optim.ScheduleSpec{}),
		adam(o.LRAdam, optim.ScheduleSpec{Kind: "step", Gamma: 0.1, StepSize: max(1, o.Steps/5)}),
		adam(o.LRAdam, optim.ScheduleSpec{Kind: "exponential", Gamma: math.Pow(1e-3, 1/float64(o.Steps))}),
		adam(o.LRAdam, optim.ScheduleSpec{Kind: "cosine"}),
	}
}

// minimize finds w* (convex.Minimize; a test replaces it to fail).
var minimize = convex.Minimize

// Convex trains the linear model F(w,x) = ⟨w,x⟩ on x ∈ R^{2d} with
// logistic loss and weight decay λ/2‖w‖² (strongly convex) on the paper's
// data, with gradient descent and with Adam under several learning-rate
// schedules, all from the same w₀ ~ N(0, σ₀²) (stream.ConvexInit). The exact
// minimiser w* comes from L-BFGS refined by Newton steps. Beside it, the
// CNN of Table 1 is trained with Adam and GD for CNNSteps steps, in the
// background. Adam at a constant η stalls in a ball around w* whose radius
// grows with η; a decaying schedule brings it to w*; on the CNN, Adam and
// GD end far apart.
//
// It returns the report whenever the linear model could be trained, with
// the first error of a run (also recorded in the report).
func Convex(ctx context.Context, o ConvexOptions, rec progress.Recorder) (*ConvexReport, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	log := func(format string, args ...any) { progress.Notef(rec, "convex", fmt.Sprintf(format, args...)) }
	cfg := config.Paper()
	cfg.Seed, cfg.TestSize = o.Seed, o.TestSize
	cfg.Steps = max(o.CNNSteps, 1)
	cfg.LogEvery = min(cfg.LogEvery, cfg.Steps)
	cfg.TestEvery = 0
	setup, err := experiment.Prepare(cfg)
	if err != nil {
		return nil, asInvalid(err)
	}
	rep := &ConvexReport{}
	s := &rep.Settings
	s.D, s.N, s.S, s.SigmaP, s.Alpha, s.TestSize = cfg.D, cfg.N, cfg.S, cfg.SigmaP, cfg.Alpha, cfg.TestSize
	s.Lambda, s.Sigma0, s.Steps, s.Seed, s.LRAdam, s.LRGD, s.CNNSteps = o.Lambda, cfg.Sigma0, o.Steps, o.Seed, o.LRAdam, o.LRGD, o.CNNSteps
	s.InitNote = fmt.Sprintf("w0 ~ N(0, sigma0^2) per coordinate from stream %d of the seed", stream.ConvexInit)

	// The CNN runs in the background while the linear model trains, on a
	// child context: whatever way Convex returns, the CNN has stopped.
	type cnnDone struct {
		o   *experiment.Outcome
		err error
	}
	cnnCh := make(chan cnnDone, 1)
	if o.CNNSteps > 0 {
		s.CNNConfig = fmt.Sprintf("paper Section 6 (λ=%g, Adam η=%g, GD η=%g), %d steps", cfg.Lambda, cfg.Optimizers[0].LR, cfg.Optimizers[1].LR, o.CNNSteps)
		log("CNN: training adam and gd for %d steps in the background", o.CNNSteps)
		cnnCtx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		defer func() { stop(); wg.Wait() }()
		wg.Go(func() {
			out, err := experiment.Execute(cnnCtx, setup, o.Jobs)
			cnnCh <- cnnDone{out, err}
		})
	}

	lin := convex.Linear{D: cfg.D, Lambda: o.Lambda}
	w0 := make([]float64, lin.Size())
	rng := stream.New(o.Seed, stream.ConvexInit)
	for i := range w0 {
		w0[i] = cfg.Sigma0 * rng.NormFloat64()
	}
	start := time.Now()
	opt, err := minimize(lin, setup.Train, w0, 0)
	if err != nil {
		return nil, err
	}
	op := &rep.Optimum
	op.Norm, op.Loss, op.GradInf, op.GradL2 = l2(opt.W), opt.Loss, opt.GradInf, opt.GradL2
	op.Accuracy = opt.GradL2 / o.Lambda / op.Norm
	op.Active, op.LBFGSIters, op.LBFGSStatus, op.NewtonSteps = opt.Active, opt.Iters, opt.Status, opt.Newton
	op.Method, op.Status = opt.Method, opt.WStatus
	op.TrainError = float64(lin.Errors(opt.W, setup.Train)) / float64(setup.Train.N())
	op.TestError = float64(lin.Errors(opt.W, setup.Test)) / float64(setup.Test.N())
	op.Seconds = time.Since(start).Seconds()
	log("w*: ‖∇L‖_∞ = %.2g (L-BFGS iterations: %d, then Newton steps: %d; %.2fs)", opt.GradInf, opt.Iters, opt.Newton, op.Seconds)

	runner := convex.Runner{Model: lin, Train: setup.Train, Test: setup.Test, Steps: o.Steps, LogEvery: max(1, o.Steps/10), WStar: opt.W, Tail: min(o.Tail, o.Steps+1)}
	var gdW, cosW []float64
	var runErr error
	var cosRun ConvexRun
	for _, spec := range linearSpecs(o) {
		res, err := runner.Run(ctx, spec, w0)
		r := ConvexRun{Optimizer: spec.Name, Schedule: spec.Schedule.String(), LR: Num(spec.LR)}
		if err != nil {
			r.Error = err.Error()
			runErr = err
			rep.Runs = append(rep.Runs, r)
			log("linear %s %s: %v", spec.Name, r.Schedule, err)
			continue
		}
		if gdW == nil && spec.Name == "gd" {
			gdW = res.W
		}
		r.DistStar, r.DistW0 = Num(res.Final.Dist), Num(convex.RelDist(res.W, w0))
		r.Loss, r.GradL1, r.GradL2 = Num(res.Final.Loss), Num(res.Final.GradL1), Num(res.Final.GradL2)
		r.TrainError, r.TestError, r.Seconds = Num(res.TrainError), Num(res.TestError), Num(res.Seconds)
		r.TailK, r.TailMean, r.TailMin, r.TailMax = res.Tail.K, Num(res.Tail.Mean), Num(res.Tail.Min), Num(res.Tail.Max)
		r.DistGD, r.Disagree = Num(math.NaN()), Num(math.NaN())
		if gdW != nil {
			r.DistGD = Num(convex.RelDist(res.W, gdW))
			r.Disagree = Num(lin.Disagreement(res.W, gdW, setup.Test))
		}
		rep.Runs = append(rep.Runs, r)
		if spec.Name == "adam" && spec.Schedule.Kind == "cosine" {
			cosW, cosRun = res.W, r
		}
		log("linear %s %s: ‖w − w*‖/‖w*‖ = %.3g", spec.Name, r.Schedule, r.DistStar)
	}

	if len(o.StallLRs) > 0 {
		rep.Stall = stallRuns(ctx, o, runner, w0, log)
	}

	lc := &rep.Contrast.Linear
	*lc = nanSide()
	lc.Adam, lc.Steps, lc.Lambda = "adam, cosine schedule", o.Steps, Num(o.Lambda)
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
	cc.Adam, cc.Steps, cc.Lambda = "adam, constant η (paper)", o.CNNSteps, Num(cfg.Lambda)
	cc.Note = "no unique minimiser: distances to W* do not exist"
	if o.CNNSteps == 0 {
		cc.Note = "skipped (--cnn-steps 0)"
		return rep, runErr
	}
	done := <-cnnCh
	rep.CNNRun = done.o
	if done.err != nil {
		cc.Error = done.err.Error()
		return rep, fmt.Errorf("CNN: %w", done.err)
	}
	fillCNN(cc, setup, done.o.Results[0], done.o.Results[1])
	return rep, runErr
}

// stallRuns trains constant-η Adam at each of o.StallLRs for o.StallSteps
// steps and fits the tail mean of ‖w_t − w*‖ against η.
func stallRuns(ctx context.Context, o ConvexOptions, runner convex.Runner, w0 []float64, log func(string, ...any)) *ConvexStall {
	st := &ConvexStall{Steps: o.StallSteps, Tail: min(o.Tail, o.StallSteps+1), C: nan, CRel: nan, RelRMS: nan, P: nan, A: nan}
	runner.Steps, runner.LogEvery, runner.Tail = o.StallSteps, max(1, o.StallSteps/10), min(o.Tail, o.StallSteps+1)
	var lrs, means []float64
	for _, lr := range o.StallLRs {
		a, _ := optim.Default("adam")
		a.LR = lr
		res, err := runner.Run(ctx, a, w0)
		r := ConvexRun{Optimizer: "adam", Schedule: a.Schedule.String(), LR: Num(lr), DistGD: nan, Disagree: nan}
		if err != nil {
			r.Error = err.Error()
			st.Runs = append(st.Runs, r)
			continue
		}
		r.DistStar, r.DistW0 = Num(res.Final.Dist), Num(convex.RelDist(res.W, w0))
		r.Loss, r.GradL1, r.GradL2 = Num(res.Final.Loss), Num(res.Final.GradL1), Num(res.Final.GradL2)
		r.TrainError, r.TestError, r.Seconds = Num(res.TrainError), Num(res.TestError), Num(res.Seconds)
		r.TailK, r.TailMean, r.TailMin, r.TailMax = res.Tail.K, Num(res.Tail.Mean), Num(res.Tail.Min), Num(res.Tail.Max)
		st.Runs = append(st.Runs, r)
		lrs, means = append(lrs, lr), append(means, res.Tail.Mean)
		log("stall: adam η=%g, T=%d: ‖w_t − w*‖ over the last %d steps: mean %.3g, min %.3g, max %.3g", lr, o.StallSteps, o.Tail, res.Tail.Mean, res.Tail.Min, res.Tail.Max)
	}
	fit, err := convex.FitSlope(lrs, means)
	if err != nil {
		st.Error = err.Error()
		return st
	}
	st.C, st.RelRMS, st.P, st.A = Num(fit.C), Num(fit.RelR), Num(fit.P), Num(fit.A)
	st.CRel = Num(fit.C / l2(runner.WStar))
	return st
}

func nanSide() ConvexSide {
	n := Num(math.NaN())
	return ConvexSide{AdamVsGD: n, AdamVsStar: n, GDVsStar: n, AdamFromStart: n, GDFromStart: n, AdamGradL1: n, GDGradL2: n,
		AdamTrain: n, GDTrain: n, AdamTest: n, GDTest: n, Disagree: n, Feature: n, FeatureGD: n}
}

// fillCNN fills the CNN column from the last iterates of Adam and GD.
func fillCNN(cc *ConvexSide, setup *experiment.Setup, adam, gd *train.Result) {
	w0 := setup.W0
	cc.AdamVsGD = Num(convex.RelDist(adam.W, gd.W))
	cc.AdamFromStart, cc.GDFromStart = Num(convex.RelDist(adam.W, w0)), Num(convex.RelDist(gd.W, w0))
	la, lg := adam.Records[len(adam.Records)-1], gd.Records[len(gd.Records)-1]
	cc.AdamGradL1, cc.GDGradL2 = Num(la.GradL1), Num(math.Sqrt(lg.GradL2Sq))
	cc.AdamTrain, cc.GDTrain = Num(adam.TrainError), Num(gd.TrainError)
	cc.AdamTest, cc.GDTest = Num(adam.TestError), Num(gd.TestError)
	cc.Feature, cc.FeatureGD = Num(math.Min(la.FeaturePos, la.FeatureNeg)), Num(math.Min(lg.FeaturePos, lg.FeatureNeg))
	cnn := setup.Config.CNN()
	pa, pg := cnn.Predict(adam.W, setup.Test), cnn.Predict(gd.W, setup.Test)
	diff := 0
	for i := range pa {
		if pa[i] != pg[i] {
			diff++
		}
	}
	cc.Disagree = Num(float64(diff) / float64(len(pa)))
	cc.Seconds = Num(adam.Seconds + gd.Seconds)
}

func l2(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

// Table is the report as Markdown: the linear runs, then the contrast of
// the two theorems.
func (r *ConvexReport) Table() string {
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
		fmt.Fprintf(&b, "\n‖w_t − w*‖₂ (absolute) over the last %d iterates: constant-η Adam orbits w* instead of settling, so one snapshot swings between these bounds\n\n", r.Runs[0].TailK)
		b.WriteString("| optimiser | schedule | η | T | mean | min | max |\n|---|---|---:|---:|---:|---:|---:|\n")
		row := func(x ConvexRun, steps int) {
			if x.Error == "" {
				fmt.Fprintf(&b, "| %s | %s | %g | %d | %s | %s | %s |\n", x.Optimizer, x.Schedule, x.LR, steps, g3(x.TailMean), g3(x.TailMin), g3(x.TailMax))
			}
		}
		for _, x := range r.Runs {
			row(x, r.Settings.Steps)
		}
		if st := r.Stall; st != nil {
			for _, x := range st.Runs {
				row(x, st.Steps)
			}
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
