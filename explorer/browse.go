package explorer

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/sweep"
)

// errOutside is wrapped by the error of a path that leads outside the root.
var errOutside = errors.New("outside the root")

// resolve returns the real path of rel, a slash-separated path relative to
// the root. It refuses absolute paths, ".." and paths that a symbolic link
// leads outside the root.
func (s *Server) resolve(rel string) (string, error) {
	if strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, "\\") {
		return "", &FieldError{Field: "path", Message: fmt.Sprintf("explorer: path=%q must be relative to the root", rel)}
	}
	if rel == "" {
		rel = "."
	}
	for _, part := range strings.FieldsFunc(rel, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return "", &FieldError{Field: "path", Message: fmt.Sprintf("explorer: path=%q may not contain \"..\": paths are relative to the root", rel)}
		}
	}
	if filepath.IsAbs(rel) || strings.ContainsRune(rel, 0) {
		return "", &FieldError{Field: "path", Message: fmt.Sprintf("explorer: path=%q must be relative to the root", rel)}
	}
	real, err := filepath.EvalSymlinks(filepath.Join(s.root, filepath.FromSlash(rel)))
	if err != nil {
		return "", fmt.Errorf("explorer: path=%q: %w", rel, fs.ErrNotExist)
	}
	if !s.inside(real) {
		return "", fmt.Errorf("explorer: path=%q leads %w (a symbolic link)", rel, errOutside)
	}
	return real, nil
}

func (s *Server) inside(real string) bool {
	return real == s.root || strings.HasPrefix(real, s.root+string(filepath.Separator))
}

// errNotRegular is wrapped by the error of a path that is not a regular
// file (a FIFO, a device, a socket) or not a folder where one is wanted.
var errNotRegular = errors.New("not a regular file")

// open opens rel, a path relative to the root, for reading. It is how the
// server reads every file and folder under the root: rel must pass resolve
// (no "..", no absolute path, no symbolic link that leads out), the real
// path is then opened through an os.Root of the root (so that a link
// swapped in meanwhile cannot lead out either) without blocking (a FIFO
// would wait for a writer forever), and anything but a regular file, or
// a folder when dir is true, is refused.
func (s *Server) open(rel string, dir bool) (*os.File, fs.FileInfo, error) {
	real, err := s.resolve(rel)
	if err != nil {
		return nil, nil, err
	}
	inner, err := filepath.Rel(s.root, real)
	if err != nil {
		return nil, nil, err
	}
	fh, err := s.fsroot.OpenFile(inner, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("explorer: path=%q: %w", rel, fs.ErrNotExist)
		}
		return nil, nil, fmt.Errorf("explorer: path=%q leads %w or cannot be read: %v", rel, errOutside, err)
	}
	st, err := fh.Stat()
	if err == nil && dir && !st.IsDir() {
		err = fmt.Errorf("explorer: path=%q is %w", rel, errNotFolder)
	}
	if err == nil && !dir && !st.Mode().IsRegular() {
		what := "a folder"
		if !st.IsDir() {
			what = "a " + st.Mode().Type().String() + " file (FIFO, device or socket)"
		}
		err = fmt.Errorf("explorer: path=%q is %s, %w", rel, what, errNotRegular)
	}
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	return fh, st, nil
}

// errNotFolder is wrapped by the error of a path that is not a folder.
var errNotFolder = errors.New("not a folder")

// readFile reads the regular file rel under the root (through open), of at
// most limit bytes: a larger one is refused with its size, never read.
func (s *Server) readFile(rel string, limit int64) ([]byte, error) {
	fh, st, err := s.open(rel, false)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if st.Size() > limit {
		return nil, fmt.Errorf("explorer: %s is %s, more than the %s the page reads; open it with the CLI",
			rel, config.FormatBytes(float64(st.Size())), config.FormatBytes(float64(limit)))
	}
	b, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("explorer: %s grew beyond %s while read", rel, config.FormatBytes(float64(limit)))
	}
	return b, err
}

// readDir lists the folder rel under the root (through open).
func (s *Server) readDir(rel string) ([]fs.DirEntry, error) {
	fh, _, err := s.open(rel, true)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return fh.ReadDir(-1)
}

// stat returns what the entry rel under the root is, following symbolic
// links that stay inside the root; links that lead out are an error.
func (s *Server) stat(rel string) (fs.FileInfo, error) {
	real, err := s.resolve(rel)
	if err != nil {
		return nil, err
	}
	inner, err := filepath.Rel(s.root, real)
	if err != nil {
		return nil, err
	}
	return s.fsroot.Stat(inner)
}

