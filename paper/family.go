package paper

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/internal/pool"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/report"
)

// CheckData is the data part of check's report: the family's knobs and
// the SNR they give.
type CheckData struct {
	Noise      string  `json:"noise"`
	SignalNorm float64 `json:"signal_norm"`
	// SNR = ‖μ‖/(σp·√d), the signal-to-noise ratio of the family's papers
	// (null with data_from and no d).
	SNR        Num     `json:"snr"`
	LabelNoise float64 `json:"label_noise"`
	// DataFrom is the configuration's data file: the knobs above, s, σp
	// and α are then the configured model's, not measured from the file.
	DataFrom string `json:"data_from,omitempty"`
}

func checkDataOf(c config.Config) CheckData {
	pm := c.PatchModel()
	d := CheckData{Noise: string(data.Sparse), SignalNorm: pm.Mu(), SNR: nan, LabelNoise: pm.LabelNoise, DataFrom: c.DataFrom}
	if pm.Noise != "" {
		d.Noise = string(pm.Noise)
	}
	if c.D > 0 {
		d.SNR = Num(pm.SNR())
	}
	return d
}

// line is the data line of check's table.
func (d CheckData) line() string {
	s := fmt.Sprintf("data: noise=%s ‖μ‖=%g SNR=‖μ‖/(σp·√d)=%s label_noise=%g", d.Noise, d.SignalNorm, g3(d.SNR), d.LabelNoise)
	if d.DataFrom != "" {
		// The file's data are what they are: nothing above was measured
		// from them.
		return fmt.Sprintf("data: from %s (d and n are the file's; s, σp, α, noise=%s, ‖μ‖=%g and label_noise=%g are the configured model's, which describe the file's data only if they were drawn from it)",
			d.DataFrom, d.Noise, d.SignalNorm, d.LabelNoise)
	}
	if d.Noise != string(data.Sparse) || d.SignalNorm != 1 || d.LabelNoise != 0 {
		s += " (the conditions below are the seed paper's, stated for sparse noise, ‖μ‖ = 1 and clean labels)"
	}
	return s
}

// familyCell is one configuration of a family experiment's grid and what
// its runs gave.
type familyCell struct {
	cfg config.Config
	out *experiment.Outcome
	err error
}

// runCells trains every configuration, at most jobs cells at a time (each
// cell's optimisers one after the other, so that the cells' results do not
// depend on jobs), reporting every finished cell to rec under task. Every
// cell is started; a cell that fails keeps its error.
func runCells(ctx context.Context, task string, cfgs []config.Config, jobs int, rec progress.Recorder, item func(i int) string) []familyCell {
	cells := make([]familyCell, len(cfgs))
	count := progress.Counter{R: rec, Task: task, Unit: "runs", Total: len(cfgs)}
	count.Start(fmt.Sprintf("training %d runs, %d at a time", len(cfgs), pool.Jobs(jobs)))
	pool.Run(context.WithoutCancel(ctx), len(cfgs), jobs, func(_ context.Context, i int) error {
		c := &cells[i]
		c.cfg = cfgs[i]
		s, err := experiment.PrepareContext(ctx, cfgs[i], experiment.Limits{Jobs: 1})
		if err == nil {
			c.out, err = experiment.Execute(ctx, s, 1)
		}
		c.err = err
		count.Step(item(i), err != nil, nil)
		return nil
	})
	return cells
}

// testError returns the last iterate's test error of the optimiser named
// name in the cell (NaN when the run failed), and against the clean labels
// where the test set has some flipped (else the same).
func (c familyCell) testError(name string) (noisy, clean Num) {
	noisy, clean = nan, nan
	if c.out == nil {
		return
	}
	for i, r := range c.out.Results {
		if r == nil || r.Optimizer != name || r.Err != nil {
			continue
		}
		noisy, clean = Num(r.TestError), Num(r.TestError)
		if i < len(c.out.Clean) {
			clean = Num(c.out.Clean[i].Last)
		}
	}
	return
}

// trainError returns the last iterate's training error of the optimiser
// named name (NaN when the run failed).
func (c familyCell) trainError(name string) Num {
	if c.out != nil {
		for _, r := range c.out.Results {
			if r != nil && r.Optimizer == name && r.Err == nil {
				return Num(r.TrainError)
			}
		}
	}
	return nan
}

