package explorer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/internal/fixture"
	"github.com/adamgap/adamgap/sweep"
)

// finishedRun runs the form to the end and returns the run's id.
func finishedRun(t *testing.T, url string, f Form) string {
	t.Helper()
	var id string
	var res Result
	for ev := range runStream(t, context.Background(), url, f) {
		switch ev.name {
		case "start":
			id = decode[Start](t, ev.data).ID
		case "result":
			res = decode[Result](t, ev.data)
		}
	}
	if res.Stopped != "" || len(res.Runs) == 0 {
		t.Fatalf("run did not finish: %+v", res)
	}
	return id
}

var secondsRow = regexp.MustCompile(`(?m)^\| Seconds \|.*$`)

// TestSaveMatchesRun: a run saved from the page is the folder "adamgap run"
// writes for the configuration (experiment's writer after Prepare and
// Execute), byte for byte but for the wall-clock seconds; downloads are
// the same files.
func TestSaveMatchesRun(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	id := finishedRun(t, ts.URL, FormOf(fixture.Small()))
	resp := post(t, context.Background(), ts.URL+"/api/run/"+id+"/save", map[string]string{"name": "saved"})
	if body := readAll(t, resp); resp.StatusCode != http.StatusOK {
		t.Fatalf("save: %d %s", resp.StatusCode, body)
	}
	want := t.TempDir()
	setup, err := experiment.Prepare(fixture.Small())
	if err != nil {
		t.Fatal(err)
	}
	if err := setup.WriteInputs(want); err != nil {
		t.Fatal(err)
	}
	o, err := experiment.Execute(context.Background(), setup, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.WriteResults(want); err != nil {
		t.Fatal(err)
	}
	got := filepath.Join(s.Root(), "saved")
	names, _ := os.ReadDir(want)
	gotNames, _ := os.ReadDir(got)
	if len(names) != len(gotNames) || len(names) != 8 {
		t.Fatalf("saved %d files, adamgap run writes %d", len(gotNames), len(names))
	}
	noClock := func(name string, b []byte) []byte {
		switch name {
		case "table1.md":
			return secondsRow.ReplaceAll(b, nil)
		case "summary.json":
			var sum experiment.Summary
			if err := json.Unmarshal(b, &sum); err != nil {
				t.Fatal(err)
			}
			for i := range sum.Runs {
				sum.Runs[i].Seconds = 0
			}
			b, _ = json.Marshal(sum)
		}
		return b
	}
	for _, de := range names {
		a, _ := os.ReadFile(filepath.Join(want, de.Name()))
		b, err := os.ReadFile(filepath.Join(got, de.Name()))
		if err != nil {
			t.Error(err)
			continue
		}
		if !bytes.Equal(noClock(de.Name(), a), noClock(de.Name(), b)) {
			t.Errorf("%s differs from what adamgap run writes", de.Name())
		}
		resp, err := http.Get(ts.URL + "/api/run/" + id + "/file/" + de.Name())
		if err != nil {
			t.Fatal(err)
		}
		if d := readAll(t, resp); resp.StatusCode != http.StatusOK || d != string(b) {
			t.Errorf("download of %s: status %d, %d bytes, want the saved %d", de.Name(), resp.StatusCode, len(d), len(b))
		}
	}
	for name, want := range map[string]int{"saved": http.StatusBadRequest, "../x": http.StatusBadRequest, ".hidden": http.StatusBadRequest, "": http.StatusBadRequest} {
		resp := post(t, context.Background(), ts.URL+"/api/run/"+id+"/save", map[string]string{"name": name})
		if body := readAll(t, resp); resp.StatusCode != want || !strings.Contains(body, `"field": "name"`) {
			t.Errorf("save as %q: %d %s", name, resp.StatusCode, body)
		}
	}
}

// TestWeights: the picture of step 0 is W₀'s, the same for every
// optimiser; that of step T is the last iterate's.
func TestWeights(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	cfg := fixture.Small()
	id := finishedRun(t, ts.URL, FormOf(cfg))
	get := func(step int) WeightsView {
		resp, err := http.Get(fmt.Sprintf("%s/api/run/%s/weights?step=%d", ts.URL, id, step))
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("weights of step %d: %d %s", step, resp.StatusCode, body)
		}
		return decode[WeightsView](t, body)
	}
	setup, o := libraryRun(t, cfg)
	same := func(a, b []Neuron) bool { x, _ := json.Marshal(a); y, _ := json.Marshal(b); return bytes.Equal(x, y) }
	w0 := Scatter(cfg.CNN(), setup.W0, setup.Train)
	if len(w0) != 2*cfg.M {
		t.Fatalf("%d neurons, want 2m = %d", len(w0), 2*cfg.M)
	}
	first, last := get(0), get(cfg.Steps)
	for _, r := range o.Results {
		if !same(first.Optimizers[r.Optimizer], w0) {
			t.Errorf("%s at step 0 is not W0's picture", r.Optimizer)
		}
		if !same(last.Optimizers[r.Optimizer], Scatter(cfg.CNN(), r.W, setup.Train)) {
			t.Errorf("%s at step T is not the last iterate's picture", r.Optimizer)
		}
	}
	resp, _ := http.Get(ts.URL + "/api/run/" + id + "/weights?step=7")
	if body := readAll(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "not one of the pictured steps") {
		t.Errorf("weights of an unlogged step: %d %s", resp.StatusCode, body)
	}
}

