package paper

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/report"
	"github.com/adamgap/adamgap/train"
)

// Table1Options are the settings of Table1: a configuration (the paper's
// Section 6 settings by default; any other trains "Table 1" for it) and how
// many optimisers train at once.
type Table1Options struct {
	Config config.Config
	Jobs   int // optimisers trained concurrently; 0: one per CPU
	// Rows, when not nil, is given every logged row of every optimiser as
	// it is logged (experiment.ExecuteRecorded): for live curves.
	Rows train.Recorder
	// Out, when not empty, is the folder the run is written to (see
	// experiment.RunInto); a non-empty Out is refused unless Force.
	Out   string
	Force bool
	// SaveBatches also writes Out/batches.npy, the batch of every step of a
	// mini-batch run (experiment.Setup.WriteBatches).
	SaveBatches bool
	// MaxMemory is the limit of the configuration's memory estimate
	// (0: config.DefaultMaxMemory()).
	MaxMemory int64
}

// DefaultTable1 returns the paper's Section 6 settings: d=1000, n=200,
// s=100, σp=0.1, α=0.2, σ₀=0.01, λ=1e-5, m=20, q=3, T=10⁴, 10⁴ test
// examples; Adam (PyTorch form, η=5e-5, β=(0.9,0.999)) and gradient descent
// (η=0.02), seed 0.
func DefaultTable1() Table1Options { return Table1Options{Config: config.Paper()} }

// Table1Report is what Table1 measured: the summary of every optimiser
// (the CLI's summary.json) and the paper's values beside it.
type Table1Report struct {
	Seed          uint64             `json:"seed"`
	Summary       experiment.Summary `json:"summary"`
	PaperAdamTest float64            `json:"paper_adam_test_error"`
	PaperGDTest   float64            `json:"paper_gd_test_error"`
	// Outcome is the whole training (logged rows, weights), for the output
	// folder (experiment.Setup.WriteInputs, Outcome.WriteResults) and for
	// report.Figure2.
	Outcome *experiment.Outcome `json:"-"`
}

// Table1 draws the data and W₀ of the configuration and trains each of its
// optimisers from them (Table 1 and Figure 2 of the paper). With o.Out it
// writes the run folder as experiment.RunInto does (never mixing two runs,
// metrics.csv streamed). It returns the report whenever training started,
// with the joined errors of the runs that failed.
func Table1(ctx context.Context, o Table1Options, rec progress.Recorder) (*Table1Report, error) {
	if err := checkJobs(o.Jobs); err != nil {
		return nil, err
	}
	c := o.Config
	counter := stepCounter(rec, o.Rows, "train", len(c.Optimizers), c.Steps)
	if c.DataFrom == "" { // sizes known: say a large estimate before drawing anything
		noteMemory(rec, c, o.Jobs, o.MaxMemory)
	}
	if b := experiment.BatchesBytes(c); o.SaveBatches && b > config.NoteMemory {
		progress.Notef(rec, "table1", fmt.Sprintf("save_batches: %s will take about %s on disk (int32, steps=%d × batch_size=%d)",
			experiment.BatchesFile, config.FormatBytes(b), c.Steps, c.BatchSize))
	}
	started := func(s *experiment.Setup) {
		if c.DataFrom != "" { // sizes from the file, known now
			noteMemory(rec, s.Config, o.Jobs, o.MaxMemory)
		}
		c = s.Config
		if note := s.UnusedNote(); note != "" {
			progress.Notef(rec, "table1", note)
		}
		progress.Notef(rec, "table1", fmt.Sprintf("training %d optimiser(s) for %d steps (%s, m=%d)",
			len(c.Optimizers), c.Steps, dataSizes(s), c.M))
	}
	var (
		out    *experiment.Outcome
		runErr error
	)
	if o.Out != "" {
		out, runErr = experiment.RunInto(ctx, o.Config, o.Out, experiment.RunOptions{
			Jobs: o.Jobs, MaxMemory: o.MaxMemory, Force: o.Force, Started: started, Recorder: counter, SaveBatches: o.SaveBatches,
		})
		if out == nil || errors.Is(runErr, experiment.ErrInterrupted) {
			return nil, asInvalid(runErr)
		}
	} else {
		setup, err := experiment.PrepareContext(ctx, o.Config, experiment.Limits{MaxMemory: o.MaxMemory, Jobs: o.Jobs})
		if err != nil {
			return nil, asInvalid(err)
		}
		started(setup)
		out, runErr = experiment.ExecuteRecorded(ctx, setup, o.Jobs, counter)
	}
	for _, r := range out.Results {
		if r.Err == nil {
			progress.Notef(rec, "table1", fmt.Sprintf("%s: %.2fs, train error %.4g, test error %.4g", r.Optimizer, r.Seconds, r.TrainError, r.TestError))
		}
	}
	rep := &Table1Report{Seed: c.Seed, Summary: out.Summary(), PaperAdamTest: PaperTable1AdamTest, PaperGDTest: PaperTable1GDTest, Outcome: out}
	return rep, runErr
}

// dataSizes describes the data of a run for its "training" line: d, n and
// the configured model's s, or, where the data file holds both sets, the
// file (s shapes nothing then).
func dataSizes(s *experiment.Setup) string {
	c := s.Config
	if s.FileSets() {
		return fmt.Sprintf("d=%d, n=%d from %s, with its test set of %d", c.D, c.N, c.DataFrom, s.Test.N())
	}
	return fmt.Sprintf("d=%d, n=%d, s=%d", c.D, c.N, c.S)
}

// noteMemory tells rec the run's memory estimate when it exceeds
// config.NoteMemory: the figure, its largest part and the limit it is under.
func noteMemory(rec progress.Recorder, c config.Config, jobs int, limit int64) {
	if note := c.Estimate(jobs).Note(limit); note != "" {
		progress.Notef(rec, "table1", note)
	}
}

// stepCounter returns a train.Recorder that hands every logged row of the
// concurrent runs of optimisers × steps to rows and turns it into a
// progress Update in steps for rec (nil when both are nil).
func stepCounter(rec progress.Recorder, rows train.Recorder, task string, optimizers, steps int) train.Recorder {
	if rec == nil && rows == nil {
		return nil
	}
	var (
		mu   sync.Mutex
		last = map[string]int{}
		done int
	)
	total := optimizers * steps
	return train.RecorderFunc(func(r train.Record) error {
		mu.Lock()
		done += r.Step - last[r.Optimizer]
		last[r.Optimizer] = r.Step
		d := min(done, total)
		mu.Unlock()
		progress.Send(rec, progress.Update{Task: task, Unit: "steps", Done: d, Total: total})
		if rows != nil {
			return rows.Record(r)
		}
		return nil
	})
}

// Table is Table 1 as Markdown, with the paper's values under it.
func (r *Table1Report) Table() string {
	return fmt.Sprintf("Table 1 (seed %d)\n\n%s\n%s\n", r.Seed, report.Table1(r.Outcome.Results), table1Note)
}

// Curves is one line per optimiser describing its Figure 2 curves.
func (r *Table1Report) Curves() string {
	var b strings.Builder
	for _, res := range r.Outcome.Results {
		fmt.Fprintln(&b, "  "+report.Curves(res))
	}
	return b.String()
}
