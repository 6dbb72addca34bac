package explorer

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/sweep"
)

// maxSweepRuns bounds the runs of a sweep started from the page; larger
// sweeps belong to "adamgap sweep run".
const maxSweepRuns = 100

// SweepForm is a sweep as the page sends it: the base configuration (the
// run form), one or two axes (a key and its values separated by commas)
// and the number of seeds.
type SweepForm struct {
	Form  Form   `json:"form"`
	X     Axis   `json:"x"`
	Y     Axis   `json:"y"`
	Seeds string `json:"seeds"`
}

// Axis is one axis of a SweepForm; an empty Key means no axis.
type Axis struct {
	Key    string `json:"key"`
	Values string `json:"values"`
}

// Spec returns the sweep specification of the form (a sweep.yaml).
func (f SweepForm) Spec() ([]byte, error) {
	grid := &yaml.Node{Kind: yaml.MappingNode}
	for _, ax := range []Axis{f.X, f.Y} {
		key := strings.TrimSpace(ax.Key)
		if key == "" {
			continue
		}
		list := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, v := range strings.Split(ax.Values, ",") {
			list.Content = append(list.Content, scalar(v))
		}
		grid.Content = append(grid.Content, str(key), list)
	}
	doc := &yaml.Node{Kind: yaml.MappingNode}
	doc.Content = append(doc.Content, str("name"), str("explorer"), str("base"), f.Form.yaml())
	if len(grid.Content) > 0 {
		doc.Content = append(doc.Content, str("grid"), grid)
	}
	doc.Content = append(doc.Content, str("seeds"), scalar(f.Seeds))
	return yaml.Marshal(doc)
}

// sweepProgress streams each finished run as a heat-map cell: the sweep
// tells it the id of the run (progress.Update.ID), whose result.json it
// reads, as the folder view does.
type sweepProgress struct {
	es   *eventStream
	dir  string
	grid *Grid
	runs map[string]sweep.Run
}

// Record turns the update of a finished run into a "cell" event.
func (p *sweepProgress) Record(u progress.Update) {
	r, ok := p.runs[u.ID]
	if !ok {
		return
	}
	res, err := sweep.ReadResult(p.dir, u.ID)
	if err != nil {
		res = nil
	}
	c, done, failed := p.grid.add(r, res)
	ev := map[string]any{"cell": c, "done": done, "failed": failed, "run": r.Label()}
	if err != nil {
		ev["error"] = u.Item
	}
	p.es.send("cell", ev)
}

// SweepStart is the first event of a sweep's stream.
type SweepStart struct {
	Dir     string `json:"dir"` // relative to the root
	Command string `json:"command"`
	Spec    string `json:"spec"`
	Grid    *Grid  `json:"grid"`
}

// handleSweep validates the sweep, writes its folder under the root and
// streams each run's cell as it finishes ("cell" events), then "done".
func (s *Server) handleSweep(w http.ResponseWriter, r *http.Request) {
	var f SweepForm
	if err := readJSON(r, &f); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	if _, err := s.configOf(f.Form); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	if strings.TrimSpace(f.X.Key) == "" {
		fail(w, http.StatusBadRequest, &FieldError{Field: "sweep.x", Message: "explorer: choose the key of the first axis"})
		return
	}
	text, err := f.Spec()
	if err != nil {
		fail(w, http.StatusBadRequest, &FieldError{Field: "sweep", Message: err.Error()})
		return
	}
	spec, err := sweep.ParseSpec(text)
	var runs []sweep.Run
	if err == nil {
		runs, err = spec.Plan()
	}
	if err != nil {
		fail(w, http.StatusBadRequest, &FieldError{Field: "sweep", Message: err.Error()})
		return
	}
	if len(runs) > maxSweepRuns {
		fail(w, http.StatusBadRequest, &FieldError{Field: "sweep", Message: fmt.Sprintf("explorer: the sweep has %d runs; the page runs at most %d (use adamgap sweep run for more)", len(runs), maxSweepRuns)})
		return
	}
	for _, run := range runs {
		if err := s.checkRun(run.Config, 1); err != nil {
			fail(w, http.StatusBadRequest, &FieldError{Field: "sweep", Message: fmt.Sprintf("run %s: %v", run.Label(), err)})
			return
		}
	}
	var b [3]byte
	rand.Read(b[:])
	name := "sweep-" + time.Now().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
	dir := filepath.Join(s.root, name)
	if _, err := sweep.WriteSpec(dir, spec); err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	var names []string
	for _, o := range runs[0].Config.Optimizers {
		names = append(names, o.Name)
	}
	y := strings.TrimSpace(f.Y.Key)
	grid := newGrid(runs, strings.TrimSpace(f.X.Key), y, names)
	es, err := newEventStream(w)
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	es.send("start", SweepStart{Dir: name, Command: sweepCommand(name, f.X.Key, y), Spec: string(text), Grid: grid})
	ctx := r.Context()
	held, err := s.queue.acquire(ctx, len(runs), func(pos int) { es.send("queued", map[string]int{"position": pos}) })
	if err != nil {
		return
	}
	defer s.queue.release(held)
	es.send("running", map[string]int{"slots": held})
	prog := &sweepProgress{es: es, dir: dir, grid: grid, runs: map[string]sweep.Run{}}
	for _, r := range runs {
		prog.runs[r.ID] = r
	}
	rep, err := sweep.Executor{Dir: dir, Jobs: held, Lean: true, Progress: prog, MaxMemory: s.opts.MaxMemory}.Run(ctx, runs)
	done := map[string]any{"done": rep.Done, "failed": rep.Failed, "total": rep.Total}
	if err != nil {
		done["error"] = err.Error()
	}
	es.send("done", done)
}

// sweepCommand returns the commands that make and plot the sweep in dir.
func sweepCommand(dir, x, y string) string {
	plot := "adamgap sweep plot " + shellQuote(dir) + " --x " + shellQuote(x)
	if y != "" {
		plot += " --y " + shellQuote(y)
	}
	return "adamgap sweep run " + shellQuote(filepath.Join(dir, sweep.SpecFile)) + " --out " + shellQuote(dir) + "\n" +
		"adamgap sweep merge " + shellQuote(dir) + "\n" + plot
}
