package explorer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/internal/outdir"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/paper"
	"github.com/adamgap/adamgap/report"
)

// frame is the shortest time between two updates of one stream: at most
// ten a second, each carrying every row logged since the last.
const frame = 100 * time.Millisecond

// Defaults is what the page fills its form with: the configuration's keys
// (config.Keys, those the page has a field for), the hyper-parameters'
// names in their order, the paper's configuration
// as text, and every optimiser and schedule with its parameters and
// defaults.
type Defaults struct {
	Keys       []FormKey           `json:"keys"`
	Params     []string            `json:"params"` // optim.ParamNames, the order of an optimiser's fields
	Form       Form                `json:"form"`
	Optimizers []OptimizerForm     `json:"optimizers"`
	Schedules  []map[string]string `json:"schedules"`
	Root       string              `json:"root"`
	MaxRuns    int                 `json:"max_runs"`
}

// FormKey is a field of the page's form, from a row of config.Keys: the
// page draws every field from these (a select where there are Choices;
// the empty value is Default) and offers the Sweep ones as sweep axes.
type FormKey struct {
	Name    string   `json:"name"`
	Group   string   `json:"group"`
	Label   string   `json:"label"`
	Hint    string   `json:"hint"`
	Doc     string   `json:"doc"`
	Kind    string   `json:"kind"`
	Choices []string `json:"choices,omitempty"`
	Default string   `json:"default,omitempty"`
	Sweep   bool     `json:"sweep"`
}

// formKeys are the keys of the page's form: every key of the configuration
// but those that name a file to read (config.Key.Path), which the explorer
// refuses (checkRun).
func formKeys() []config.Key {
	var ks []config.Key
	for _, k := range config.Keys() {
		if !k.Path {
			ks = append(ks, k)
		}
	}
	return ks
}

// FormKeys returns the fields of the page's form, in the table's order.
func FormKeys() []FormKey {
	var out []FormKey
	for _, k := range formKeys() {
		fk := FormKey{Name: k.Name, Group: string(k.Group), Label: cmp.Or(k.Label, k.Name), Hint: k.Hint, Doc: k.Doc,
			Kind: k.Kind(), Default: k.Default, Sweep: k.Sweepable()}
		if k.Choices != nil {
			fk.Choices = k.Choices()
		}
		out = append(out, fk)
	}
	return out
}

// FormOf returns the form that reads back as c (for the keys of the page's
// form; c must not replay files).
func FormOf(c config.Config) Form {
	f := Form{Fields: map[string]string{}}
	for _, k := range formKeys() {
		f.Fields[k.Name] = k.Format(c)
	}
	for _, o := range c.Optimizers {
		f.Optimizers = append(f.Optimizers, optimizerForm(o))
	}
	return f
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func optimizerForm(o optim.Spec) OptimizerForm {
	of := OptimizerForm{Name: o.Name, Params: map[string]string{}, Schedule: map[string]string{"kind": "constant"}}
	for _, p := range o.Params() {
		v, _ := o.Get(p)
		of.Params[p] = num(v)
		if pp, _ := optim.LookupParam(p); pp.Bool {
			of.Params[p] = pp.Format(v)
		}
	}
	if !o.Schedule.IsConstant() {
		of.Schedule = scheduleForm(o.Schedule)
	}
	return of
}

func scheduleForm(sc optim.ScheduleSpec) map[string]string {
	m := map[string]string{"kind": sc.Kind}
	if sc.Kind == "" {
		m["kind"] = "constant"
	}
	for _, p := range sc.Params() {
		v, _ := sc.Get(p)
		m[p] = num(v)
	}
	return m
}

func (s *Server) handleDefaults(w http.ResponseWriter, r *http.Request) {
	d := Defaults{Keys: FormKeys(), Params: optim.ParamNames(), Form: FormOf(config.Paper()), Root: s.root, MaxRuns: s.opts.MaxRuns}
	for _, name := range optim.Names() {
		o, _ := optim.Default(name)
		d.Optimizers = append(d.Optimizers, optimizerForm(o))
	}
	for _, kind := range optim.ScheduleKinds() {
		sc, _ := optim.DefaultSchedule(kind)
		d.Schedules = append(d.Schedules, scheduleForm(sc))
	}
	writeJSON(w, http.StatusOK, d)
}

// configOf reads and checks a form: the configuration's validation, then
// the memory budget.
func (s *Server) configOf(f Form) (config.Config, error) {
	c, err := f.Config()
	if err != nil {
		return c, err
	}
	return c, s.checkRun(c, min(len(c.Optimizers), s.opts.MaxRuns))
}

// checkRun refuses a configuration the explorer does not run: one naming a
// file to read (the page has no field for one, and the server would read
// any file it can, outside the root too), or one over the memory limit
// with jobs optimisers training at once.
func (s *Server) checkRun(c config.Config, jobs int) error {
	for _, k := range config.Keys() {
		if v := k.Format(c); k.Path && v != "" {
			return &FieldError{Field: k.Name, Message: fmt.Sprintf(
				"explorer: %s=%q: the explorer reads no files named in a form; use adamgap run --%s", k.Name, v, k.Flag())}
		}
	}
	return checkBudget(c, jobs, s.opts.MaxMemory)
}

// readForm reads the request's Form and its configuration; on an error it
// answers 400 with it and returns false.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request) (config.Config, bool) {
	var f Form
	if err := readJSON(r, &f); err != nil {
		fail(w, http.StatusBadRequest, err)
		return config.Config{}, false
	}
	c, err := s.configOf(f)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return config.Config{}, false
	}
	return c, true
}

