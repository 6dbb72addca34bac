package paper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/adamgap/adamgap/examples"
	"github.com/adamgap/adamgap/internal/outdir"
	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/report"
	"github.com/adamgap/adamgap/sweep"
)

// PhaseOptions are the settings of Phase.
type PhaseOptions struct {
	// Dir is the sweep folder (created if needed; complete runs in it are
	// kept). Empty means results/phase, or results/phase-quick with Quick,
	// so that the quick check and the full diagram never share a folder.
	Dir  string
	Jobs int // runs trained at once, one core each; 0: one per CPU
	// Quick runs examples/phase-quick.yaml, a 2 × 2 grid on a small problem
	// (d=200, n=40, s=20, 600 steps), instead of examples/phase.yaml.
	Quick bool
	// AllFiles writes every run's data.npz, weights.npz and figures too
	// (about 5 MB per run); else only what the merge reads.
	AllFiles bool
}

// DefaultPhase returns the settings of "adamgap reproduce phase".
func DefaultPhase() PhaseOptions { return PhaseOptions{} }

// Folder is the sweep folder Phase writes: Dir, or when it is empty
// results/phase (results/phase-quick with Quick).
func (o PhaseOptions) Folder() string {
	switch {
	case o.Dir != "":
		return o.Dir
	case o.Quick:
		return filepath.Join("results", "phase-quick")
	}
	return filepath.Join("results", "phase")
}

// Spec returns the sweep specification Phase runs, as embedded from
// examples/phase.yaml (or phase-quick.yaml).
func (o PhaseOptions) Spec() (*sweep.Spec, error) {
	name := "phase.yaml"
	if o.Quick {
		name = "phase-quick.yaml"
	}
	text, err := examples.Specs.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return sweep.ParseSpec(text)
}

// PhaseMap is one heatmap of the phase diagram.
type PhaseMap struct {
	Query sweep.Query
	Name  string // file name of its plot, without extension
	Map   *report.Heatmap
}

// PhaseReport is what Phase measured: the sweep's merged table (in
// Dir/results.csv) and the heatmaps of the mean test error of Adam, of GD
// and of Adam − GD over α × σp.
type PhaseReport struct {
	Dir         string        `json:"dir"`
	Name        string        `json:"name"`       // of the specification
	Runs        int           `json:"runs"`       // in the plan
	Optimizers  int           `json:"optimizers"` // per run
	Done        int           `json:"done"`       // trained by this call (the others were complete)
	Wall        time.Duration `json:"-"`
	WallSeconds float64       `json:"wall_seconds"`
	Maps        []PhaseMap    `json:"-"`
}

// Phase trains Adam and GD from the same start over a grid of
// feature-noise strengths α and noise levels σp, 3 seeds each (the sweep
// of examples/phase.yaml: 5 × 5 × 3 runs at the paper's Section 6
// settings), into the sweep folder o.Dir: an interrupted call resumes. It
// merges the results and returns the heatmaps; the error says which runs
// are missing or failed, if any.
func Phase(ctx context.Context, o PhaseOptions, rec progress.Recorder) (*PhaseReport, error) {
	o.Dir = o.Folder()
	if err := checkJobs(o.Jobs); err != nil {
		return nil, err
	}
	spec, err := o.Spec()
	if err != nil {
		return nil, err
	}
	runs, err := spec.PlanContext(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkPhaseFolder(o.Dir, spec); err != nil {
		return nil, err
	}
	if _, err := sweep.WriteSpec(o.Dir, spec); err != nil {
		return nil, err
	}
	start := time.Now()
	ex := sweep.Executor{Dir: o.Dir, Jobs: o.Jobs, Lean: !o.AllFiles, Progress: rec}
	done, err := ex.Run(ctx, runs)
	if err != nil {
		return nil, err
	}
	rep := &PhaseReport{Dir: o.Dir, Name: spec.Name, Runs: len(runs), Optimizers: len(spec.Base.Optimizers), Done: done.Done, Wall: time.Since(start)}
	rep.WallSeconds = rep.Wall.Seconds()
	t, mrep, err := sweep.WriteMerged(o.Dir)
	if err != nil {
		return nil, err
	}
	for _, q := range []sweep.Query{
		{Metric: "test_error", Optimizers: []string{"adam"}},
		{Metric: "test_error", Optimizers: []string{"gd"}},
		{Metric: "test_error", Diff: [2]string{"adam", "gd"}},
	} {
		h, err := t.Heatmap(q, "alpha", "sigma_p")
		if err != nil {
			return nil, err
		}
		rep.Maps = append(rep.Maps, PhaseMap{Query: q, Name: q.PlotName("alpha", "sigma_p"), Map: h})
	}
	report.ShareScale(rep.Maps[0].Map, rep.Maps[1].Map, rep.Maps[2].Map) // Adam's and GD's maps compare
	return rep, mrep.Err(o.Dir, 0)
}

// checkPhaseFolder refuses a folder that holds the sweep of another
// specification (the quick check in the full diagram's folder, or the
// reverse): replacing its sweep.yaml would orphan its runs and mix two
// experiments in one folder. The error wraps outdir.ErrExists.
func checkPhaseFolder(dir string, spec *sweep.Spec) error {
	old, err := os.ReadFile(filepath.Join(dir, sweep.SpecFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if bytes.Equal(old, spec.Raw()) {
		return nil
	}
	what := "another sweep"
	if s, perr := sweep.ParseSpec(old); perr == nil && s.Name != "" {
		what = fmt.Sprintf("the sweep %q", s.Name)
	}
	return fmt.Errorf("%w: --out %s holds %s, not %q; choose another folder, or remove it", outdir.ErrExists, dir, what, spec.Name)
}

// PlotBase is the path of map m's figure without extension:
// Dir/plots/NAME.
func (r *PhaseReport) PlotBase(m PhaseMap) string { return filepath.Join(r.Dir, "plots", m.Name) }

// Table is the report as text: each heatmap as a table, the largest σp
// first, as the picture shows it.
func (r *PhaseReport) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Phase diagram (%s): %d runs × %d optimizers, %d trained now in %s\n\n", r.Name, r.Runs, r.Optimizers, r.Done, r.Wall.Round(time.Second))
	for _, m := range r.Maps {
		fmt.Fprintf(&b, "%s\n%s  → %s.png (and .svg)\n\n", m.Map.Title, heatmapTable(m.Map), r.PlotBase(m))
	}
	fmt.Fprintf(&b, "Table: %s\n", filepath.Join(r.Dir, sweep.MergedFile))
	return b.String()
}

// heatmapTable prints a heatmap as text: one row per y value, the largest
// first, as the picture shows it; each cell mean ± sd.
func heatmapTable(h *report.Heatmap) string {
	var b strings.Builder
	corner := h.YLabel + ` \ ` + h.XLabel
	wd := len(corner)
	for _, y := range h.YTicks {
		wd = max(wd, len(y))
	}
	fmt.Fprintf(&b, "%*s |", wd, corner)
	for _, x := range h.XTicks {
		fmt.Fprintf(&b, " %14s", x)
	}
	b.WriteString("\n")
	for i := len(h.YTicks) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "%*s |", wd, h.YTicks[i])
		for j := range h.XTicks {
			cell := "—"
			if !math.IsNaN(h.Z[i][j]) {
				cell = fmt.Sprintf("%.3f ± %.3f", h.Z[i][j], h.Std[i][j])
			}
			fmt.Fprintf(&b, " %14s", cell)
		}
		b.WriteString("\n")
	}
	return b.String()
}
