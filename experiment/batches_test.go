package experiment

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/adamgap/adamgap/internal/fixture"
)

// TestWriteBatchesStops: writing the batch order of a long run stops when
// the context is done (a run with --save-batches and 10¹² steps ignored
// SIGTERM while it wrote terabytes), and leaves no batches.npy; RunInto
// then says it was interrupted before training.
func TestWriteBatchesStops(t *testing.T) {
	cfg := fixture.Small()
	cfg.BatchSize, cfg.Steps, cfg.LogEvery, cfg.TestEvery = 2, 1<<40, 1<<40, 0
	s, err := Prepare(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := BatchesBytes(cfg), 4*float64(1<<40)*2; got != want {
		t.Errorf("BatchesBytes = %g, want %g", got, want)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.WriteBatchesContext(ctx, dir) }()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("WriteBatchesContext = %v, want the context's error", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("WriteBatchesContext did not stop within a minute of its context")
	}
	if _, err := os.Stat(filepath.Join(dir, BatchesFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s after an interrupted write: %v", BatchesFile, err)
	}
	out := filepath.Join(t.TempDir(), "run")
	ctx2, cancel2 := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel2()
	if _, err := RunInto(ctx2, cfg, out, RunOptions{SaveBatches: true}); !errors.Is(err, ErrInterrupted) {
		t.Errorf("RunInto = %v, want ErrInterrupted", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--out after an interrupted batch order: %v", err)
	}
}