// handleCheck validates a form without running it: 200 with the command
// that reproduces it (and its memory note, as the run's start event has
// it), or 400 with the field and the message.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	c, ok := s.readForm(w, r)
	if !ok {
		return
	}
	ans := map[string]string{"command": Command(c, "runs/explorer")}
	if note := s.memoryNote(c, max(1, min(len(c.Optimizers), s.opts.MaxRuns))); note != "" {
		ans["memory"] = note
	}
	writeJSON(w, http.StatusOK, ans)
}

// Start is the first event of a run's stream.
type Start struct {
	ID         string   `json:"id"`
	Command    string   `json:"command"`
	Config     string   `json:"config"`
	Snapshots  []int    `json:"snapshots"`
	Steps      int      `json:"steps"`
	Optimizers []string `json:"optimizers"`
	// Memory is what "adamgap run" prints before a run whose estimate is
	// above 1 GiB (config.Estimate.Note), here with the rows the page
	// keeps; empty for a smaller run.
	Memory string `json:"memory,omitempty"`
}

// Result is the last event of a run's stream: summary.json's content,
// Table 1 as Markdown, and why the run stopped early, if it did.
type Result struct {
	experiment.Summary
	Table1  string `json:"table1"`
	Stopped string `json:"stopped,omitempty"`
	// Paper is what the paper reports, for a run at its Section 6
	// settings (any seed).
	Paper string `json:"paper,omitempty"`
}

// paperNote returns the paper's Table 1 for a configuration at the paper's
// Section 6 settings (the seed aside), else "".
func paperNote(c config.Config) string {
	p := config.Paper()
	p.Seed = c.Seed
	a, _ := p.Marshal()
	b, _ := c.Marshal()
	if string(a) != string(b) {
		return ""
	}
	return fmt.Sprintf("Paper (Section 6 settings): training error 0 / 0, test error Adam %v, GD %v.",
		paper.PaperTable1AdamTest, paper.PaperTable1GDTest)
}

// handleRun validates the form, joins the queue (503 with the reason when
// it is full) and starts the run, which then belongs to the server, not to
// the request: the answer streams the run's events as Server-Sent Events
// (as GET /api/run/{id}/events does): "start", "queued" (place in the
// line), "running", "rows" (the rows logged since the last event, at most
// ten events a second), then "result". Closing the connection leaves the
// run going; the page reconnects to it by its id, and Stop stops it.
func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	c, ok := s.readForm(w, r)
	if !ok {
		return
	}
	slots := max(1, min(len(c.Optimizers), s.opts.MaxRuns))
	reserve := reserveOf(c, slots)
	ticket, err := s.queue.join(slots, reserve)
	if err != nil {
		w.Header().Set("Retry-After", "10")
		fail(w, http.StatusServiceUnavailable, err)
		return
	}
	j := newJob(c)
	ctx, cancel := context.WithCancel(s.ctx)
	j.cancel = cancel
	y, _ := c.Marshal()
	var names []string
	for _, o := range c.Optimizers {
		names = append(names, o.Name)
	}
	j.log.add("start", Start{ID: j.id, Command: Command(c, "runs/explorer"), Config: string(y), Snapshots: j.snapSteps, Steps: c.Steps, Optimizers: names,
		Memory: s.memoryNote(c, slots)})
	s.jobs.add(j)
	go s.train(ctx, j, ticket)
	serveLog(w, r, j.log, 0)
}

// handleRunEvents streams the events of a run (after Last-Event-ID, or
// from the start), for a page that reconnects.
func (s *Server) handleRunEvents(w http.ResponseWriter, r *http.Request) {
	j := s.jobs.get(r.PathValue("id"))
	if j == nil {
		fail(w, http.StatusNotFound, fmt.Errorf("explorer: no run %q (finished runs are kept a while, then forgotten; a restarted server forgets them all)", r.PathValue("id")))
		return
	}
	serveLog(w, r, j.log, lastEventID(r))
}

