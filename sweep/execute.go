package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

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
	// when each run finishes (Item: id, point and outcome; Failed: an
	// error or a diverged optimiser), in runs.
	Progress progress.Recorder
}

// Report counts what Run did.
type Report struct {
	Total   int // runs given
	Skipped int // already complete before this call
	Done    int // completed by this call ("ok" or "failed")
	Failed  int // completed with a diverged optimiser
}

// Run trains every run that is not complete yet, Jobs at a time, each on
// one goroutine (experiment.Execute with jobs = 1), so results do not
// depend on Jobs. A run is complete when its result.json, written last and
// atomically, is there; a run interrupted by ctx leaves no result.json and
// is trained again by the next call. Divergence completes a run as
// "failed". Other errors (writing files) leave the run incomplete; Run
// goes on with the others and returns the errors joined.
func (e Executor) Run(ctx context.Context, runs []Run) (Report, error) {
	rep := Report{Total: len(runs)}
	var todo []Run
	for _, r := range runs {
		if Complete(e.Dir, r.ID) {
			rep.Skipped++
			continue
		}
		todo = append(todo, r)
	}
	count := progress.Counter{R: e.Progress, Task: "sweep", Unit: "runs", Total: len(runs), Skipped: rep.Skipped}
	count.Start(startNote(len(runs), rep.Skipped))

	var mu sync.Mutex
	errs := make([]error, len(todo))
	pool.Run(ctx, len(todo), e.Jobs, func(ctx context.Context, i int) error {
		r := todo[i]
		res, err := e.runOne(ctx, r)
		mu.Lock()
		switch {
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
			count.Step(finished(r, res, err), err != nil || res.Failed(), nil)
		}
		return nil
	})
	if err := ctx.Err(); err != nil {
		errs = append(errs, fmt.Errorf("sweep interrupted after %d of %d runs (run it again to resume): %w", rep.Skipped+rep.Done, rep.Total, err))
	}
	return rep, errors.Join(errs...)
}

// runOne trains one run and writes its folder, result.json last.
func (e Executor) runOne(ctx context.Context, r Run) (*Result, error) {
	start := time.Now()
	dir := RunDir(e.Dir, r.ID)
	// A folder left by an interrupted attempt is overwritten file by file.
	setup, err := experiment.Prepare(r.Config)
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
