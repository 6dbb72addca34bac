package experiment

import (
	"context"

	"github.com/adamgap/adamgap/internal/pool"
	"github.com/adamgap/adamgap/train"
)

// Outcome is a Setup and the result of each of its optimisers, in the
// configuration's order.
type Outcome struct {
	*Setup
	Results []*train.Result
	// Clean is, per result, the test errors on the clean test labels
	// (test_error_clean) when label noise flipped some; nil otherwise.
	Clean []CleanErrors
}

// Loop returns the training loop of the configuration, as Execute runs it:
// for callers that add a Recorder or an Observe and call RunSpec
// themselves.
func (s *Setup) Loop() train.Loop {
	cfg := s.Config
	return train.Loop{
		CNN: cfg.CNN(), Train: s.Train, Test: s.Test,
		Steps: cfg.Steps, LogEvery: cfg.LogEvery, TestEvery: cfg.TestEvery,
		BatchSize: cfg.BatchSize, Seed: cfg.Seed, Sampling: train.Sampling(cfg.BatchSampling),
		SignThreshold: cfg.SignThreshold, Float32: cfg.Float32(),
	}
}

// Execute trains every optimiser of the setup, at most jobs at a time
// (jobs ≤ 0: one per CPU). Each run is sequential and deterministic, so the
// results do not depend on jobs or GOMAXPROCS. A failed run does not stop
// the others; the error joins the failures, and every Result is returned.
func Execute(ctx context.Context, s *Setup, jobs int) (*Outcome, error) {
	return ExecuteRecorded(ctx, s, jobs, nil)
}

// ExecuteRecorded is Execute with every logged row of every optimiser
// handed to rec as soon as it is logged (train.Loop.Recorder): rows of
// concurrent optimisers arrive from several goroutines at once, each
// optimiser's in step order. An error from rec stops that optimiser's run.
func ExecuteRecorded(ctx context.Context, s *Setup, jobs int, rec train.Recorder) (*Outcome, error) {
	cfg := s.Config
	loop := s.Loop()
	loop.Recorder = rec
	out := &Outcome{Setup: s, Results: make([]*train.Result, len(cfg.Optimizers))}
	// Every optimiser runs, so each has a Result even when ctx is done.
	err := pool.Run(context.WithoutCancel(ctx), len(cfg.Optimizers), jobs, func(_ context.Context, i int) error {
		var err error
		out.Results[i], err = loop.RunSpec(ctx, cfg.Optimizers[i], s.W0)
		return err
	})
	out.measureClean(ctx)
	return out, err
}