func TestScatterByHand(t *testing.T) {
	cfg := fixture.Small()
	setup, err := experiment.Prepare(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.CNN()
	x := setup.Train.Dense()
	for _, nr := range Scatter(c, setup.W0, setup.Train) {
		if want := float64(nr.Class) * setup.W0[c.At(nr.Class, nr.Index, 0)]; nr.Feature != want {
			t.Errorf("neuron (%d,%d): feature %v, want %v", nr.Class, nr.Index, nr.Feature, want)
		}
		best := -1e300
		for i, y := range setup.Train.Y {
			if int(y) != nr.Class {
				continue
			}
			var dot float64
			for k, v := range x[i][setup.Train.NoisePatch[i]] {
				dot += v * setup.W0[c.At(nr.Class, nr.Index, k)]
			}
			best = max(best, dot)
		}
		if d := nr.Noise - best; d > 1e-12 || d < -1e-12 {
			t.Errorf("neuron (%d,%d): noise %v, by hand %v", nr.Class, nr.Index, nr.Noise, best)
		}
	}
}

// TestRootConfinement: listings, folders and files stay inside the root:
// ".." and absolute paths are refused, a symbolic link that leads out is
// neither listed nor followed, one that stays inside works.
func TestRootConfinement(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("TOP-SECRET-CONTENT"), 0o644)
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "runs", "a"), 0o755)
	os.WriteFile(filepath.Join(root, "runs", "a", "metrics.csv"), []byte("optimizer,step,loss\nadam,0,1\n"), 0o644)
	if err := os.Symlink(outside, filepath.Join(root, "escape")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(root, "runs", "secret-link.txt"))
	os.Symlink(filepath.Join(root, "runs", "a"), filepath.Join(root, "inside"))
	_, ts := newTestServer(t, Options{Root: root})
	get := func(path string) (int, string) {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, readAll(t, resp)
	}
	q := url.QueryEscape
	for _, tt := range []struct {
		path string
		code int
	}{
		{"/api/browse?path=" + q(".."), http.StatusBadRequest},
		{"/api/browse?path=" + q("runs/../.."), http.StatusBadRequest},
		{"/api/browse?path=" + q("/etc"), http.StatusBadRequest},
		{"/api/browse?path=" + q("escape"), http.StatusForbidden},
		{"/api/folder?path=" + q("escape"), http.StatusForbidden},
		{"/api/file?path=" + q("escape/secret.txt"), http.StatusForbidden},
		{"/api/file?path=" + q("runs/secret-link.txt"), http.StatusForbidden},
		{"/api/file?path=" + q("../"+filepath.Base(outside)+"/secret.txt"), http.StatusBadRequest},
		{"/api/file?path=" + q("/etc/passwd"), http.StatusBadRequest},
		{"/api/file?path=" + q("runs/nothing"), http.StatusNotFound},
		{"/api/file?path=" + q("inside/metrics.csv"), http.StatusOK},
		{"/api/file?path=" + q("runs/a/metrics.csv"), http.StatusOK},
		{"/api/folder?path=" + q("inside"), http.StatusOK},
	} {
		code, body := get(tt.path)
		if code != tt.code {
			t.Errorf("GET %s: %d, want %d: %s", tt.path, code, tt.code, body)
		}
		if strings.Contains(body, "TOP-SECRET") {
			t.Errorf("GET %s leaked the file outside the root: %s", tt.path, body)
		}
	}
	_, body := get("/api/browse?path=.")
	l := decode[Listing](t, body)
	var names []string
	for _, e := range l.Entries {
		names = append(names, e.Name)
	}
	if slices.Contains(names, "escape") || !slices.Contains(names, "inside") || !slices.Contains(names, "runs") {
		t.Errorf("root lists %v; want runs and inside, not escape", names)
	}
	_, body = get("/api/browse?path=runs")
	if strings.Contains(body, "secret-link") {
		t.Errorf("a link to a file outside the root is listed: %s", body)
	}
	_, body = get("/api/folder?path=runs/a")
	if f := decode[Folder](t, body); f.Kind != "run" || len(f.Metrics["adam"]["loss"]) != 1 {
		t.Errorf("folder runs/a: %+v", f)
	}
}