// smallFile bounds the text files the page shows (config.yaml, table1.md,
// summary.json, result.json, sweep.yaml ...).
const smallFile = 4 << 20

// pathFail answers a path error: 400 for a malformed path, 403 outside the
// root, 404 for what is not there.
func pathFail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, errOutside), errors.Is(err, errNotRegular):
		fail(w, http.StatusForbidden, err)
	case errors.Is(err, fs.ErrNotExist):
		fail(w, http.StatusNotFound, err)
	default:
		fail(w, http.StatusBadRequest, err)
	}
}

// Entry is one item of a folder listing.
type Entry struct {
	Name string `json:"name"`
	Dir  bool   `json:"dir"`
	Kind string `json:"kind,omitempty"` // "run" or "sweep" for such folders
	// Note says more about a folder: that a sweep from the page was
	// stopped before all its runs were made.
	Note string `json:"note,omitempty"`
}

// Listing is a folder under the root.
type Listing struct {
	Path    string  `json:"path"` // relative to the root, "." for the root
	Entries []Entry `json:"entries"`
}

// joinRel joins a path relative to the root and a name.
func joinRel(rel, name string) string {
	if rel == "" || rel == "." {
		return name
	}
	return rel + "/" + name
}

// kindOf says whether the folder rel is an output folder of "adamgap run"
// or of one of "reproduce"'s experiments ("run"), a sweep folder ("sweep")
// or neither ("").
func (s *Server) kindOf(rel string) string {
	has := func(name string) bool { _, err := s.stat(joinRel(rel, name)); return err == nil }
	switch {
	case has(sweep.SpecFile):
		return "sweep"
	case has("summary.json"), has("metrics.csv"), has("table1.md"):
		return "run"
	}
	for _, name := range reproduceFiles {
		if has(name) {
			return "run"
		}
	}
	return ""
}

// reproduceFiles are files that mark the output folders of "adamgap
// reproduce"'s other experiments (figure 1, the convex problem, the
// lemmas, stochastic runs, seeds of Table 1, the signal–noise family's
// benign, labelflip and family grids) as results to open: their reports
// (reportTables), figures and tables.
var reproduceFiles = []string{"convex.json", "lemmas.json", "stochastic.json", "figure1.json", "table1_seeds.json", "phase.json",
	"benign.json", "labelflip.json", "family.json", "figure1.png", "results.csv"}

// stoppedFile marks a sweep folder of the page whose sweep was stopped or
// failed before all its runs were made; its first line says how far it got.
const stoppedFile = "STOPPED.txt"

