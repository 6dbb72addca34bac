package explorer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/adamgap/adamgap/internal/fixture"
	"github.com/adamgap/adamgap/paper"
)

// do sends a request built by the caller and returns the status and body.
func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return resp.StatusCode, readAll(t, resp)
}

func sweepBody(t *testing.T) []byte {
	b, err := json.Marshal(SweepForm{Form: FormOf(fixture.Small()), X: Axis{Key: "alpha", Values: "0"}, Seeds: "1"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCrossOriginRefused: what a page of another site can send — a form
// posted as text/plain, or a fetch with another Origin — starts nothing
// and writes nothing; the page's own requests (same origin, JSON) work.
func TestCrossOriginRefused(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	for _, tt := range []struct {
		name    string
		headers map[string]string
		code    int
	}{
		{"form of another site", map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"}, http.StatusForbidden},
		{"fetch of another site with JSON", map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}, http.StatusForbidden},
		{"older browser: Origin only", map[string]string{"Origin": "http://evil.example", "Content-Type": "application/json"}, http.StatusForbidden},
		{"same site, other origin", map[string]string{"Origin": "http://localhost:1", "Sec-Fetch-Site": "same-site", "Content-Type": "application/json"}, http.StatusForbidden},
		{"text/plain without Origin", map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType},
		{"form encoding", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
	} {
		for _, path := range []string{"/api/sweep", "/api/run", "/api/check", "/api/run/x/stop", "/api/run/x/save", "/api/sweep/x/stop"} {
			req, _ := http.NewRequest("POST", ts.URL+path, bytes.NewReader(sweepBody(t)))
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			if code, body := do(t, req); code != tt.code {
				t.Errorf("%s: POST %s: %d, want %d: %s", tt.name, path, code, tt.code, body)
			}
		}
	}
	if names, _ := os.ReadDir(s.Root()); len(names) != 0 {
		t.Errorf("refused requests left %d entries under the root", len(names))
	}
	if n := s.jobs.count(); n != 0 {
		t.Errorf("refused requests started %d runs", n)
	}
	// The page's own request: same origin, JSON.
	req, _ := http.NewRequest("POST", ts.URL+"/api/check", bytes.NewReader([]byte(`{"fields":{},"optimizers":[]}`)))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Origin", ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if code, body := do(t, req); code == http.StatusForbidden || code == http.StatusUnsupportedMediaType {
		t.Errorf("the page's own request refused: %d %s", code, body)
	}
}

// TestForeignHostRefused: a request for another host name (a DNS name of
// an attacker rebound to 127.0.0.1) reads nothing; loopback names and
// names allowed with AllowHosts are served.
func TestForeignHostRefused(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "config.yaml"), []byte("SECRET-CONFIG"), 0o644)
	_, ts := newTestServer(t, Options{Root: root, AllowHosts: []string{"Lab.Example."}})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))
	for host, want := range map[string]int{
		"attacker.example:" + port: http.StatusMisdirectedRequest,
		"attacker.example":         http.StatusMisdirectedRequest,
		"127.0.0.1.nip.io:" + port: http.StatusMisdirectedRequest,
		"localhost.evil:" + port:   http.StatusMisdirectedRequest,
		"10.0.0.1:" + port:         http.StatusMisdirectedRequest,
		"127.0.0.1:" + port:        http.StatusOK,
		"localhost:" + port:        http.StatusOK,
		"[::1]:" + port:            http.StatusOK,
		"app.localhost:" + port:    http.StatusOK,
		"lab.example:" + port:      http.StatusOK,
	} {
		for _, path := range []string{"/api/file?path=config.yaml", "/api/browse?path=.", "/api/defaults", "/"} {
			req, _ := http.NewRequest("GET", ts.URL+path, nil)
			req.Host = host
			code, body := do(t, req)
			if code != want {
				t.Errorf("Host %s: GET %s: %d, want %d: %.200s", host, path, code, want, body)
			}
			if want != http.StatusOK && (strings.Contains(body, "SECRET") || strings.Contains(body, root)) {
				t.Errorf("Host %s: GET %s leaked: %.200s", host, path, body)
			}
		}
	}
}

