package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/internal/outdir"
	"github.com/adamgap/adamgap/internal/shquote"
	"github.com/adamgap/adamgap/train"
)

// RunOptions are the choices of RunInto besides the configuration.
type RunOptions struct {
	Jobs      int   // optimisers trained at once (≤ 0: one per CPU)
	MaxMemory int64 // limit of the memory estimate (0: config.DefaultMaxMemory())
	// Force replaces a non-empty output folder (once the new run is
	// complete); without it such a folder is refused.
	Force bool
	// Started, when not nil, is called once the data are ready, before
	// training (for progress messages).
	Started func(*Setup)
	// Recorder, when not nil, is also given every logged row (see
	// ExecuteRecorded), after it is written to metrics.csv.
	Recorder train.Recorder
	// SaveBatches also writes batches.npy (Setup.WriteBatches) with the
	// inputs; a full-batch configuration is then an error.
	SaveBatches bool
}

// ErrInterrupted is wrapped by the error of RunInto when ctx ended the run;
// the output folder was not touched.
var ErrInterrupted = errors.New("interrupted")

// RunInto prepares cfg, trains every optimiser and writes a complete run
// folder out (config.yaml, data.npz, metrics.csv, summary.json,
// weights.npz, table1.md, figure2.png/.svg) without ever mixing two runs:
// an out that holds files is refused unless opt.Force; the files are
// written into a fresh folder .OUT.partial-* beside out, metrics.csv
// streamed and flushed row by row as training logs them, and that folder is
// renamed to out when every file is written. A run interrupted through ctx
// or killed leaves out as it was and its logged rows in the partial folder.
// A run that diverged is still written (summary.json says so) with its
// error returned. The Outcome is returned whenever training started.
func RunInto(ctx context.Context, cfg config.Config, out string, opt RunOptions) (*Outcome, error) {
	dir, err := outdir.Create(out, opt.Force)
	if err != nil {
		return nil, err
	}
	setup, err := PrepareContext(ctx, cfg, Limits{MaxMemory: opt.MaxMemory, Jobs: opt.Jobs})
	if err != nil {
		dir.Remove()
		return nil, interrupted(ctx, err, "", 0)
	}
	if err := setup.WriteInputs(dir.Tmp); err != nil {
		dir.Remove()
		return nil, interrupted(ctx, err, "", 0)
	}
	if opt.SaveBatches {
		if err := setup.WriteBatchesContext(ctx, dir.Tmp); err != nil {
			dir.Remove()
			return nil, interrupted(ctx, err, "", 0)
		}
	}
	f, err := os.Create(filepath.Join(dir.Tmp, "metrics.csv"))
	if err != nil {
		dir.Remove()
		return nil, err
	}
	rec, err := train.NewCSVRecorder(f)
	if err != nil {
		f.Close()
		dir.Remove()
		return nil, err
	}
	if opt.Started != nil {
		opt.Started(setup)
	}
	var all train.Recorder = rec
	if opt.Recorder != nil {
		all = train.RecorderFunc(func(r train.Record) error {
			if err := rec.Record(r); err != nil {
				return err
			}
			return opt.Recorder.Record(r)
		})
	}
	o, runErr := ExecuteRecorded(ctx, setup, opt.Jobs, all)
	closeErr := f.Close()
	if ctx.Err() != nil {
		rows := 0
		for _, r := range o.Results {
			rows += len(r.Records)
		}
		// The folder says what it is to whoever finds it later.
		note := fmt.Sprintf("This folder is the partial output of a run that was stopped (%v): config.yaml and data.npz are complete; metrics.csv holds the %d rows logged before it stopped; summary.json, weights.npz, table1.md and the figures were not written. adamgap run --config config.yaml --out DIR repeats the run.\n", context.Cause(ctx), rows)
		atomicfile.WriteBytes(filepath.Join(dir.Tmp, PartialNote), []byte(note)) // best effort: the rows are there either way
		return o, interrupted(ctx, runErr, keepPartial(dir.Tmp), rows)
	}
	if closeErr != nil {
		return o, closeErr
	}
	writeErr := o.WriteResults(dir.Tmp)
	if err := dir.Commit(); err != nil {
		return o, errors.Join(runErr, writeErr, err)
	}
	if runErr != nil {
		return o, fmt.Errorf("%w (what was computed is in %s)", runErr, out)
	}
	return o, writeErr
}

// keepPartial renames the partial folder of an interrupted run from
// .OUT.partial-* to .OUT.interrupted-*, which the next run into OUT does not
// clean up as a crashed run's leftovers (it removed the rows the message
// had pointed to), and returns where it is.
func keepPartial(tmp string) string {
	kept := filepath.Join(filepath.Dir(tmp), strings.Replace(filepath.Base(tmp), ".partial-", ".interrupted-", 1))
	if kept == tmp || os.Rename(tmp, kept) != nil {
		return tmp
	}
	return kept
}

// PartialNote is the file RunInto leaves in the partial folder of a run
// that ctx stopped, saying that it is partial and what it holds.
const PartialNote = "PARTIAL.txt"

// interrupted turns the error of a run that ctx ended into a plain message
// wrapping ErrInterrupted and ctx's error; other errors pass unchanged.
func interrupted(ctx context.Context, err error, partial string, rows int) error {
	if ctx.Err() == nil {
		return err
	}
	if partial == "" {
		return fmt.Errorf("%w before training started; nothing was written: %w", ErrInterrupted, ctx.Err())
	}
	var hint string
	if strings.Contains(filepath.Base(partial), ".interrupted-") {
		hint = fmt.Sprintf(" (kept until you remove it: rm -r %s)", shquote.Quote(partial))
	}
	return fmt.Errorf("%w: the output folder was not touched; the %d rows logged so far are in %s%s: %w",
		ErrInterrupted, rows, filepath.Join(partial, "metrics.csv"), hint, context.Cause(ctx))
}
