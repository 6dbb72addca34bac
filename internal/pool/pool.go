// Package pool runs indexed work on a bounded number of goroutines: the one
// worker pool of adamgap (optimisers of an experiment, runs of a sweep,
// seeds of Figure 1, cells of the paper's experiments).
package pool

import (
	"context"
	"errors"
	"runtime"
	"sync"
)

// Jobs returns the number of workers that jobs asks for: jobs itself when
// positive, else one per CPU (GOMAXPROCS).
func Jobs(jobs int) int {
	if jobs <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return jobs
}

// Run calls f(ctx, i) for every i in [0, n), in increasing order of i and
// at most Jobs(jobs) calls at a time, and waits for them. f writes its
// result to index i of a slice of the caller, so results come back in
// index order whatever the scheduling.
//
// Once ctx is done Run starts no further call (the calls under way see ctx
// and decide for themselves). It returns the errors of the calls joined in
// index order (errors.Join), followed by ctx.Err() when some index was
// never started; nil when every call returned nil.
//
// A caller whose calls must all run (each one reporting its own
// cancellation) passes context.WithoutCancel(ctx) to Run and ctx to the
// work.
func Run(ctx context.Context, n, jobs int, f func(ctx context.Context, i int) error) error {
	if n <= 0 {
		return nil
	}
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(Jobs(jobs), n) {
		wg.Go(func() {
			for i := range next {
				errs[i] = f(ctx, i)
			}
		})
	}
	started := 0
feed:
	for ; started < n; started++ {
		if ctx.Err() != nil {
			break
		}
		select {
		case next <- started:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if started < n {
		errs = append(errs, ctx.Err())
	}
	return errors.Join(errs...)
}