// train waits for the ticket, prepares the run within its reservation,
// trains it with the page's recorder, logs its rows and result, writes its
// output files to a temporary folder and gives back what it does not keep.
func (s *Server) train(ctx context.Context, j *job, ticket *waiter) {
	defer close(j.done)
	defer j.cancel()
	defer j.log.close()
	defer func() {
		// A bug must not take the server down: the run ends with it.
		if p := recover(); p != nil {
			res := &Result{Stopped: fmt.Sprintf("explorer: internal error (please report it): %v", p)}
			j.finish(res, "", nil)
			j.mu.Lock()
			j.kept = 0 // its reservation went back whole
			j.mu.Unlock()
			j.log.add("result", res)
		}
	}()
	c := j.config
	res := &Result{Paper: paperNote(c)}
	if err := s.queue.wait(ctx, ticket, func(pos int) { j.log.add("queued", map[string]int{"position": pos}) }); err != nil {
		res.Stopped = "stopped while waiting in the queue"
		j.finish(res, "", nil)
		j.log.add("result", res)
		return
	}
	kept := int64(0)
	defer func() {
		s.queue.settle(ticket.n, ticket.bytes, kept)
		if used, _ := s.queue.busy(); used == 0 {
			// Idle: give the freed pages back to the system now rather
			// than when the runtime gets to it.
			debug.FreeOSMemory()
		}
	}()
	j.log.add("running", map[string]int{"slots": ticket.n})
	setup, err := experiment.PrepareContext(ctx, c, experiment.Limits{MaxMemory: s.opts.MaxMemory, Jobs: ticket.n})
	if err != nil {
		res.Stopped = err.Error()
		kept = j.finish(res, "", nil)
		j.log.add("result", res)
		return
	}
	j.mu.Lock()
	j.setup = setup
	j.mu.Unlock()
	done := make(chan struct{})
	var o *experiment.Outcome
	var runErr error
	go func() {
		defer close(done)
		o, runErr = experiment.ExecuteRecorded(ctx, setup, ticket.n, j)
	}()
	last := time.Time{}
	for {
		select {
		case <-j.notify:
			if wait := frame - time.Since(last); wait > 0 {
				select {
				case <-time.After(wait):
				case <-done:
				}
			}
			if rows := j.take(); len(rows) > 0 {
				j.log.add("rows", rows)
				last = time.Now()
			}
			continue
		case <-done:
		}
		break
	}
	if rows := j.take(); len(rows) > 0 {
		j.log.add("rows", rows)
	}
	res.Summary = o.Summary()
	res.Table1 = report.Table1(o.Results)
	if runErr != nil {
		res.Stopped = runErr.Error()
		if errors.Is(runErr, context.Canceled) {
			res.Stopped = "stopped"
		}
	}
	// The files of "adamgap run", written now (within the run's
	// reservation) so that the data sets need not be kept for them.
	var files string
	var filesErr error
	if o != nil && o.Setup != nil {
		files, filesErr = os.MkdirTemp("", "adamgap-explorer-")
		if filesErr == nil {
			if filesErr = o.Write(files); filesErr != nil {
				os.RemoveAll(files)
				files = ""
			}
		}
	}
	o, setup = nil, nil
	kept = j.finish(res, files, filesErr)
	j.log.add("result", res)
}

func (s *Server) handleStop(w http.ResponseWriter, r *http.Request) {
	j := s.jobs.get(r.PathValue("id"))
	if j == nil {
		fail(w, http.StatusNotFound, fmt.Errorf("explorer: no run %q (finished runs are kept a while, then forgotten)", r.PathValue("id")))
		return
	}
	j.cancel()
	writeJSON(w, http.StatusOK, map[string]string{"status": "stopping"})
}

// WeightsView is the picture of every optimiser's neurons at one step.
type WeightsView struct {
	Step       int                 `json:"step"`
	Optimizers map[string][]Neuron `json:"optimizers"`
}

func (s *Server) handleWeights(w http.ResponseWriter, r *http.Request) {
	j := s.jobs.get(r.PathValue("id"))
	if j == nil {
		fail(w, http.StatusNotFound, fmt.Errorf("explorer: no run %q", r.PathValue("id")))
		return
	}
	step, err := strconv.Atoi(r.URL.Query().Get("step"))
	if err != nil || !j.Want(step) {
		fail(w, http.StatusBadRequest, &FieldError{Field: "step", Message: fmt.Sprintf("explorer: step=%q is not one of the pictured steps %v", r.URL.Query().Get("step"), j.snapSteps)})
		return
	}
	v := WeightsView{Step: step, Optimizers: map[string][]Neuron{}}
	j.mu.Lock()
	for name, byStep := range j.scatters {
		if ns, ok := byStep[step]; ok {
			v.Optimizers[name] = ns
		}
	}
	j.mu.Unlock()
	writeJSON(w, http.StatusOK, v)
}