// withKeys returns c with the configuration keys of set applied, as
// config.yaml would give them (for the network keys of the family:
// activation, output_scale, q).
func withKeys(c config.Config, set map[string]any) (config.Config, error) {
	b, err := c.Marshal()
	if err != nil {
		return config.Config{}, err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return config.Config{}, err
	}
	maps.Copy(doc, set)
	if b, err = yaml.Marshal(doc); err != nil {
		return config.Config{}, err
	}
	return config.Parse(b, c)
}

// Boundary is a theorem's benign/harmful boundary, stat = C, where stat is
// the theorem's statistic of a cell (n·SNR^q for Cao et al., n·‖μ‖⁴/(σp⁴·d)
// for Kou et al.): the theorems fix the statistic and leave the constant
// C unknown, so C is fitted to the measured cells — the one that puts the
// most cells on their side (benign above C: test error below the
// threshold) — and Agreement says what fraction of the cells it puts on
// their side. A theorem that predicted the wrong statistic would leave
// cells of both kinds on both sides of every C.
type Boundary struct {
	Statistic string  `json:"statistic"`
	C         Num     `json:"c"`
	Threshold float64 `json:"threshold"` // a cell is benign when its test error is below this
	Agreement Num     `json:"agreement"` // fraction of cells on their side of stat = C
	Cells     int     `json:"cells"`
}

// fitBoundary fits C to the cells' statistics and benign flags (NaN-free
// cells only): C is the geometric mean of two neighbouring statistics
// where the most cells agree.
func fitBoundary(stat []float64, benign []bool) (c float64, agree float64) {
	idx := make([]int, len(stat))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(stat[a], stat[b]) })
	best, bestC := -1, math.NaN()
	// Threshold below the k-th smallest: cells 0..k−1 harmful, k.. benign.
	for k := 0; k <= len(idx); k++ {
		ok := 0
		for j, i := range idx {
			if (j >= k) == benign[i] {
				ok++
			}
		}
		var cut float64
		switch {
		case k == 0:
			cut = stat[idx[0]] / 2
		case k == len(idx):
			cut = stat[idx[k-1]] * 2
		default:
			cut = math.Sqrt(stat[idx[k-1]] * stat[idx[k]])
		}
		if ok > best {
			best, bestC = ok, cut
		}
	}
	if len(idx) == 0 {
		return math.NaN(), math.NaN()
	}
	return bestC, float64(best) / float64(len(idx))
}

// geometric returns k values from lo to hi, equally spaced in log scale,
// rounded to 3 significant digits.
func geometric(lo, hi float64, k int) []float64 {
	out := make([]float64, k)
	for i := range out {
		v := lo
		if k > 1 {
			v = lo * math.Pow(hi/lo, float64(i)/float64(k-1))
		}
		out[i], _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	}
	return out
}

// GDGrid holds what Benign and LabelFlip share: the gaussian data's d and
// σp, the network's m, output scale and σ₀, gradient descent's η and steps
// (no weight decay: the papers train the unregularised loss), the test
// size, the seed and the cells trained at once.
type GDGrid struct {
	D        int
	SigmaP   float64
	M        int
	Output   string // output_scale: "mean" is the family's 1/m
	Sigma0   float64
	LR       float64
	Steps    int
	TestSize int
	Seed     uint64
	Jobs     int // cells trained concurrently (0: one per CPU)
}

// config returns the configuration of a cell without n and ‖μ‖: gaussian
// noise with label noise p, ReLU^q, gradient descent.
func (g GDGrid) config(p, q float64) (config.Config, error) {
	c := config.Paper()
	c.D, c.SigmaP, c.Alpha, c.Noise, c.LabelNoise = g.D, g.SigmaP, 0, string(data.Gaussian), p
	c.M, c.Sigma0, c.Lambda = g.M, g.Sigma0, 0
	c.Steps, c.LogEvery, c.TestEvery, c.TestSize, c.Seed = g.Steps, max(1, g.Steps/10), 0, g.TestSize, g.Seed
	gd, _ := optim.Default("gd")
	gd.LR = g.LR
	c.Optimizers = []optim.Spec{gd}
	return withKeys(c, map[string]any{"q": q, "output_scale": g.Output})
}