func (s *Server) handleBrowse(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	des, err := s.readDir(rel)
	if err != nil {
		pathFail(w, err)
		return
	}
	l := Listing{Path: cleanRel(rel), Entries: []Entry{}}
	for _, de := range des {
		if strings.HasPrefix(de.Name(), ".") {
			continue
		}
		name := joinRel(l.Path, de.Name())
		st, err := s.stat(name)
		if err != nil {
			continue // dangling, or leading outside the root
		}
		e := Entry{Name: de.Name(), Dir: st.IsDir()}
		if e.Dir {
			e.Kind = s.kindOf(name)
			if e.Kind == "sweep" {
				if b, err := s.readFile(joinRel(name, stoppedFile), 4096); err == nil {
					e.Note, _, _ = strings.Cut(string(b), "\n")
				}
			}
		}
		l.Entries = append(l.Entries, e)
	}
	slices.SortFunc(l.Entries, func(a, b Entry) int {
		if a.Dir != b.Dir {
			if a.Dir {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	writeJSON(w, http.StatusOK, l)
}

func cleanRel(rel string) string {
	rel = path.Clean("/" + strings.TrimPrefix(rel, "/"))
	if rel == "/" {
		return "."
	}
	return rel[1:]
}

// Folder is an output folder or a sweep folder under the root, as the page
// shows it.
type Folder struct {
	Path    string          `json:"path"`
	Kind    string          `json:"kind"` // "run", "sweep" or ""
	Config  string          `json:"config,omitempty"`
	Command string          `json:"command,omitempty"`
	Table1  string          `json:"table1,omitempty"`
	Summary json.RawMessage `json:"summary,omitempty"`
	// Metrics is metrics.csv by optimiser: column name → values (null
	// where empty), at most maxPoints rows of each optimiser (every k-th
	// logged row and the last; MetricsEvery gives k).
	Metrics      map[string]map[string][]*float64 `json:"metrics,omitempty"`
	MetricsEvery map[string]int                   `json:"metrics_every,omitempty"`
	// Tables are the other Markdown tables of the folder (the reports of
	// reproduce's experiments), by file name.
	Tables map[string]string `json:"tables,omitempty"`
	Files  []string          `json:"files"`
	Grid   *Grid             `json:"grid,omitempty"`
	Spec   string            `json:"spec,omitempty"`
	Error  string            `json:"error,omitempty"`
	// Problems are the files that could not be read (a result.json that
	// is not valid, a file too large or not a regular file), one line each.
	Problems []string `json:"problems,omitempty"`
}

// metricColumns are the columns of metrics.csv the page plots.
var metricColumns = []string{"step", "loss", "train_error", "test_error", "feature_pos", "feature_neg", "noise_min_pos", "noise_min_neg"}

func (s *Server) handleFolder(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	des, err := s.readDir(rel)
	if err != nil {
		pathFail(w, err)
		return
	}
	f := Folder{Path: cleanRel(rel), Kind: s.kindOf(rel), Files: []string{}}
	for _, de := range des {
		if strings.HasPrefix(de.Name(), ".") || de.IsDir() {
			continue
		}
		if de.Type().IsRegular() {
			f.Files = append(f.Files, de.Name())
			continue
		}
		// A link, a FIFO, a device: say what it is, read nothing.
		name := joinRel(f.Path, de.Name())
		if st, err := s.stat(name); err != nil {
			f.Problems = append(f.Problems, err.Error())
		} else if st.Mode().IsRegular() {
			f.Files = append(f.Files, de.Name()) // a link that stays inside
		} else if !st.IsDir() && !st.Mode().IsRegular() {
			f.Problems = append(f.Problems, fmt.Sprintf("explorer: %s is a %s file (FIFO, device or socket), %v", name, st.Mode().Type(), errNotRegular))
		}
	}
	read := func(name string) string {
		b, err := s.readFile(joinRel(f.Path, name), smallFile)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				f.Problems = append(f.Problems, err.Error())
			}
			return ""
		}
		return string(b)
	}
	switch f.Kind {
	case "run":
		f.Config = read("config.yaml")
		f.Table1 = read("table1.md")
		if b := read("summary.json"); b != "" {
			if json.Valid([]byte(b)) {
				f.Summary = json.RawMessage(b)
			} else {
				f.Problems = append(f.Problems, "summary.json is not valid JSON")
			}
		}
		if c, err := config.Parse([]byte(f.Config), config.Paper()); err == nil && f.Config != "" {
			f.Command = Command(c, f.Path)
		}
		for _, name := range f.Files {
			table := ""
			if strings.HasSuffix(name, ".md") && name != "table1.md" && name != "README.md" {
				table = read(name)
			} else if parse := reportTables[name]; parse != nil {
				if b := read(name); b != "" {
					var err error
					if table, err = parse([]byte(b)); err != nil {
						f.Problems = append(f.Problems, fmt.Sprintf("%s: %v", joinRel(f.Path, name), err))
					}
				}
			}
			if table != "" {
				if f.Tables == nil {
					f.Tables = map[string]string{}
				}
				f.Tables[name] = table
			}
		}
		if slices.Contains(f.Files, "metrics.csv") {
			if fh, _, err := s.open(joinRel(f.Path, "metrics.csv"), false); err != nil {
				f.Error = err.Error()
			} else {
				f.Metrics, f.MetricsEvery, err = readMetrics(fh, maxPoints)
				fh.Close()
				if err != nil {
					f.Error = err.Error()
				}
			}
		}
	case "sweep":
		f.Spec = read(sweep.SpecFile)
		g, problems, err := s.sweepGrid(f.Path)
		if err != nil {
			f.Error = err.Error()
		}
		f.Problems = append(f.Problems, problems...)
		f.Grid = g
		if g != nil {
			f.Command = sweepCommand(f.Path, g.X, g.Y)
		}
		if b := read(stoppedFile); b != "" {
			f.Problems = append(f.Problems, strings.TrimSpace(b))
		}
	}
	writeJSON(w, http.StatusOK, f)
}

// maxPoints bounds the rows of each optimiser that the page plots of a
// metrics.csv.
const maxPoints = 2048

// readMetrics reads the plotted columns of a metrics.csv by optimiser as it
// streams by, keeping at most 2·limit rows of each optimiser in memory:
// when an optimiser has more, every other kept row is dropped and from then
// on only every 2k-th row is kept (k, its stride, is returned by
// optimiser), and the last row always. Memory is bounded by limit, not by
// the file's size.
func readMetrics(r io.Reader, limit int) (map[string]map[string][]*float64, map[string]int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("metrics.csv: %w", err)
	}
	header = slices.Clone(header)
	opt := slices.Index(header, "optimizer")
	if opt < 0 {
		return nil, nil, errors.New("metrics.csv has no optimizer column")
	}
	cols := make([]int, len(metricColumns))
	for k, c := range metricColumns {
		cols[k] = slices.Index(header, c)
	}
	type series struct {
		rows   [][]*float64 // kept rows, values in metricColumns' order
		stride int
		seen   int
		last   []*float64 // the latest row, kept whether or not on stride
	}
	by := map[string]*series{}
	var order []string
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("metrics.csv: %w", err)
		}
		if len(row) != len(header) {
			continue
		}
		sr := by[row[opt]]
		if sr == nil {
			if len(by) >= 64 {
				return nil, nil, errors.New("metrics.csv names more than 64 optimisers")
			}
			sr = &series{stride: 1}
			by[row[opt]] = sr
			order = append(order, row[opt])
		}
		vals := make([]*float64, len(cols))
		for k, i := range cols {
			if i >= 0 {
				if x, err := strconv.ParseFloat(row[i], 64); err == nil {
					vals[k] = finite(x)
				}
			}
		}
		if sr.seen%sr.stride == 0 {
			sr.rows = append(sr.rows, vals)
			if len(sr.rows) > 2*limit {
				kept := sr.rows[:0]
				for k := 0; k < len(sr.rows); k += 2 {
					kept = append(kept, sr.rows[k])
				}
				sr.rows = kept
				sr.stride *= 2
			}
			sr.last = nil
		} else {
			sr.last = vals
		}
		sr.seen++
	}
	out := map[string]map[string][]*float64{}
	every := map[string]int{}
	for _, name := range order {
		sr := by[name]
		rows := sr.rows
		if sr.last != nil {
			rows = append(rows, sr.last)
		}
		m := map[string][]*float64{}
		for k, c := range metricColumns {
			col := make([]*float64, len(rows))
			for i, r := range rows {
				col[i] = r[k]
			}
			m[c] = col
		}
		out[name] = m
		every[name] = sr.stride
	}
	return out, every, nil
}

