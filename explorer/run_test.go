package explorer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/fixture"
	"github.com/adamgap/adamgap/optim"
)

func TestFormReadsBackAsTheConfig(t *testing.T) {
	for _, c := range []config.Config{config.Paper(), fixture.Small()} {
		got, err := FormOf(c).Config()
		if err != nil {
			t.Fatal(err)
		}
		a, _ := got.Marshal()
		b, _ := c.Marshal()
		if string(a) != string(b) {
			t.Errorf("form of\n%s\nreads back as\n%s", b, a)
		}
	}
}

// TestValidation: bad input is a 400 naming the field, with config's own
// message (the one "adamgap run" prints), never a 500.
func TestValidation(t *testing.T) {
	_, ts := newTestServer(t, Options{MaxMemory: 1 << 30})
	with := func(f func(*Form)) Form { fm := FormOf(fixture.Small()); f(&fm); return fm }
	// want is config's message for the same value, from its own path.
	cfgErr := func(f func(*config.Config)) string {
		c := fixture.Small()
		f(&c)
		return c.Validate().Error()
	}
	tests := []struct {
		name  string
		form  any
		field string
		want  string
	}{
		{"d too small", with(func(f *Form) { f.Fields["d"] = "1" }), "d", cfgErr(func(c *config.Config) { c.D = 1 })},
		{"s above d-1", with(func(f *Form) { f.Fields["s"] = "60" }), "s", cfgErr(func(c *config.Config) { c.S = 60 })},
		{"negative sigma_p", with(func(f *Form) { f.Fields["sigma_p"] = "-0.1" }), "sigma_p", cfgErr(func(c *config.Config) { c.SigmaP = -0.1 })},
		{"alpha is text", with(func(f *Form) { f.Fields["alpha"] = "lots" }), "alpha", `config: alpha must be a number, not the text "lots"`},
		{"empty m", with(func(f *Form) { f.Fields["m"] = "" }), "m", `config: m must be a whole number, not the text ""`},
		{"fractional n", with(func(f *Form) { f.Fields["n"] = "20.5" }), "n", "config: n=20.5 must be a whole number"},
		{"key injection", with(func(f *Form) { f.Fields["m"] = "20\nq: 1" }), "m", "config: m must be a whole number, not the text \"20\\nq: 1\""},
		{"adam lr", with(func(f *Form) { f.Optimizers[0].Params["lr"] = "-1" }), "optimizers[0].lr", cfgErr(func(c *config.Config) { c.Optimizers[0].LR = -1 })},
		{"unknown optimizer", with(func(f *Form) { f.Optimizers[1].Name = "lion" }), "optimizers[1].name", `"lion" is unknown`},
		{"parameter of another optimizer", with(func(f *Form) { f.Optimizers[1].Params["beta1"] = "0.9" }), "optimizers[1].beta1", `"beta1" is not a parameter of optimizer "gd"`},
		{"schedule gamma", with(func(f *Form) { f.Optimizers[0].Schedule = map[string]string{"kind": "step", "gamma": "2"} }), "optimizers[0].schedule.gamma", "gamma=2 must be in (0, 1]"},
		{"test_every", with(func(f *Form) { f.Fields["test_every"] = "15" }), "test_every", cfgErr(func(c *config.Config) { c.TestEvery = 15 })},
		{"batch_sampling", with(func(f *Form) { f.Fields["batch_sampling"] = "often" }), "batch_sampling", cfgErr(func(c *config.Config) { c.BatchSampling = "often" })},
		{"test_labels", with(func(f *Form) { f.Fields["test_labels"] = "mixed" }), "test_labels", cfgErr(func(c *config.Config) { c.TestLabels = "mixed" })},
		{"nesterov without momentum", with(func(f *Form) { f.Optimizers[1] = optimizerForm(optim.Spec{Name: "sgd", LR: 0.1, Nesterov: true}) }), "optimizers[1].nesterov", "Nesterov needs momentum"},
		{"duplicate optimizer", with(func(f *Form) { f.Optimizers[1] = f.Optimizers[0] }), "optimizers[1].name", "appears twice"},
		{"unknown schedule", with(func(f *Form) { f.Optimizers[0].Schedule = map[string]string{"kind": "zigzag"} }), "optimizers[0].schedule.kind", `"zigzag" is unknown`},
		{"unknown key", with(func(f *Form) { f.Fields["beta"] = "1" }), "beta", "unknown key beta"},
		{"too large", with(func(f *Form) { f.Fields["d"] = "100000000"; f.Fields["m"] = "1000" }), "", func() string {
			c := fixture.Small()
			c.D, c.M = 100000000, 1000
			return c.Estimate(2).Check(1 << 30).Error() // "adamgap run --max-memory 1GiB"'s message
		}()},
		{"not a form", map[string]any{"fields": 3}, "", "not a valid form"},
		{"logged rows over the memory limit", with(func(f *Form) {
			f.Fields["steps"] = "1099511627776"
			f.Fields["log_every"] = "1"
			f.Fields["test_every"] = "0"
		}), "", "memory"},
		{"null typed into a field", with(func(f *Form) { f.Fields["alpha"] = "null" }), "alpha", "alpha must have a value, not null"},
		{"data_from outside the root", with(func(f *Form) { f.Fields["data_from"] = "/etc/passwd" }), "data_from", "reads no files named in a form"},
		{"init_from", with(func(f *Form) { f.Fields["init_from"] = "../w0.npz" }), "init_from", "reads no files named in a form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/api/check", "/api/run"} {
				resp := post(t, context.Background(), ts.URL+path, tt.form)
				body := readAll(t, resp)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("%s: status %d, want 400: %s", path, resp.StatusCode, body)
				}
				fe := decode[FieldError](t, body)
				if fe.Field != tt.field {
					t.Errorf("%s: field %q, want %q (%s)", path, fe.Field, tt.field, fe.Message)
				}
				if !strings.Contains(fe.Message, tt.want) {
					t.Errorf("%s: message %q does not contain %q", path, fe.Message, tt.want)
				}
			}
		})
	}
}