// GridCell is one cell of the n × signal grids of Benign and LabelFlip:
// its training size, its signal (SNR or ‖μ‖, the grid's y axis) and what
// gradient descent's last iterate reached there.
type GridCell struct {
	N          int     `json:"n"`
	Y          float64 `json:"y"` // the grid's signal value: SNR (benign) or ‖μ‖ (labelflip)
	SignalNorm float64 `json:"signal_norm"`
	SNR        float64 `json:"snr"`
	Stat       float64 `json:"stat"` // the theorem's statistic (Boundary.Statistic)
	TrainError Num     `json:"train_error"`
	TestError  Num     `json:"test_error"`       // on the test labels (noisy with label noise)
	TestClean  Num     `json:"test_error_clean"` // on the clean test labels
	Benign     *bool   `json:"benign"`           // test error below Boundary.Threshold; null for a failed run
	Error      string  `json:"error,omitempty"`
}

// gridSpec is what differs between Benign and LabelFlip.
type gridSpec struct {
	task      string
	base      config.Config
	ns        []int
	ys        []float64
	mu        func(y float64) float64         // ‖μ‖ of the cell at signal y
	stat      func(n int, mu float64) float64 // the theorem's statistic
	statName  string
	threshold float64
	jobs      int
}

// runGrid trains GD on every cell of the grid and fits the theorem's
// boundary to the cells.
func runGrid(ctx context.Context, g gridSpec, rec progress.Recorder) ([]GridCell, Boundary, error) {
	var cfgs []config.Config
	var cells []GridCell
	for _, y := range g.ys {
		for _, n := range g.ns {
			c := g.base
			c.N, c.SignalNorm = n, g.mu(y)
			if err := c.Validate(); err != nil {
				return nil, Boundary{}, asInvalid(err)
			}
			cfgs = append(cfgs, c)
			pm := c.PatchModel()
			cells = append(cells, GridCell{N: n, Y: y, SignalNorm: pm.Mu(), SNR: pm.SNR(), Stat: g.stat(n, pm.Mu())})
		}
	}
	runs := runCells(ctx, g.task, cfgs, g.jobs, rec, func(i int) string {
		return fmt.Sprintf("n=%d ‖μ‖=%.3g", cells[i].N, cells[i].SignalNorm)
	})
	var stats []float64
	var benign []bool
	var errs []error
	for i, r := range runs {
		c := &cells[i]
		c.TrainError, c.TestError, c.TestClean = nan, nan, nan
		if r.err != nil {
			c.Error = r.err.Error()
			errs = append(errs, fmt.Errorf("n=%d ‖μ‖=%g: %w", c.N, c.SignalNorm, r.err))
			continue
		}
		c.TrainError = r.trainError("gd")
		c.TestError, c.TestClean = r.testError("gd")
		b := float64(c.TestError) < g.threshold
		c.Benign = &b
		stats, benign = append(stats, c.Stat), append(benign, b)
	}
	if err := ctx.Err(); err != nil {
		// Interrupted: the finished cells are kept, the boundary is not
		// fitted to part of the grid.
		return cells, Boundary{Statistic: g.statName, C: nan, Threshold: g.threshold, Agreement: nan, Cells: len(stats)}, err
	}
	cut, agree := fitBoundary(stats, benign)
	return cells, Boundary{Statistic: g.statName, C: Num(cut), Threshold: g.threshold, Agreement: Num(agree), Cells: len(stats)}, errors.Join(errs...)
}

// gridZ returns the test errors of the cells as a heat map's rows (one
// row per signal value, one column per n).
func gridZ(cells []GridCell, ns int, f func(GridCell) Num) [][]float64 {
	var z [][]float64
	for i, c := range cells {
		if i%ns == 0 {
			z = append(z, nil)
		}
		z[len(z)-1] = append(z[len(z)-1], float64(f(c)))
	}
	return z
}

func formatTicks[T int | float64](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = fmt.Sprintf("%.3g", float64(v))
	}
	return out
}

func floats[T int | float64](vals []T) []float64 {
	out := make([]float64, len(vals))
	for i, v := range vals {
		out[i] = float64(v)
	}
	return out
}

