package explorer

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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

// sweepProgress logs each finished run as a heat-map cell: the sweep
// tells it the id of the run (progress.Update.ID), whose result.json it
// reads, as the folder view does.
type sweepProgress struct {
	s    *Server
	log  *eventLog
	rel  string // the sweep folder, relative to the root
	grid *Grid
	runs map[string]sweep.Run
}

// Record turns the update of a finished run into a "cell" event.
func (p *sweepProgress) Record(u progress.Update) {
	r, ok := p.runs[u.ID]
	if !ok {
		return
	}
	res, err := p.s.readResult(p.rel, u.ID)
	if err != nil {
		res = nil
	}
	c, done, failed := p.grid.add(r, res)
	ev := map[string]any{"cell": c, "done": done, "failed": failed, "run": r.Label()}
	if err != nil {
		ev["error"] = u.Item
	}
	p.log.add("cell", ev)
}

// SweepStart is the first event of a sweep's stream.
type SweepStart struct {
	ID      string `json:"id"`
	Dir     string `json:"dir"` // relative to the root
	Command string `json:"command"`
	Spec    string `json:"spec"`
	Grid    *Grid  `json:"grid"`
	// Memory is the note of "adamgap run" (config.Estimate.Note) for the
	// sweep's largest run, above 1 GiB, and how many run at once; empty
	// for smaller runs.
	Memory string `json:"memory,omitempty"`
}

// sweepJob is a sweep started from the page; like a run, it outlives the
// request that started it.
type sweepJob struct {
	id     string
	log    *eventLog
	cancel context.CancelFunc
	done   chan struct{}
}

// sweeps keeps the sweeps in progress and the last finished ones.
type sweeps struct {
	mu   sync.Mutex
	list []*sweepJob
}

func (ss *sweeps) add(j *sweepJob) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.list = append(ss.list, j)
	for len(ss.list) > 16 {
		i := slices.IndexFunc(ss.list, func(o *sweepJob) bool {
			select {
			case <-o.done:
				return true
			default:
				return false
			}
		})
		if i < 0 {
			break
		}
		ss.list = slices.Delete(ss.list, i, i+1)
	}
}

func (ss *sweeps) get(id string) *sweepJob {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, j := range ss.list {
		if j.id == id {
			return j
		}
	}
	return nil
}

// wait stops every sweep and waits for it to end.
func (ss *sweeps) wait() {
	ss.mu.Lock()
	list := slices.Clone(ss.list)
	ss.mu.Unlock()
	for _, j := range list {
		j.cancel()
		<-j.done
	}
}