// runFiles are the files of a run the page offers for download.
var runFiles = map[string]string{
	"config.yaml": "application/yaml", "metrics.csv": "text/csv", "weights.npz": "application/octet-stream",
	"summary.json": "application/json", "table1.md": "text/markdown", "data.npz": "application/octet-stream",
	"figure2.png": "image/png", "figure2.svg": "image/svg+xml",
}

// handleRunFile serves one output file of a finished run, written by
// experiment's writer (the files of "adamgap run") into a temporary folder
// when the run ended.
func (s *Server) handleRunFile(w http.ResponseWriter, r *http.Request) {
	j := s.jobs.get(r.PathValue("id"))
	name := r.PathValue("name")
	if j == nil {
		fail(w, http.StatusNotFound, fmt.Errorf("explorer: no run %q", r.PathValue("id")))
		return
	}
	ctype, ok := runFiles[name]
	if !ok {
		fail(w, http.StatusNotFound, fmt.Errorf("explorer: a run has no file %q", name))
		return
	}
	dir, err := j.outputFolder()
	if err != nil {
		fail(w, http.StatusConflict, err)
		return
	}
	fh, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		fail(w, http.StatusNotFound, fmt.Errorf("explorer: the run has no %s: %w", name, err))
		return
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil || !st.Mode().IsRegular() {
		fail(w, http.StatusInternalServerError, fmt.Errorf("explorer: %s of the run cannot be read", name))
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	allowDownload(w, st.Size())
	http.ServeContent(w, r, name, st.ModTime(), fh)
}

// outputFolder returns the temporary folder of the run's output files.
func (j *job) outputFolder() (string, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	switch {
	case j.result == nil:
		return "", errors.New("explorer: the run has not finished; its files are written when it does")
	case j.filesErr != nil:
		return "", fmt.Errorf("explorer: the run's files could not be written: %w", j.filesErr)
	case j.files == "":
		return "", errors.New("explorer: the run stopped before it had files")
	}
	return j.files, nil
}

// writeRun writes what "adamgap run" writes (experiment.Outcome.Write)
// into a fresh folder beside dir that is renamed to dir once complete
// (internal/outdir, as experiment.RunInto does), so that dir never holds
// half a run. dir must not exist or be empty.
func writeRun(o *experiment.Outcome, dir string) error {
	d, err := outdir.Create(dir, false)
	if err != nil {
		return err
	}
	if err := o.Write(d.Tmp); err != nil {
		d.Remove()
		return err
	}
	return d.Commit()
}

// copyRun copies the output files of a finished run (its temporary folder
// src) into dir as writeRun would write them.
func copyRun(src, dir string) error {
	d, err := outdir.Create(dir, false)
	if err != nil {
		return err
	}
	des, err := os.ReadDir(src)
	if err == nil {
		for _, de := range des {
			if err = copyFile(filepath.Join(src, de.Name()), filepath.Join(d.Tmp, de.Name())); err != nil {
				break
			}
		}
	}
	if err != nil {
		d.Remove()
		return err
	}
	return d.Commit()
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

var folderName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// handleSave writes a finished run as an output folder under the root, as
// "adamgap run --out ROOT/NAME" would.
func (s *Server) handleSave(w http.ResponseWriter, r *http.Request) {
	j := s.jobs.get(r.PathValue("id"))
	if j == nil {
		fail(w, http.StatusNotFound, fmt.Errorf("explorer: no run %q", r.PathValue("id")))
		return
	}
	var req struct {
		Name string `json:"name"`
	}
	if err := readJSON(r, &req); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	if !folderName.MatchString(req.Name) {
		fail(w, http.StatusBadRequest, &FieldError{Field: "name", Message: fmt.Sprintf("explorer: name=%q must be a folder name: letters, digits, '.', '_', '-', not starting with '.'", req.Name)})
		return
	}
	src, err := j.outputFolder()
	if err != nil {
		fail(w, http.StatusConflict, err)
		return
	}
	dir := filepath.Join(s.root, req.Name)
	if _, err := os.Lstat(dir); err == nil {
		fail(w, http.StatusBadRequest, &FieldError{Field: "name", Message: fmt.Sprintf("explorer: %s already exists under the root; choose another name", req.Name)})
		return
	}
	if err := copyRun(src, dir); err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"path": req.Name, "command": Command(j.config, req.Name)})
}