// FamilyOptions are the settings of Family: the seed's network and
// optimisers (Adam in PyTorch's form and GD, the same W₀) trained on the
// family's Gaussian-noise data over a grid of SNR × α, plus the variants
// with label noise and with ReLU.
type FamilyOptions struct {
	SNRs   []float64 // increasing, > 0; ‖μ‖ = SNR·σp·√d
	Alphas []float64 // feature-noise strengths α, increasing, ≥ 0
	// The data: d, n, σp; the seed's sparse point has s = D/10.
	D, N   int
	SigmaP float64
	// The network: the seed's (ReLU³ with the sum output), M, σ₀, λ.
	M      int
	Sigma0 float64
	Lambda float64
	// Adam (PyTorch's) and GD learning rates, and the steps of every run.
	AdamLR, GDLR float64
	Steps        int
	TestSize     int
	// P is the label noise of the variants with flipped labels.
	P    float64
	Seed uint64
	Jobs int // runs trained concurrently (0: one per CPU)
}

// DefaultFamily returns the grid of the README: the seed's σp = 0.1,
// m = 20, σ₀ = 0.01, λ = 1e-5, Adam and GD at d = 400, n = 40 (the
// seed's d = 1000, n = 200 scaled down to keep the 88 runs in minutes),
// Adam η = 1e-4, GD η = 0.1 for 4000 steps (the seed's 5e-5 and 0.02 for
// 10⁴ steps, scaled with the steps), SNR from 0.25 to 2 (7 values, the
// seed's 0.5 among them) and α from 0 to 0.4, label noise 0.1 in the
// variants.
func DefaultFamily() FamilyOptions {
	return FamilyOptions{
		SNRs: geometric(0.25, 2, 7), Alphas: []float64{0, 0.05, 0.1, 0.2, 0.4},
		D: 400, N: 40, SigmaP: 0.1, M: 20, Sigma0: 0.01, Lambda: 1e-5,
		AdamLR: 1e-4, GDLR: 0.1, Steps: 4000, TestSize: 1000, P: 0.1,
	}
}

// QuickFamily is DefaultFamily on a 4 × 3 grid with 2500 steps.
func QuickFamily() FamilyOptions {
	o := DefaultFamily()
	o.SNRs, o.Alphas, o.Steps = geometric(0.25, 2, 4), []float64{0, 0.2, 0.4}, 2500
	return o
}

// Validate reports the first option out of range.
func (o FamilyOptions) Validate() error {
	if len(o.SNRs) == 0 || len(o.Alphas) == 0 {
		return fmt.Errorf("%w: snrs and alphas must not be empty", ErrInvalid)
	}
	for i, v := range o.SNRs {
		if !(v > 0) || math.IsInf(v, 0) || (i > 0 && v <= o.SNRs[i-1]) {
			return fmt.Errorf("%w: snrs=%v must be increasing finite numbers > 0", ErrInvalid, o.SNRs)
		}
	}
	for i, v := range o.Alphas {
		if !(v >= 0) || math.IsInf(v, 0) || (i > 0 && v <= o.Alphas[i-1]) {
			return fmt.Errorf("%w: alphas=%v must be increasing finite numbers >= 0", ErrInvalid, o.Alphas)
		}
	}
	if o.D < 20 {
		return fmt.Errorf("%w: d=%d must be at least 20 (the seed's point has s = d/10)", ErrInvalid, o.D)
	}
	if !(o.P > 0 && o.P < 0.5) { // as LabelFlip's: the variants with flipped labels need some
		return fmt.Errorf("%w: p=%v must be in (0, 0.5) (the label noise of the variants with flipped labels)", ErrInvalid, o.P)
	}
	return checkJobs(o.Jobs)
}

// seedSNR is the SNR of the seed's point at d: ‖μ‖ = 1 with the grid's σp.
func (o FamilyOptions) seedSNR() float64 { return 1 / (o.SigmaP * math.Sqrt(float64(o.D))) }

// familyConfig returns one run's configuration: noise kind, SNR, α, label
// noise and q (1: ReLU, 3: the seed's ReLU³).
func (o FamilyOptions) familyConfig(noise data.Noise, snr, alpha, p float64, q int) (config.Config, error) {
	c := config.Paper()
	c.D, c.N, c.SigmaP, c.Alpha, c.Noise, c.LabelNoise = o.D, o.N, o.SigmaP, alpha, string(noise), p
	c.SignalNorm = snr * o.SigmaP * math.Sqrt(float64(o.D))
	if noise == data.Sparse {
		c.S = o.D / 10
	}
	c.M, c.Sigma0, c.Lambda = o.M, o.Sigma0, o.Lambda
	c.Steps, c.LogEvery, c.TestEvery, c.TestSize, c.Seed = o.Steps, max(1, o.Steps/10), 0, o.TestSize, o.Seed
	adam, _ := optim.Default("adam")
	gd, _ := optim.Default("gd")
	adam.LR, gd.LR = o.AdamLR, o.GDLR
	c.Optimizers = []optim.Spec{adam, gd}
	return withKeys(c, map[string]any{"q": q})
}

