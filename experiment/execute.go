package experiment

import (
	"context"
	"errors"
	"runtime"
	"sync"

	"github.com/adamgap/adamgap/train"
)

// Outcome is a Setup and the result of each of its optimisers, in the
// configuration's order.
type Outcome struct {
	*Setup
	Results []*train.Result
}

// Execute trains every optimiser of the setup, at most jobs at a time
// (jobs ≤ 0: one per CPU). Each run is sequential and deterministic, so the
// results do not depend on jobs or GOMAXPROCS. A failed run does not stop
// the others; the error joins the failures, and every Result is returned.
func Execute(ctx context.Context, s *Setup, jobs int) (*Outcome, error) {
	return ExecuteRecorded(ctx, s, jobs, nil)
}

// ExecuteRecorded is Execute with rec (nil: none) given every logged row of
// every optimiser as it is logged (train.Loop.Recorder); rec must be safe
// for concurrent use.
func ExecuteRecorded(ctx context.Context, s *Setup, jobs int, rec train.Recorder) (*Outcome, error) {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	cfg := s.Config
	loop := train.Loop{
		CNN: cfg.CNN(), Train: s.Train, Test: s.Test,
		Steps: cfg.Steps, LogEvery: cfg.LogEvery, TestEvery: cfg.TestEvery,
		BatchSize: cfg.BatchSize, Seed: cfg.Seed, SignThreshold: cfg.SignThreshold,
		Recorder: rec,
	}
	out := &Outcome{Setup: s, Results: make([]*train.Result, len(cfg.Optimizers))}
	errs := make([]error, len(cfg.Optimizers))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, spec := range cfg.Optimizers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out.Results[i], errs[i] = loop.RunSpec(ctx, spec, s.W0)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}