// TestSweep: a grid streams one cell per run; the cells' means and
// deviations are sweep.MeanStd of the runs' results, as the sweep folder
// (opened afterwards) also shows.
func TestSweep(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	body := SweepForm{Form: FormOf(fixture.Small()), X: Axis{Key: "alpha", Values: "0, 0.3"}, Y: Axis{Key: "sigma_p", Values: "0.1,0.5"}, Seeds: "2"}
	resp := post(t, context.Background(), ts.URL+"/api/sweep", body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sweep: %d %s", resp.StatusCode, readAll(t, resp))
	}
	var start SweepStart
	cells := 0
	var last map[string]any
	for ev := range events(resp) {
		switch ev.name {
		case "start":
			start = decode[SweepStart](t, ev.data)
		case "cell":
			cells++
		case "done":
			last = decode[map[string]any](t, ev.data)
		}
	}
	if cells != 8 || last["done"] != 8.0 || start.Grid == nil || len(start.Grid.XS) != 2 || len(start.Grid.YS) != 2 {
		t.Fatalf("%d cell events, done %v, grid %+v", cells, last, start.Grid)
	}
	dir := filepath.Join(s.Root(), start.Dir)
	_, runs, err := sweep.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	gaps := map[string][]float64{}
	for _, r := range runs {
		res, err := sweep.ReadResult(dir, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		key := pointValue(r, "alpha") + " " + pointValue(r, "sigma_p")
		gaps[key] = append(gaps[key], *res.Optimizers[0].TestError-*res.Optimizers[1].TestError)
	}
	resp, err = http.Get(ts.URL + "/api/folder?path=" + url.QueryEscape(start.Dir))
	if err != nil {
		t.Fatal(err)
	}
	f := decode[Folder](t, readAll(t, resp))
	if f.Kind != "sweep" || f.Grid == nil || len(f.Grid.Cells) != 4 {
		t.Fatalf("sweep folder: %+v", f)
	}
	for _, c := range f.Grid.Cells {
		m, sd, n := sweep.MeanStd(gaps[c.X+" "+c.Y])
		if c.Gap == nil || c.Gap.Mean != m || c.Gap.SD != sd || c.Gap.N != n || n != 2 {
			t.Errorf("cell %s %s: gap %+v, want %v ± %v over %d", c.X, c.Y, c.Gap, m, sd, n)
		}
	}
	for _, bad := range []SweepForm{
		{Form: FormOf(fixture.Small()), X: Axis{Key: "alpha", Values: "0, -1"}, Seeds: "1"},
		{Form: FormOf(fixture.Small()), X: Axis{Key: "alpha", Values: "0"}, Seeds: "1000"},
		{Form: FormOf(fixture.Small()), X: Axis{Key: "nonsense", Values: "1"}, Seeds: "1"},
	} {
		resp := post(t, context.Background(), ts.URL+"/api/sweep", bad)
		if body := readAll(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"field": "sweep"`) {
			t.Errorf("bad sweep %+v: %d %s", bad.X, resp.StatusCode, body)
		}
	}
}

// TestKeepRuns: finished runs beyond KeepRuns are forgotten, oldest first.
func TestKeepRuns(t *testing.T) {
	_, ts := newTestServer(t, Options{KeepRuns: 1})
	first := finishedRun(t, ts.URL, FormOf(fixture.Small()))
	second := finishedRun(t, ts.URL, FormOf(fixture.Small()))
	for id, want := range map[string]int{first: http.StatusNotFound, second: http.StatusOK} {
		resp, err := http.Get(ts.URL + "/api/run/" + id + "/weights?step=0")
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, resp); resp.StatusCode != want {
			t.Errorf("weights of run %s: %d, want %d: %s", id, resp.StatusCode, want, body)
		}
	}
}

// TestSweepReadsNoFiles: an axis of a sweep from the page may not name a
// file for the server to read, as the run form may not.
func TestSweepReadsNoFiles(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	for _, key := range []string{"data_from", "init_from"} {
		body := SweepForm{Form: FormOf(fixture.Small()), X: Axis{Key: key, Values: "/etc/passwd"}, Seeds: "1"}
		resp := post(t, context.Background(), ts.URL+"/api/sweep", body)
		b := readAll(t, resp)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "reads no files") {
			t.Errorf("%s axis: %d %s, want 400 saying the explorer reads no files", key, resp.StatusCode, b)
		}
	}
	if names, _ := os.ReadDir(s.Root()); len(names) != 0 {
		t.Errorf("a refused sweep left %d entries under the root", len(names))
	}
}