// FamilyRun is one configuration of Family and Adam's and GD's last
// iterates there: test error on the clean test labels (the labels the
// examples were drawn with) and the gap Adam − GD.
type FamilyRun struct {
	Noise      string  `json:"noise"`
	SNR        float64 `json:"snr"`
	SignalNorm float64 `json:"signal_norm"`
	Alpha      float64 `json:"alpha"`
	LabelNoise float64 `json:"label_noise"`
	Activation string  `json:"activation"` // relu or relu^3
	AdamTrain  Num     `json:"adam_train_error"`
	GDTrain    Num     `json:"gd_train_error"`
	AdamTest   Num     `json:"adam_test_error"`
	GDTest     Num     `json:"gd_test_error"`
	Gap        Num     `json:"gap"` // AdamTest − GDTest
	Error      string  `json:"error,omitempty"`
}

// FamilyReport is what Family measured: the grid (rows α, columns SNR),
// the seed's sparse point at the same size, and the variants.
type FamilyReport struct {
	Options  FamilyOptions `json:"options"`
	Grid     []FamilyRun   `json:"grid"`
	Seed     FamilyRun     `json:"seed_point"`
	Variants []FamilyRun   `json:"variants"`
}

// Family measures the seed paper's question on the family's data: where
// does Adam's memorisation gap (Adam's test error far above GD's from the
// same W₀ and data) appear on the Gaussian-noise model, and where does it
// close? It trains Adam and GD on every cell of SNR × α (ReLU³, clean
// labels), at the seed's sparse point scaled to the same d and n
// (s = d/10, ‖μ‖ = 1, α = 0.2), and on the variants α ∈ {0, 0.2} ×
// label noise {0, P} × {ReLU, ReLU³} at the seed's SNR. Test errors are
// on the clean test labels.
func Family(ctx context.Context, o FamilyOptions, rec progress.Recorder) (*FamilyReport, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	var cfgs []config.Config
	var runs []FamilyRun
	add := func(noise data.Noise, snr, alpha, p float64, q int) error {
		c, err := o.familyConfig(noise, snr, alpha, p, q)
		if err == nil {
			err = c.Validate()
		}
		if err != nil {
			return asInvalid(err)
		}
		act := "relu^3"
		if q == 1 {
			act = "relu"
		}
		cfgs = append(cfgs, c)
		runs = append(runs, FamilyRun{Noise: string(noise), SNR: snr, SignalNorm: c.SignalNorm, Alpha: alpha, LabelNoise: p, Activation: act})
		return nil
	}
	for _, a := range o.Alphas {
		for _, snr := range o.SNRs {
			if err := add(data.Gaussian, snr, a, 0, 3); err != nil {
				return nil, err
			}
		}
	}
	if err := add(data.Sparse, o.seedSNR(), 0.2, 0, 3); err != nil {
		return nil, err
	}
	for _, q := range []int{3, 1} {
		for _, p := range []float64{0, o.P} {
			for _, a := range []float64{0, 0.2} {
				if err := add(data.Gaussian, o.seedSNR(), a, p, q); err != nil {
					return nil, err
				}
			}
		}
	}
	cells := runCells(ctx, "family", cfgs, o.Jobs, rec, func(i int) string {
		r := runs[i]
		return fmt.Sprintf("%s SNR=%.3g α=%g p=%g %s", r.Noise, r.SNR, r.Alpha, r.LabelNoise, r.Activation)
	})
	var errs []error
	for i, c := range cells {
		r := &runs[i]
		if c.err != nil {
			r.Error = c.err.Error()
			r.AdamTrain, r.GDTrain, r.AdamTest, r.GDTest, r.Gap = nan, nan, nan, nan, nan
			errs = append(errs, c.err)
			continue
		}
		_, r.AdamTest = c.testError("adam")
		_, r.GDTest = c.testError("gd")
		r.AdamTrain, r.GDTrain = c.trainError("adam"), c.trainError("gd")
		r.Gap = r.AdamTest - r.GDTest
	}
	g := len(o.Alphas) * len(o.SNRs)
	rep := &FamilyReport{Options: o, Grid: runs[:g], Seed: runs[g], Variants: runs[g+1:]}
	if err := ctx.Err(); err != nil {
		// What was computed before: the runs that did not finish say so.
		return rep, err
	}
	return rep, errors.Join(errs...)
}