// sweepGrid reads the results of the sweep folder rel into its heat map
// over the first key of its first two axes; problems are the result.json
// files that could not be read, each with why.
func (s *Server) sweepGrid(rel string) (*Grid, []string, error) {
	b, err := s.readFile(joinRel(rel, sweep.SpecFile), smallFile)
	if err != nil {
		return nil, nil, err
	}
	spec, err := sweep.ParseSpec(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", sweep.SpecFile, err)
	}
	runs, err := spec.Plan()
	if err != nil {
		return nil, nil, err
	}
	x, y := "seed", ""
	if len(spec.Axes) > 0 {
		x = spec.Axes[0].Keys[0]
	}
	if len(spec.Axes) > 1 {
		y = spec.Axes[1].Keys[0]
	}
	var names []string
	if len(runs) > 0 {
		for _, o := range runs[0].Config.Optimizers {
			names = append(names, o.Name)
		}
	}
	g := newGrid(runs, x, y, names)
	g.Done = 0
	var problems []string
	for _, r := range runs {
		res, err := s.readResult(rel, r.ID)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		g.add(r, res)
	}
	return g, problems, nil
}

// readResult reads and checks (sweep.ParseResult) the result.json of run id
// in the sweep folder rel under the root.
func (s *Server) readResult(rel, id string) (*sweep.Result, error) {
	name := joinRel(rel, "runs/"+id+"/"+sweep.ResultFile)
	b, err := s.readFile(name, smallFile)
	if err != nil {
		return nil, err
	}
	return sweep.ParseResult(b, id, name)
}

// handleFile serves a regular file under the root (through open).
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	fh, st, err := s.open(rel, false)
	if err != nil {
		pathFail(w, err)
		return
	}
	defer fh.Close()
	if r.URL.Query().Get("inline") == "" {
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", st.Name()))
	}
	// A file under the root is data, never a page of this origin: an HTML
	// or SVG file opened from here runs no script with the page's rights.
	w.Header().Set("Content-Security-Policy", "sandbox")
	allowDownload(w, st.Size())
	http.ServeContent(w, r, st.Name(), st.ModTime(), fh)
}

// allowDownload moves the write deadline of a download of size bytes on
// by a second a MiB beyond the write timeout, so that a large file on a
// slow link is not cut off, while a client that stops reading still is.
func allowDownload(w http.ResponseWriter, size int64) {
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(timeouts.Write + time.Duration(size>>20)*time.Second))
}