// runStream starts a run of the form and returns its events.
func runStream(t *testing.T, ctx context.Context, url string, f Form) <-chan event {
	t.Helper()
	resp := post(t, ctx, url+"/api/run", f)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("run: status %d: %s", resp.StatusCode, readAll(t, resp))
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("run: content type %q", ct)
	}
	return events(resp)
}

// runUntil starts a run of f and reads its stream up to the first event
// named until (or its end); it returns the run's id and the rest of the
// stream.
func runUntil(t *testing.T, ctx context.Context, url string, f Form, until string) (string, <-chan event) {
	t.Helper()
	evs := runStream(t, ctx, url, f)
	var id string
	for ev := range evs {
		if ev.name == "start" {
			id = decode[Start](t, ev.data).ID
		}
		if ev.name == until {
			break
		}
	}
	return id, evs
}

// TestStreaming: the stream carries every logged row of every optimiser in
// order, then the same summary as experiment.Execute of the configuration.
func TestStreaming(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	f32 := fixture.Small()
	f32.DType = "float32"
	for name, cfg := range map[string]config.Config{"float64": fixture.Small(), "float32": f32} {
		t.Run(name, func(t *testing.T) { testStreaming(t, ts.URL, cfg) })
	}
}

func testStreaming(t *testing.T, url string, cfg config.Config) {
	var start Start
	var rows []Row
	var res Result
	var names []string
	for ev := range runStream(t, context.Background(), url, FormOf(cfg)) {
		names = append(names, ev.name)
		switch ev.name {
		case "start":
			start = decode[Start](t, ev.data)
		case "rows":
			rows = append(rows, decode[[]Row](t, ev.data)...)
		case "result":
			res = decode[Result](t, ev.data)
		}
	}
	if len(names) < 4 || names[0] != "start" || names[1] != "running" || names[len(names)-1] != "result" {
		t.Fatalf("events %v, want start, running, rows…, result", names)
	}
	if start.ID == "" || start.Steps != cfg.Steps || !strings.Contains(start.Command, "adamgap run --config explorer.yaml") {
		t.Errorf("start event %+v", start)
	}
	_, o := libraryRun(t, cfg)
	for _, r := range o.Results {
		var got []Row
		for _, row := range rows {
			if row.Optimizer == r.Optimizer {
				got = append(got, row)
			}
		}
		if len(got) != len(r.Records) {
			t.Fatalf("%s: streamed %d rows, the run logs %d", r.Optimizer, len(got), len(r.Records))
		}
		for i, rec := range r.Records {
			want := rowOf(rec)
			if fmt.Sprint(got[i]) != fmt.Sprint(want) && !sameRow(got[i], want) {
				t.Errorf("%s row %d: streamed %+v, want %+v", r.Optimizer, i, got[i], want)
			}
		}
	}
	want := o.Summary()
	if len(res.Runs) != len(want.Runs) {
		t.Fatalf("result has %d runs", len(res.Runs))
	}
	for i := range want.Runs {
		res.Runs[i].Seconds, want.Runs[i].Seconds = 0, 0
	}
	a, _ := json.Marshal(res.Summary)
	b, _ := json.Marshal(want)
	if string(a) != string(b) {
		t.Errorf("streamed summary\n%s\nwant\n%s", a, b)
	}
	if paperNote(config.Paper()) == "" || paperNote(cfg) != "" || res.Paper != "" {
		t.Errorf("the paper's numbers are shown for the paper's settings only")
	}
	if res.Stopped != "" || !strings.Contains(res.Table1, "| Test error (last iterate) |") {
		t.Errorf("result: stopped %q, table1\n%s", res.Stopped, res.Table1)
	}
}

func sameRow(a, b Row) bool {
	ta, tb := math.NaN(), math.NaN()
	if a.TestError != nil {
		ta = *a.TestError
	}
	if b.TestError != nil {
		tb = *b.TestError
	}
	a.TestError, b.TestError = nil, nil
	return a == b && (ta == tb || math.IsNaN(ta) && math.IsNaN(tb))
}

