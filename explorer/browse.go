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

// pathFail answers a path error: 400 for a malformed path, 403 outside the
// root, 404 for what is not there.
func pathFail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, errOutside):
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
}

// Listing is a folder under the root.
type Listing struct {
	Path    string  `json:"path"` // relative to the root, "." for the root
	Entries []Entry `json:"entries"`
}

// kindOf says whether dir is an output folder of "adamgap run" or
// "reproduce" ("run"), a sweep folder ("sweep") or neither ("").
func kindOf(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, sweep.SpecFile)); err == nil {
		return "sweep"
	}
	if _, err := os.Stat(filepath.Join(dir, "summary.json")); err == nil {
		return "run"
	}
	if _, err := os.Stat(filepath.Join(dir, "metrics.csv")); err == nil {
		return "run"
	}
	return ""
}

func (s *Server) handleBrowse(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	dir, err := s.resolve(rel)
	if err != nil {
		pathFail(w, err)
		return
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		fail(w, http.StatusBadRequest, fmt.Errorf("explorer: path=%q is not a folder", rel))
		return
	}
	l := Listing{Path: cleanRel(rel), Entries: []Entry{}}
	for _, de := range des {
		if strings.HasPrefix(de.Name(), ".") {
			continue
		}
		full := filepath.Join(dir, de.Name())
		real, err := filepath.EvalSymlinks(full)
		if err != nil || !s.inside(real) {
			continue // dangling, or leading outside the root
		}
		st, err := os.Stat(real)
		if err != nil {
			continue
		}
		e := Entry{Name: de.Name(), Dir: st.IsDir()}
		if e.Dir {
			e.Kind = kindOf(real)
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
	// where empty).
	Metrics map[string]map[string][]*float64 `json:"metrics,omitempty"`
	Files   []string                         `json:"files"`
	Grid    *Grid                            `json:"grid,omitempty"`
	Spec    string                           `json:"spec,omitempty"`
	Error   string                           `json:"error,omitempty"`
}

// metricColumns are the columns of metrics.csv the page plots.
var metricColumns = []string{"step", "loss", "train_error", "test_error", "feature_pos", "feature_neg", "noise_min_pos", "noise_min_neg"}

func (s *Server) handleFolder(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	dir, err := s.resolve(rel)
	if err != nil {
		pathFail(w, err)
		return
	}
	f := Folder{Path: cleanRel(rel), Kind: kindOf(dir), Files: []string{}}
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		if de.Type().IsRegular() && !strings.HasPrefix(de.Name(), ".") {
			f.Files = append(f.Files, de.Name())
		}
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return ""
		}
		return string(b)
	}
	switch f.Kind {
	case "run":
		f.Config = read("config.yaml")
		f.Table1 = read("table1.md")
		if b := read("summary.json"); json.Valid([]byte(b)) {
			f.Summary = json.RawMessage(b)
		}
		if c, err := config.Parse([]byte(f.Config), config.Paper()); err == nil && f.Config != "" {
			f.Command = Command(c, f.Path)
		}
		if m, err := readMetrics(filepath.Join(dir, "metrics.csv")); err == nil {
			f.Metrics = m
		} else {
			f.Error = err.Error()
		}
	case "sweep":
		f.Spec = read(sweep.SpecFile)
		g, err := sweepGrid(dir)
		if err != nil {
			f.Error = err.Error()
		}
		f.Grid = g
		if g != nil {
			f.Command = sweepCommand(f.Path, g.X, g.Y)
		}
	}
	writeJSON(w, http.StatusOK, f)
}

// readMetrics reads the plotted columns of a metrics.csv by optimiser.
func readMetrics(file string) (map[string]map[string][]*float64, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	cr := csv.NewReader(io.LimitReader(fh, 256<<20))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("metrics.csv: %w", err)
	}
	opt := slices.Index(header, "optimizer")
	if opt < 0 {
		return nil, errors.New("metrics.csv has no optimizer column")
	}
	out := map[string]map[string][]*float64{}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("metrics.csv: %w", err)
		}
		if len(row) != len(header) {
			continue
		}
		name := row[opt]
		if out[name] == nil {
			out[name] = map[string][]*float64{}
		}
		for _, col := range metricColumns {
			i := slices.Index(header, col)
			var v *float64
			if i >= 0 {
				if x, err := strconv.ParseFloat(row[i], 64); err == nil {
					v = finite(x)
				}
			}
			out[name][col] = append(out[name][col], v)
		}
	}
	return out, nil
}

// sweepGrid reads the results of a sweep folder into its heat map over the
// first key of its first two axes.
func sweepGrid(dir string) (*Grid, error) {
	spec, runs, err := sweep.LoadDir(dir)
	if err != nil {
		return nil, err
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
	for _, r := range runs {
		res, err := sweep.ReadResult(dir, r.ID)
		if err != nil {
			continue
		}
		g.add(r, res)
	}
	return g, nil
}

// handleFile serves a file under the root: its real path (links resolved)
// must be inside the root, and it is opened through os.Root, so that
// neither ".." nor a symbolic link swapped in meanwhile can reach outside.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	real, err := s.resolve(rel)
	if err != nil {
		pathFail(w, err)
		return
	}
	inner, err := filepath.Rel(s.root, real)
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	root, err := os.OpenRoot(s.root)
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	defer root.Close()
	fh, err := root.Open(inner)
	if err != nil {
		pathFail(w, fmt.Errorf("explorer: path=%q: %w", rel, err))
		return
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil || st.IsDir() {
		fail(w, http.StatusBadRequest, fmt.Errorf("explorer: path=%q is not a file", rel))
		return
	}
	if r.URL.Query().Get("inline") == "" {
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", st.Name()))
	}
	http.ServeContent(w, r, st.Name(), st.ModTime(), fh)
}
