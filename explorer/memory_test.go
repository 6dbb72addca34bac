package explorer

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/fixture"
)

// TestMemoryNote: a run from the page whose estimate is above 1 GiB says
// so as "adamgap run" does ("memory: this run needs about …"): in its start
// event, which the page shows under the run's status, and in the answer of
// /api/check; a small run says nothing. (The page used to start such a
// run without a word.)
func TestMemoryNote(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxRuns: 1, MaxMemory: 8 << 30})
	big := fixture.Small()
	big.TestSize = 10_000_000
	if e := big.Estimate(1).Total(); e <= config.NoteMemory || e > 6<<30 {
		t.Fatalf("the big configuration's estimate is %.3g bytes; want between 1 GiB and 6 GiB", e)
	}
	check := func(c config.Config) map[string]string {
		resp := post(t, context.Background(), ts.URL+"/api/check", FormOf(c))
		defer resp.Body.Close()
		var ans map[string]string
		if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&ans) != nil {
			t.Fatalf("check: status %d", resp.StatusCode)
		}
		return ans
	}
	const want = "memory: this run needs about "
	if note := check(big)["memory"]; !strings.HasPrefix(note, want) || !strings.Contains(note, "largest part: test set") || !strings.Contains(note, "limit 8 GiB") {
		t.Errorf("check of a run above 1 GiB: memory %q, want %q…, its largest part and the limit", note, want)
	}
	if note, ok := check(fixture.Small())["memory"]; ok {
		t.Errorf("check of a small run: memory %q, want none", note)
	}
	// The big run waits behind another (so it allocates nothing here); its
	// start event already carries the note.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	firstID, _ := runUntil(t, ctx, ts.URL, long(), "running")
	var start Start
	for ev := range runStream(t, ctx, ts.URL, FormOf(big)) {
		if ev.name == "start" {
			start = decode[Start](t, ev.data)
		}
		if ev.name == "queued" {
			for _, id := range []string{start.ID, firstID} {
				post(t, context.Background(), ts.URL+"/api/run/"+id+"/stop", nil).Body.Close()
			}
		}
	}
	if !strings.HasPrefix(start.Memory, want) || !strings.Contains(start.Memory, "largest part: test set") || !strings.Contains(start.Memory, "limit 8 GiB") {
		t.Errorf("start event of a run above 1 GiB: memory %q, want %q…", start.Memory, want)
	}
	waitIdle(t, s)
}

// TestSweepMemoryNote: a sweep from the page whose largest run's estimate
// is above 1 GiB says so in its start event, as a run does; a sweep of
// small runs says nothing. (Sweeps showed no note.)
func TestSweepMemoryNote(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxRuns: 1, MaxMemory: 8 << 30})
	big := fixture.Small()
	big.TestSize = 10_000_000
	start := func(c config.Config) SweepStart {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Behind a long run, the sweep waits and allocates nothing.
		firstID, _ := runUntil(t, ctx, ts.URL, long(), "running")
		resp := post(t, ctx, ts.URL+"/api/sweep", SweepForm{Form: FormOf(c), X: Axis{Key: "alpha", Values: "0, 0.3"}, Seeds: "1"})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("sweep: status %d", resp.StatusCode)
		}
		var st SweepStart
		for ev := range events(resp) {
			if ev.name == "start" {
				st = decode[SweepStart](t, ev.data)
			}
			if ev.name == "queued" {
				post(t, context.Background(), ts.URL+"/api/sweep/"+st.ID+"/stop", nil).Body.Close()
				post(t, context.Background(), ts.URL+"/api/run/"+firstID+"/stop", nil).Body.Close()
			}
		}
		waitIdle(t, s)
		return st
	}
	const want = "memory: the sweep's largest run needs about "
	if note := start(big).Memory; !strings.HasPrefix(note, want) || !strings.Contains(note, "largest part: test set") || !strings.Contains(note, "up to 1 of them at once") {
		t.Errorf("sweep of runs above 1 GiB: memory %q, want %q…", note, want)
	}
	if note := start(fixture.Small()).Memory; note != "" {
		t.Errorf("sweep of small runs: memory %q, want none", note)
	}
}