// long is a run that trains for minutes unless stopped.
func long() Form {
	c := fixture.Small()
	c.Steps, c.LogEvery, c.TestEvery = 10_000_000, 1000, 0
	return FormOf(c)
}

// waitIdle waits until no slot is in use.
func waitIdle(t *testing.T, s *Server) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		used, waiting := s.queue.busy()
		if used == 0 && waiting == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s, %d slots still in use and %d requests waiting", used, waiting)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCancel: closing the connection leaves the run going (the page
// reconnects to it by its id, from the start or after Last-Event-ID); the
// stop button ends it with a result that says "stopped" and frees its
// slots.
func TestCancel(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	id, evs := runUntil(t, ctx, ts.URL, long(), "rows")
	cancel() // the tab is closed, or reloaded
	for range evs {
	}
	time.Sleep(50 * time.Millisecond)
	if used, _ := s.queue.busy(); used == 0 {
		t.Fatal("closing the page's connection stopped the run")
	}
	// Reconnect from the start: the same run, its start and rows again.
	resp, err := http.Get(ts.URL + "/api/run/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	evs = events(resp)
	var names []string
	lastID := 0
	for ev := range evs {
		names = append(names, ev.name)
		if ev.name == "start" && decode[Start](t, ev.data).ID != id {
			t.Fatalf("reconnected to another run: %s", ev.data)
		}
		lastID = ev.id
		if ev.name == "rows" {
			break
		}
	}
	if len(names) < 3 || names[0] != "start" || names[1] != "running" {
		t.Errorf("replay after reconnecting: %v, want start, running, rows", names)
	}
	// Resume after the last event seen: no event twice.
	req, _ := http.NewRequest("GET", ts.URL+"/api/run/"+id+"/events", nil)
	req.Header.Set("Last-Event-ID", fmt.Sprint(lastID))
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resumed := events(resp2)
	stop := post(t, context.Background(), ts.URL+"/api/run/"+id+"/stop", nil)
	if stop.StatusCode != http.StatusOK {
		t.Fatalf("stop: %d %s", stop.StatusCode, readAll(t, stop))
	}
	stop.Body.Close()
	var res Result
	for ev := range resumed {
		if ev.id <= lastID {
			t.Errorf("event %d (%s) sent again after Last-Event-ID %d", ev.id, ev.name, lastID)
		}
		if ev.name == "result" {
			res = decode[Result](t, ev.data)
		}
	}
	for range evs {
	}
	if res.Stopped != "stopped" {
		t.Errorf("result after stop: %+v", res)
	}
	waitIdle(t, s)
}

// TestQueue: with one slot, a second run waits at place 1 until the first
// is stopped, then runs to the end; several streams work at once.
func TestQueue(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxRuns: 1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	firstID, _ := runUntil(t, ctx, ts.URL, long(), "running")
	f := FormOf(fixture.Small())
	f.Optimizers = f.Optimizers[1:]
	second := runStream(t, context.Background(), ts.URL, f)
	var names []string
	for ev := range second {
		names = append(names, ev.name)
		if ev.name == "queued" {
			if p := decode[map[string]int](t, ev.data)["position"]; p != 1 {
				t.Errorf("queued at place %d, want 1", p)
			}
			if used, waiting := s.queue.busy(); used != 1 || waiting != 1 {
				t.Errorf("while queued: %d slots used, %d waiting", used, waiting)
			}
			stop := post(t, context.Background(), ts.URL+"/api/run/"+firstID+"/stop", nil) // the second may go
			stop.Body.Close()
		}
	}
	if strings.Join(names[:3], " ") != "start queued running" || names[len(names)-1] != "result" {
		t.Errorf("events of the queued run: %v", names)
	}
	waitIdle(t, s)
}

func TestQueueOrder(t *testing.T) {
	q := newQueue(2, 1<<62, 100)
	ctx := context.Background()
	if n, err := q.acquire(ctx, 5, nil); n != 2 || err != nil {
		t.Fatalf("acquire(5) of 2 = %d, %v; want all 2", n, err)
	}
	got := make(chan string, 3)
	go func() { q.acquire(ctx, 2, nil); got <- "two" }()
	for { // wait until it is in line
		if _, w := q.busy(); w == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	go func() { q.acquire(ctx, 1, nil); got <- "one" }()
	for {
		if _, w := q.busy(); w == 2 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { _, err := q.acquire(cctx, 1, nil); errc <- err }()
	for {
		if _, w := q.busy(); w == 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait returned %v", err)
	}
	q.release(1)
	select {
	case s := <-got:
		t.Fatalf("%q served with 1 slot free while the request for 2 was first", s)
	case <-time.After(20 * time.Millisecond):
	}
	q.release(1)
	if s := <-got; s != "two" {
		t.Fatalf("served %q first, want the earlier request for two", s)
	}
	q.release(2)
	if s := <-got; s != "one" {
		t.Fatalf("served %q", s)
	}
}
