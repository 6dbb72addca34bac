package paper

import (
	"context"
	"strings"
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

// A run whose memory estimate exceeds 1 GiB says so before it draws
// anything (issue 20: d = n = 100000, s = 1000, 4.76 GiB, started without a
// word); a small one does not.
func TestTable1NotesLargeMemory(t *testing.T) {
	for _, tc := range []struct {
		d, n, s int
		want    bool
	}{{100000, 100000, 1000, true}, {1000, 200, 100, false}} {
		o := DefaultTable1()
		o.Config.D, o.Config.N, o.Config.S = tc.d, tc.n, tc.s
		o.MaxMemory = 1 << 40
		var notes []string
		rec := progress.RecorderFunc(func(u progress.Update) {
			if u.Note != "" {
				notes = append(notes, u.Note)
			}
		})
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // stop before drawing the data
		if _, err := Table1(ctx, o, rec); err == nil {
			t.Fatalf("d=%d: a cancelled run succeeded", tc.d)
		}
		said := len(notes) > 0 && strings.HasPrefix(notes[0], "memory: this run needs about ")
		if said != tc.want || (tc.want && !strings.Contains(notes[0], "GiB")) {
			t.Errorf("d=n=%d: notes %q; want a memory note first: %v", tc.n, notes, tc.want)
		}
	}
}
