package progress

import (
	"sync"
	"testing"
)

func TestCounter(t *testing.T) {
	var (
		mu  sync.Mutex
		got []Update
	)
	rec := RecorderFunc(func(u Update) { mu.Lock(); got = append(got, u); mu.Unlock() })
	c := Counter{R: rec, Task: "sweep", Unit: "runs", Total: 10, Skipped: 2}
	c.Start("sweep: 2 of 10 runs already complete, 8 to go")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { c.Step("a run", false, func(done, total int) string { return "" }) })
	}
	wg.Wait()
	if len(got) != 9 || got[0].Done != 2 || got[0].Note == "" {
		t.Fatalf("updates %+v, want a start at 2 done with its note, then 8 steps", got)
	}
	seen := map[int]bool{}
	for _, u := range got[1:] {
		if u.Item != "a run" || u.Total != 10 || u.Skipped != 2 || seen[u.Done] {
			t.Errorf("update %+v", u)
		}
		seen[u.Done] = true
	}
	for d := 3; d <= 10; d++ {
		if !seen[d] {
			t.Errorf("no update with Done = %d", d)
		}
	}
	Send(nil, Update{}) // a nil Recorder receives nothing
	var none Counter
	none.Start("")
	if n := none.Step("x", true, nil); n != 1 {
		t.Errorf("Counter without Recorder: Step = %d, want 1", n)
	}
}

func TestCounterID(t *testing.T) {
	var got []Update
	c := Counter{R: RecorderFunc(func(u Update) { got = append(got, u) }), Task: "sweep"}
	c.StepID("31084dd0200e", "alpha=0.1 seed=0: adam test error 0.25", false, nil)
	c.Step("a unit without an id", false, nil)
	if len(got) != 2 || got[0].ID != "31084dd0200e" || got[0].Item != "alpha=0.1 seed=0: adam test error 0.25" || got[1].ID != "" {
		t.Errorf("updates %+v, want the id in ID of the first only", got)
	}
}