// handleSweep validates the sweep, writes its folder under the root, joins
// the queue (503 when full) and starts the sweep; the answer streams its
// events as GET /api/sweep/{id}/events does: "start", "queued", "running",
// a "cell" as each run finishes, then "done". Closing the connection
// leaves the sweep going; Stop stops it. A sweep that ends with no run
// made leaves no folder; one stopped part way keeps its folder, marked in
// stoppedFile and listed so in the results browser.
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
	var reserve int64
	largest := runs[0].Config
	for _, run := range runs {
		if err := s.checkRun(run.Config, 1); err != nil {
			fail(w, http.StatusBadRequest, &FieldError{Field: "sweep", Message: fmt.Sprintf("run %s: %v", run.Label(), err)})
			return
		}
		if r := reserveOf(run.Config, 1); r > reserve {
			reserve, largest = r, run.Config
		}
	}
	slots := max(1, min(len(runs), s.opts.MaxRuns))
	memory := s.memoryNote(largest, 1)
	if memory != "" {
		memory = strings.Replace(memory, "this run needs", "the sweep's largest run needs", 1) + fmt.Sprintf("; the page runs up to %d of them at once", slots)
	}
	reserve *= int64(slots)
	if reserve > s.opts.MaxMemory {
		reserve = s.opts.MaxMemory // the executor runs fewer at once then
	}
	ticket, err := s.queue.join(slots, reserve)
	if err != nil {
		w.Header().Set("Retry-After", "10")
		fail(w, http.StatusServiceUnavailable, err)
		return
	}
	var b [6]byte
	rand.Read(b[:])
	name := "sweep-" + time.Now().Format("20060102-150405") + "-" + hex.EncodeToString(b[:3])
	dir := filepath.Join(s.root, name)
	ctx, cancel := context.WithCancel(s.ctx)
	if _, err := sweep.WriteSpec(dir, spec); err != nil {
		cancel()
		s.queue.wait(ctx, ticket, nil) // leaves the line: ctx is done
		fail(w, http.StatusInternalServerError, err)
		return
	}
	var names []string
	for _, o := range runs[0].Config.Optimizers {
		names = append(names, o.Name)
	}
	y := strings.TrimSpace(f.Y.Key)
	grid := newGrid(runs, strings.TrimSpace(f.X.Key), y, names)
	sj := &sweepJob{id: hex.EncodeToString(b[:]), log: newEventLog(), cancel: cancel, done: make(chan struct{})}
	sj.log.add("start", SweepStart{ID: sj.id, Dir: name, Command: sweepCommand(name, f.X.Key, y), Spec: string(text), Grid: grid, Memory: memory})
	s.sweeps.add(sj)
	go func() {
		defer close(sj.done)
		defer cancel()
		defer sj.log.close()
		defer func() {
			if p := recover(); p != nil { // a bug must not take the server down
				sj.log.add("done", map[string]any{"error": fmt.Sprintf("explorer: internal error (please report it): %v", p)})
			}
		}()
		if err := s.queue.wait(ctx, ticket, func(pos int) { sj.log.add("queued", map[string]int{"position": pos}) }); err != nil {
			os.RemoveAll(dir)
			sj.log.add("done", map[string]any{"done": 0, "failed": 0, "total": len(runs), "error": "stopped while waiting in the queue; the sweep folder was removed", "removed": true})
			return
		}
		defer s.queue.settle(ticket.n, ticket.bytes, 0)
		sj.log.add("running", map[string]int{"slots": ticket.n})
		prog := &sweepProgress{s: s, log: sj.log, rel: name, grid: grid, runs: map[string]sweep.Run{}}
		for _, r := range runs {
			prog.runs[r.ID] = r
		}
		rep, err := sweep.Executor{Dir: dir, Jobs: ticket.n, Lean: true, Progress: prog, MaxMemory: s.opts.MaxMemory}.Run(ctx, runs)
		done := map[string]any{"done": rep.Done, "failed": rep.Failed, "total": rep.Total}
		if err != nil {
			done["error"] = err.Error()
		}
		switch {
		case rep.Done == 0 && (err != nil || ctx.Err() != nil):
			os.RemoveAll(dir)
			done["removed"] = true
			done["error"] = fmt.Sprintf("%v; no run was made, so the sweep folder %s was removed", cmp.Or(err, ctx.Err()), name)
		case rep.Done < rep.Total:
			why := "stopped"
			if err != nil && ctx.Err() == nil {
				why = "failed: " + err.Error()
			}
			note := fmt.Sprintf("Incomplete: %s after %d of %d runs.\nTo finish it: adamgap sweep run %s --out %s\n",
				why, rep.Done, rep.Total, shellQuote(filepath.Join(name, sweep.SpecFile)), shellQuote(name))
			os.WriteFile(filepath.Join(dir, stoppedFile), []byte(note), 0o644)
			done["kept"] = name
		}
		sj.log.add("done", done)
	}()
	serveLog(w, r, sj.log, 0)
}

// handleSweepEvents streams the events of a sweep, for a page that
// reconnects.
func (s *Server) handleSweepEvents(w http.ResponseWriter, r *http.Request) {
	sj := s.sweeps.get(r.PathValue("id"))
	if sj == nil {
		fail(w, http.StatusNotFound, fmt.Errorf("explorer: no sweep %q (its folder under the root stays; open it in the results)", r.PathValue("id")))
		return
	}
	serveLog(w, r, sj.log, lastEventID(r))
}

func (s *Server) handleSweepStop(w http.ResponseWriter, r *http.Request) {
	sj := s.sweeps.get(r.PathValue("id"))
	if sj == nil {
		fail(w, http.StatusNotFound, fmt.Errorf("explorer: no sweep %q", r.PathValue("id")))
		return
	}
	sj.cancel()
	writeJSON(w, http.StatusOK, map[string]string{"status": "stopping"})
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