// TestToken: with a token, nothing is served without it; ?token= sets a
// cookie and leads to the page without it in the address.
func TestToken(t *testing.T) {
	_, ts := newTestServer(t, Options{Token: "s3cret"})
	get := func(path string, h map[string]string) (int, http.Header, string) {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header, readAll(t, resp)
	}
	for _, path := range []string{"/", "/api/defaults", "/api/browse?path=.", "/?token=wrong", "/api/defaults?token=s3cre"} {
		if code, _, body := get(path, nil); code != http.StatusUnauthorized {
			t.Errorf("GET %s without the token: %d: %.100s", path, code, body)
		}
	}
	code, h, _ := get("/?token=s3cret", nil)
	if code != http.StatusSeeOther || h.Get("Location") != "/" || !strings.Contains(h.Get("Set-Cookie"), tokenCookie+"=s3cret") ||
		!strings.Contains(h.Get("Set-Cookie"), "HttpOnly") || !strings.Contains(h.Get("Set-Cookie"), "SameSite=Strict") {
		t.Errorf("GET /?token=: %d, Location %q, Set-Cookie %q", code, h.Get("Location"), h.Get("Set-Cookie"))
	}
	if code, _, body := get("/api/defaults", map[string]string{"Cookie": tokenCookie + "=s3cret"}); code != http.StatusOK {
		t.Errorf("with the cookie: %d %.100s", code, body)
	}
	if code, _, body := get("/api/defaults", map[string]string{"Authorization": "Bearer s3cret"}); code != http.StatusOK {
		t.Errorf("with the bearer token: %d %.100s", code, body)
	}
}

// TestQueueCap: with one slot and a queue of one, a third run is refused
// with 503 and the reason, and starts nothing.
func TestQueueCap(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxRuns: 1, MaxQueue: 1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	firstID, _ := runUntil(t, ctx, ts.URL, long(), "running")
	secondID, _ := runUntil(t, ctx, ts.URL, long(), "queued")
	for _, path := range []string{"/api/run", "/api/sweep"} {
		var body any = long()
		if path == "/api/sweep" {
			body = SweepForm{Form: FormOf(fixture.Small()), X: Axis{Key: "alpha", Values: "0"}, Seeds: "1"}
		}
		resp := post(t, context.Background(), ts.URL+path, body)
		b := readAll(t, resp)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(b, "waiting already") || resp.Header.Get("Retry-After") == "" {
			t.Errorf("POST %s with the queue full: %d %s", path, resp.StatusCode, b)
		}
	}
	if n := s.jobs.count(); n != 2 {
		t.Errorf("%d runs known, want the 2 admitted", n)
	}
	if names, _ := os.ReadDir(s.Root()); len(names) != 0 {
		t.Errorf("a refused sweep left %d entries under the root", len(names))
	}
	for _, id := range []string{secondID, firstID} {
		resp := post(t, context.Background(), ts.URL+"/api/run/"+id+"/stop", nil)
		resp.Body.Close()
	}
	waitIdle(t, s)
}

// TestMemoryBudget: the budget is the server's: with room for one run's
// estimate, a second run waits in the queue (on memory, with slots free)
// until the first ends; a finished run keeps only what the page shows,
// far less than its reservation, and forgets its data sets.
func TestMemoryBudget(t *testing.T) {
	c := fixture.Small()
	c.D, c.TestSize = 2000, 4000
	long := c
	long.Steps, long.LogEvery, long.TestEvery = 10_000_000, 1000, 0
	one, small := reserveOf(long, 2), reserveOf(c, 2)
	s, ts := newTestServer(t, Options{MaxRuns: 8, MaxMemory: one + small/2})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	firstID, _ := runUntil(t, ctx, ts.URL, FormOf(long), "running")
	if used, limit := s.queue.memory(); used != one || used > limit {
		t.Errorf("a running run reserves %d bytes of %d, want its estimate %d", used, limit, one)
	}
	second := runStream(t, ctx, ts.URL, FormOf(c))
	var secondID string
	for ev := range second {
		if ev.name == "start" {
			secondID = decode[Start](t, ev.data).ID
		}
		if ev.name == "queued" {
			break
		}
		if ev.name == "running" {
			t.Fatal("a second run started with the memory budget spent")
		}
	}
	if slots, waiting := s.queue.busy(); slots != 2 || waiting != 1 {
		t.Errorf("%d slots used (of 8), %d waiting; want 2 and 1 waiting on memory", slots, waiting)
	}
	resp := post(t, context.Background(), ts.URL+"/api/run/"+firstID+"/stop", nil)
	resp.Body.Close()
	var res Result
	for ev := range second {
		if ev.name == "result" {
			res = decode[Result](t, ev.data)
		}
	}
	if res.Stopped != "" || len(res.Runs) != 2 {
		t.Fatalf("the waiting run did not finish: %+v", res)
	}
	waitIdle(t, s)
	j := s.jobs.get(secondID)
	j.mu.Lock()
	setup, kept := j.setup, j.kept
	j.mu.Unlock()
	used, _ := s.queue.memory()
	if setup != nil || kept <= 0 || kept > small/4 || used > one/4 {
		t.Errorf("finished runs keep their setup: %v, %d bytes counted (reservation %d); %d bytes used in all", setup != nil, kept, small, used)
	}
}

