package paper

import (
	"context"
	"sync"
	"testing"

	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/train"
)

// TestTable1Progress: every logged row reaches Rows, and the step updates
// end at optimisers × steps.
func TestTable1Progress(t *testing.T) {
	o := DefaultTable1()
	c := &o.Config
	c.D, c.N, c.S, c.TestSize, c.Steps, c.LogEvery, c.TestEvery = 50, 10, 5, 50, 40, 10, 0
	var (
		mu   sync.Mutex
		rows int
		last progress.Update
	)
	o.Rows = train.RecorderFunc(func(train.Record) error { mu.Lock(); rows++; mu.Unlock(); return nil })
	rec := progress.RecorderFunc(func(u progress.Update) {
		mu.Lock()
		if u.Total > 0 && u.Done >= last.Done {
			last = u
		}
		mu.Unlock()
	})
	rep, err := Table1(context.Background(), o, rec)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range rep.Outcome.Results {
		want += len(r.Records)
	}
	if rows != want || want != 2*5 {
		t.Errorf("Rows got %d rows, the results hold %d; want 2 optimisers × 5 logged steps", rows, want)
	}
	if last.Done != 80 || last.Total != 80 || last.Unit != "steps" {
		t.Errorf("last update %+v, want 80 of 80 steps", last)
	}
}