// Table prints the gap grid, the seed's point and the variants.
func (r *FamilyReport) Table() string {
	var b strings.Builder
	o := r.Options
	fmt.Fprintf(&b, "Adam vs GD on the family's data: d=%d n=%d σp=%g m=%d σ₀=%g λ=%g, Adam η=%g, GD η=%g, %d steps; test error on clean labels\n\n",
		o.D, o.N, o.SigmaP, o.M, o.Sigma0, o.Lambda, o.AdamLR, o.GDLR, o.Steps)
	b.WriteString("gap = Adam − GD test error (gaussian noise, ReLU³, clean labels)\n\n| α \\ SNR |")
	for _, s := range o.SNRs {
		fmt.Fprintf(&b, " %.3g |", s)
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(o.SNRs)) + "\n")
	for i, run := range r.Grid {
		if i%len(o.SNRs) == 0 {
			fmt.Fprintf(&b, "| %g |", run.Alpha)
		}
		fmt.Fprintf(&b, " %s (%s/%s) |", g3(run.Gap), g3(run.AdamTest), g3(run.GDTest))
		if i%len(o.SNRs) == len(o.SNRs)-1 {
			b.WriteString("\n")
		}
	}
	b.WriteString("\n| noise | SNR | α | label noise | activation | Adam train | GD train | Adam test | GD test | gap |\n|---|---:|---:|---:|---|---:|---:|---:|---:|---:|\n")
	for _, run := range append([]FamilyRun{r.Seed}, r.Variants...) {
		fmt.Fprintf(&b, "| %s | %.3g | %g | %g | %s | %s | %s | %s | %s | %s |\n", run.Noise, run.SNR, run.Alpha, run.LabelNoise, run.Activation,
			g3(run.AdamTrain), g3(run.GDTrain), g3(run.AdamTest), g3(run.GDTest), g3(run.Gap))
	}
	fmt.Fprintf(&b, "\nThe first row is the seed's sparse point (s = d/10, ‖μ‖ = 1, α = 0.2) at this d and n.\n")
	return b.String()
}

// Heatmap is the gap Adam − GD over SNR × α with the seed's sparse point
// marked.
func (r *FamilyReport) Heatmap() *report.Heatmap {
	o := r.Options
	z := make([][]float64, len(o.Alphas))
	for i, run := range r.Grid {
		z[i/len(o.SNRs)] = append(z[i/len(o.SNRs)], float64(run.Gap))
	}
	h := &report.Heatmap{
		Title:  fmt.Sprintf("Adam − GD test error (same W₀), gaussian noise, d=%d n=%d σp=%g, ReLU³", o.D, o.N, o.SigmaP),
		XLabel: "SNR = ‖μ‖/(σp√d)", YLabel: "feature noise α", ZLabel: "gap (Adam − GD)",
		XTicks: formatTicks(o.SNRs), YTicks: formatTicks(o.Alphas), Z: z, Diverging: true, ZMin: -1, ZMax: 1,
	}
	// The α axis holds 0: place the point by index, linearly in α.
	ay := report.LinearPosition(r.Seed.Alpha, o.Alphas)
	sx := report.LogPosition(r.Seed.SNR, o.SNRs)
	h.Overlays = append(h.Overlays, report.PointAt(fmt.Sprintf("ring: the seed's sparse point (s = d/10, ‖μ‖ = 1, α = 0.2), gap %s", g3(r.Seed.Gap)), sx, ay, color.Black))
	return h
}

// WritePNG and WriteSVG write the heat map.
func (r *FamilyReport) WritePNG(w io.Writer) error { return r.Heatmap().WritePNG(w) }
func (r *FamilyReport) WriteSVG(w io.Writer) error { return r.Heatmap().WriteSVG(w) }