// TestTimeouts: a request that stops mid-header or mid-body and a
// kept-alive connection left idle are closed; a run's stream outlives the
// read and write timeouts.
func TestTimeouts(t *testing.T) {
	old, oldBeat := timeouts, heartbeat
	timeouts = Timeouts{ReadHeader: 200 * time.Millisecond, Read: 400 * time.Millisecond, Write: 600 * time.Millisecond, Idle: 300 * time.Millisecond}
	heartbeat = 100 * time.Millisecond
	defer func() { timeouts, heartbeat = old, oldBeat }()
	s, err := New(Options{Root: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(s)
	ts.Config = HTTPServer(s)
	ts.Start()
	defer func() { ts.Close(); s.Close() }()
	addr := strings.TrimPrefix(ts.URL, "http://")
	closedWithin := func(what, send string, d time.Duration) {
		t.Helper()
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, send)
		conn.SetReadDeadline(time.Now().Add(d))
		_, err = io.Copy(io.Discard, conn)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s: the connection is still open after %v", what, d)
		}
	}
	closedWithin("half a header", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", 5*time.Second)
	closedWithin("half a body", "POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"fields\":", 5*time.Second)
	closedWithin("idle keep-alive", "GET /api/defaults HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 5*time.Second)

	// A run longer than every timeout streams to its end.
	c := fixture.Small()
	c.Steps, c.LogEvery, c.TestEvery = 40_000, 1000, 0
	began := time.Now()
	var names []string
	for ev := range runStream(t, context.Background(), ts.URL, FormOf(c)) {
		names = append(names, ev.name)
	}
	if names[len(names)-1] != "result" {
		t.Errorf("a run of %v ended its stream with %v", time.Since(began), names[len(names)-1])
	}
	if time.Since(began) < 2*timeouts.Write {
		t.Logf("the run took %v, less than the timeouts it should outlive: the test proves less", time.Since(began))
	}
}

// TestEncoderFailureIsAnError: a value JSON cannot write is a 500 with the
// encoder's message, not an empty 200.
func TestEncoderFailureIsAnError(t *testing.T) {
	w := httptest.NewRecorder()
	writeJSON(w, http.StatusOK, map[string]float64{"gap": math.Inf(1)})
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "unsupported value") {
		t.Errorf("writeJSON(+Inf): %d %q", w.Code, w.Body.String())
	}
}

// TestBadResultsReported: a sweep folder whose result.json files are
// hand-edited (an error of 1e308, trailing data, an unknown optimiser) or
// not regular files is shown with the good runs and a line naming each
// bad file; the answer is valid JSON, never empty.
func TestBadResultsReported(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	dir, runs := finishedSweep(t, s, ts)
	edits := map[int]func(string) string{
		0: func(b string) string { return strings.Replace(b, `"test_error": `, `"test_error": 1e308, "x": `, 1) },
		1: func(b string) string { return b + "{}" },
		2: func(b string) string { return strings.Replace(b, `"optimizer": "gd"`, `"optimizer": "lion"`, 1) },
	}
	for i, edit := range edits {
		p := filepath.Join(s.Root(), dir, "runs", runs[i], "result.json")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(p, []byte(edit(string(b))), 0o644)
	}
	resp, err := http.Get(ts.URL + "/api/folder?path=" + url.QueryEscape(dir))
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusOK || body == "" {
		t.Fatalf("folder: %d %q", resp.StatusCode, body)
	}
	f := decode[Folder](t, body)
	if len(f.Problems) != 3 || f.Grid == nil || f.Grid.Done != len(runs)-3 {
		t.Fatalf("problems %q, grid done %d of %d", f.Problems, f.Grid.Done, len(runs))
	}
	for i, want := range []string{"unknown field", "data after", `"lion" is not an optimiser`} {
		if !strings.Contains(strings.Join(f.Problems, "\n"), want) || !strings.Contains(strings.Join(f.Problems, "\n"), runs[i]) {
			t.Errorf("problems %q do not name %s and %q", f.Problems, runs[i], want)
		}
	}
}

// finishedSweep runs a sweep of four runs from the page and returns its
// folder and run ids.
func finishedSweep(t *testing.T, s *Server, ts *httptest.Server) (string, []string) {
	t.Helper()
	body := SweepForm{Form: FormOf(fixture.Small()), X: Axis{Key: "alpha", Values: "0, 0.3"}, Seeds: "2"}
	resp := post(t, context.Background(), ts.URL+"/api/sweep", body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sweep: %d %s", resp.StatusCode, readAll(t, resp))
	}
	var start SweepStart
	for ev := range events(resp) {
		if ev.name == "start" {
			start = decode[SweepStart](t, ev.data)
		}
	}
	des, err := os.ReadDir(filepath.Join(s.Root(), start.Dir, "runs"))
	if err != nil || len(des) != 4 {
		t.Fatalf("sweep runs: %v, %d", err, len(des))
	}
	var ids []string
	for _, de := range des {
		ids = append(ids, de.Name())
	}
	return start.Dir, ids
}

// TestMetricsBounded: a long metrics.csv is read as it streams by and
// thinned to at most 2·limit rows per optimiser (every k-th row and the
// last), whatever its length.
func TestMetricsBounded(t *testing.T) {
	const rows = 300_000
	pr, pw := io.Pipe()
	go func() {
		io.WriteString(pw, "optimizer,step,loss,train_error,test_error,feature_pos,feature_neg,noise_min_pos,noise_min_neg\n")
		var b bytes.Buffer
		for i := range rows {
			for _, o := range []string{"adam", "gd"} {
				b.WriteString(o + "," + strconv.Itoa(i) + ",0.5,0.1,,1,2,3,4\n")
			}
			if b.Len() > 1<<16 {
				pw.Write(b.Bytes())
				b.Reset()
			}
		}
		pw.Write(b.Bytes())
		pw.Close()
	}()
	m, every, err := readMetrics(pr, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []string{"adam", "gd"} {
		steps := m[o]["step"]
		if len(steps) > 2001 || len(steps) < 1000 || every[o] < rows/2001 {
			t.Errorf("%s: %d rows kept, every %d-th, of %d", o, len(steps), every[o], rows)
		}
		if *steps[0] != 0 || *steps[len(steps)-1] != rows-1 || *steps[1] != float64(every[o]) {
			t.Errorf("%s: kept steps %v, %v, … %v; want 0, every %d, … the last", o, *steps[0], *steps[1], *steps[len(steps)-1], every[o])
		}
		if m[o]["test_error"][0] != nil {
			t.Errorf("an empty test_error reads as %v, want null", *m[o]["test_error"][0])
		}
	}
}

// TestReproduceFoldersOpen: the folders of reproduce's convex, lemmas and
// stochastic experiments (their JSON reports, as the CLI's golden tests
// keep them) and of the family's benign, labelflip and family grids (the
// JSON of a --quick run each, in testdata/reproduce, with the heat map
// drawn from it) open as results with the tables the CLI prints and their
// figures.
func TestReproduceFoldersOpen(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	for _, name := range []string{"convex", "lemmas", "stochastic", "benign", "labelflip", "family"} {
		file := filepath.Join("..", "cmd", "adamgap", "testdata", "golden", name, name+".json")
		figure := ""
		switch name {
		case "benign", "labelflip", "family":
			file = filepath.Join("testdata", "reproduce", name+".json")
			figure = name + ".png"
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(s.Root(), name), 0o755)
		os.WriteFile(filepath.Join(s.Root(), name, name+".json"), b, 0o644)
		if figure != "" {
			writeFigure(t, name, b, filepath.Join(s.Root(), name, figure))
		}
		parse := reportTables[name+".json"]
		if parse == nil {
			t.Errorf("%s.json has no table", name)
			continue
		}
		want, err := parse(b)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(ts.URL + "/api/folder?path=" + name)
		if err != nil {
			t.Fatal(err)
		}
		f := decode[Folder](t, readAll(t, resp))
		if f.Kind != "run" || f.Tables[name+".json"] != want || !strings.Contains(want, "|---") || len(f.Problems) != 0 {
			t.Errorf("%s: kind %q, problems %q, table\n%s", name, f.Kind, f.Problems, f.Tables[name+".json"])
		}
		if figure != "" && !slices.Contains(f.Files, figure) {
			t.Errorf("%s: the figure %s is not among the files %q", name, figure, f.Files)
		}
	}
	resp, err := http.Get(ts.URL + "/api/browse?path=.")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range decode[Listing](t, readAll(t, resp)).Entries {
		if e.Kind != "run" {
			t.Errorf("%s is listed as %q, not as results to open", e.Name, e.Kind)
		}
	}
}

// TestAbandonedSweeps: a sweep stopped while it waits leaves no folder; one
// stopped part way keeps its folder, marked incomplete (with the command
// that finishes it) and listed so.
func TestAbandonedSweeps(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxRuns: 1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runID, _ := runUntil(t, ctx, ts.URL, long(), "running")
	sweepOf := func(steps int, seeds string) <-chan event {
		c := fixture.Small()
		c.Steps = steps
		resp := post(t, ctx, ts.URL+"/api/sweep", SweepForm{Form: FormOf(c), X: Axis{Key: "alpha", Values: "0, 0.3"}, Seeds: seeds})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("sweep: %d %s", resp.StatusCode, readAll(t, resp))
		}
		return events(resp)
	}
	stopSweep := func(id string) {
		resp := post(t, context.Background(), ts.URL+"/api/sweep/"+id+"/stop", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("stop sweep: %d %s", resp.StatusCode, readAll(t, resp))
		}
		resp.Body.Close()
	}
	var start SweepStart
	var done map[string]any
	for ev := range sweepOf(60, "1") {
		switch ev.name {
		case "start":
			start = decode[SweepStart](t, ev.data)
		case "queued":
			stopSweep(start.ID)
		case "done":
			done = decode[map[string]any](t, ev.data)
		}
	}
	if _, err := os.Stat(filepath.Join(s.Root(), start.Dir)); !os.IsNotExist(err) || done["removed"] != true {
		t.Errorf("a sweep stopped while waiting: folder %v, done %v", err, done)
	}
	resp := post(t, context.Background(), ts.URL+"/api/run/"+runID+"/stop", nil)
	resp.Body.Close()
	waitIdle(t, s)

	stopped := false
	for ev := range sweepOf(20_000, "8") {
		switch ev.name {
		case "start":
			start = decode[SweepStart](t, ev.data)
		case "cell":
			if !stopped {
				stopSweep(start.ID)
				stopped = true
			}
		case "done":
			done = decode[map[string]any](t, ev.data)
		}
	}
	if done["done"].(float64) >= done["total"].(float64) {
		t.Skipf("the sweep finished before it was stopped: %v", done)
	}
	note, err := os.ReadFile(filepath.Join(s.Root(), start.Dir, stoppedFile))
	if err != nil || !strings.Contains(string(note), "adamgap sweep run") || done["kept"] != start.Dir {
		t.Fatalf("a sweep stopped part way: %v %q, done %v", err, note, done)
	}
	resp, err = http.Get(ts.URL + "/api/browse?path=.")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range decode[Listing](t, readAll(t, resp)).Entries {
		if e.Name == start.Dir && (e.Kind != "sweep" || !strings.HasPrefix(e.Note, "Incomplete: stopped after")) {
			t.Errorf("the stopped sweep is listed as %+v", e)
		}
	}
}

// writeFigure draws the heat map of the family report b (reproduce's
// benign, labelflip or family JSON) into the PNG file at path, as the CLI
// does beside the JSON.
func writeFigure(t *testing.T, name string, b []byte, path string) {
	t.Helper()
	var r interface{ WritePNG(io.Writer) error }
	switch name {
	case "benign":
		r = new(paper.BenignReport)
	case "labelflip":
		r = new(paper.LabelFlipReport)
	case "family":
		r = new(paper.FamilyReport)
	}
	if err := json.Unmarshal(b, r); err != nil {
		t.Fatalf("%s.json: %v", name, err)
	}
	var png bytes.Buffer
	if err := r.WritePNG(&png); err != nil {
		t.Fatalf("%s.png: %v", name, err)
	}
	if err := os.WriteFile(path, png.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
