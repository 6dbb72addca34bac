package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/internal/pool"
	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/train"
)

// Executor runs the runs of a sweep into the sweep folder Dir.
type Executor struct {
	Dir  string
	Jobs int // runs trained concurrently; 0: one per CPU
	// Lean writes only config.yaml, metrics.csv, summary.json and
	// result.json per run (no data.npz, weights.npz or figures).
	Lean bool
	// Progress, when not nil, is told when the sweep starts (a Note) and
	// when each run finishes (ID: the run's id; Item: id, point and
	// outcome, for people; Failed: an error or a diverged optimiser), in
	// runs.
	Progress progress.Recorder
	// MaxMemory bounds what Jobs runs at once may need (the largest run's
	// config.Config.Estimate times Jobs); 0: config.DefaultMaxMemory().
	MaxMemory int64
}

// Report counts what Run did.
type Report struct {
	Total   int // runs given
	Skipped int // already complete before this call
	Done    int // completed by this call ("ok" or "failed")
	Failed  int // completed with a diverged optimiser
	Held    int // skipped: another process holds the run's lock
}

// Run trains every run that is not complete yet, Jobs at a time, each on
// one goroutine (experiment.Execute with jobs = 1), so results do not
// depend on Jobs. A run is complete when its result.json, written last and
// atomically, is there; a run interrupted by ctx leaves no result.json and
// is trained again by the next call. Divergence completes a run as
// "failed". Other errors (writing files) leave the run incomplete; Run
// goes on with the others and returns the errors joined.
//
// Run folders made under an earlier form of a run's id (before ids
// followed values, not spelling) are renamed to the run's id first, so
// that old sweep folders resume.
func (e Executor) Run(ctx context.Context, runs []Run) (Report, error) {
	rep := Report{Total: len(runs)}
	if n, err := adopt(e.Dir, runs); err != nil {
		return rep, err
	} else if n > 0 {
		progress.Notef(e.Progress, "sweep", fmt.Sprintf("sweep: %d run folders renamed to their runs' ids", n))
	}
	var todo []Run
	for _, r := range runs {
		if Complete(e.Dir, r.ID) {
			rep.Skipped++
			continue
		}
		todo = append(todo, r)
	}
	jobs := e.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	note, err := e.checkMemory(todo, jobs)
	if err != nil {
		return rep, err
	}
	if note != "" {
		progress.Notef(e.Progress, "sweep", note)
	}
	count := progress.Counter{R: e.Progress, Task: "sweep", Unit: "runs", Total: len(runs), Skipped: rep.Skipped}
	count.Start(startNote(len(runs), rep.Skipped))

	var (
		mu   sync.Mutex
		held []string
	)
	errs := make([]error, len(todo))
	pool.Run(ctx, len(todo), e.Jobs, func(ctx context.Context, i int) error {
		r := todo[i]
		res, err := e.lockedRun(ctx, r)
		mu.Lock()
		switch {
		case errors.Is(err, ErrLocked):
			rep.Held++
			held = append(held, err.Error())
			mu.Unlock()
			return nil
		case err != nil:
			if ctx.Err() == nil {
				errs[i] = fmt.Errorf("run %s (%s): %w", r.ID, r.Label(), err)
			}
		default:
			rep.Done++
			if res.Failed() {
				rep.Failed++
			}
		}
		mu.Unlock()
		if ctx.Err() == nil {
			count.StepID(r.ID, finished(r, res, err), err != nil || res.Failed(), nil)
		}
		return nil
	})
	if len(held) > 0 {
		errs = append(errs, fmt.Errorf("%d runs were skipped because another sweep run is training them (the first: %s); run again when it has finished", len(held), held[0]))
	}
	if err := ctx.Err(); err != nil {
		errs = append(errs, fmt.Errorf("sweep interrupted after %d of %d runs (run it again to resume): %w", rep.Skipped+rep.Done, rep.Total, err))
	}
	return rep, errors.Join(errs...)
}

// lockedRun takes the run's lock, then trains it unless it was completed
// meanwhile (by the process that held the lock before).
func (e Executor) lockedRun(ctx context.Context, r Run) (*Result, error) {
	release, err := lockRun(e.Dir, r.ID)
	if err != nil {
		return nil, err
	}
	defer release()
	if res, err := ReadResult(e.Dir, r.ID); err == nil {
		return res, nil
	}
	return e.runOne(ctx, r)
}

// checkMemory refuses to start when jobs runs of the largest estimate
// exceed the memory limit; under it, when they exceed config.NoteMemory, it
// returns a note that says the figure before anything starts.
func (e Executor) checkMemory(todo []Run, jobs int) (note string, err error) {
	limit := e.MaxMemory
	if limit <= 0 {
		limit = config.DefaultMaxMemory()
	}
	var big float64
	var label string
	for _, r := range todo {
		if t := r.Config.Estimate(1).Total(); t > big {
			big, label = t, r.Label()
		}
	}
	at := float64(min(jobs, len(todo)))
	if big*at > float64(limit) {
		return "", fmt.Errorf("%w: %w: %d runs at once need up to %s (the largest, %s, needs %s), more than the limit of %s; lower --jobs or raise --max-memory",
			config.ErrInvalid, config.ErrTooLarge, int(at), config.FormatBytes(big*at), label, config.FormatBytes(big), config.FormatBytes(float64(limit)))
	}
	if big*at > config.NoteMemory {
		note = fmt.Sprintf("memory: the largest run, %s, needs about %s; with %d at once, up to %s (limit %s, --max-memory)",
			label, config.FormatBytes(big), int(at), config.FormatBytes(big*at), config.FormatBytes(float64(limit)))
	}
	return note, nil
}

// runOne trains one run and writes its folder, result.json last.
func (e Executor) runOne(ctx context.Context, r Run) (*Result, error) {
	start := time.Now()
	dir := RunDir(e.Dir, r.ID)
	// A folder left by an interrupted attempt is overwritten file by file.
	limit := e.MaxMemory
	if limit <= 0 {
		limit = config.DefaultMaxMemory()
	}
	setup, err := experiment.PrepareContext(ctx, r.Config, experiment.Limits{MaxMemory: limit, Jobs: 1})
	if err != nil {
		return nil, err
	}
	if err := e.writeInputs(setup, dir); err != nil {
		return nil, err
	}
	o, runErr := experiment.Execute(ctx, setup, 1)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if runErr != nil && !errors.Is(runErr, train.ErrDiverged) {
		return nil, runErr
	}
	if err := e.writeResults(o, dir); err != nil {
		return nil, err
	}
	res := &Result{ID: r.ID, Point: r.Point, Status: "ok", Optimizers: o.Summary().Runs}
	if runErr != nil {
		res.Status = "failed"
	}
	res.WallSeconds = time.Since(start).Seconds()
	if err := writeResult(e.Dir, res); err != nil {
		return nil, err
	}
	return res, nil
}

func (e Executor) writeInputs(s *experiment.Setup, dir string) error {
	if !e.Lean {
		return s.WriteInputs(dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	y, err := s.Config.Marshal()
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(dir, "config.yaml"), y)
}

func (e Executor) writeResults(o *experiment.Outcome, dir string) error {
	if !e.Lean {
		return o.WriteResults(dir)
	}
	var records []train.Record
	for _, r := range o.Results {
		records = append(records, r.Records...)
	}
	if err := atomicfile.Write(filepath.Join(dir, "metrics.csv"), func(w io.Writer) error { return train.WriteCSV(w, records) }); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "summary.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(o.Summary())
	})
}
