package explorer

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"

	"github.com/adamgap/adamgap/config"
)

//go:embed static
var static embed.FS

// Options configures a Server.
type Options struct {
	// Root is the folder whose output folders and sweeps the page browses,
	// and where it saves runs and writes sweeps. It must exist.
	Root string
	// MaxRuns is the number of optimisers that may train at once; 0 means
	// GOMAXPROCS. Further requests wait in a queue.
	MaxRuns int
	// MaxMemory is the most memory, in bytes, one run may need
	// (config.Estimate, before it starts); 0 means config.DefaultMaxMemory,
	// as for "adamgap run".
	MaxMemory int64
	// KeepRuns is the number of finished runs whose weights and files stay
	// available; 0 means 16.
	KeepRuns int
}

// DefaultOptions returns the options of "adamgap serve": the current
// folder as root and the defaults above.
func DefaultOptions() Options {
	return Options{Root: "."}
}

// Server is the explorer: an http.Handler serving the page and its API.
type Server struct {
	opts  Options
	root  string // absolute, symlinks resolved
	queue *queue
	jobs  *jobs
	mux   *http.ServeMux
}

// New returns a server for opts. It fails when the root is not a folder.
func New(opts Options) (*Server, error) {
	if opts.MaxRuns <= 0 {
		opts.MaxRuns = runtime.GOMAXPROCS(0)
	}
	if opts.MaxMemory <= 0 {
		opts.MaxMemory = config.DefaultMaxMemory()
	}
	if opts.KeepRuns <= 0 {
		opts.KeepRuns = 16
	}
	if opts.Root == "" {
		opts.Root = "."
	}
	abs, err := filepath.Abs(opts.Root)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return nil, fmt.Errorf("explorer: root %q: %w", opts.Root, err)
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("explorer: root %q is not a folder", opts.Root)
	}
	s := &Server{opts: opts, root: abs, queue: newQueue(opts.MaxRuns), jobs: &jobs{keep: opts.KeepRuns}, mux: http.NewServeMux()}
	assets, _ := fs.Sub(static, "static")
	s.mux.Handle("GET /", http.FileServerFS(assets))
	s.mux.HandleFunc("GET /api/defaults", s.handleDefaults)
	s.mux.HandleFunc("POST /api/check", s.handleCheck)
	s.mux.HandleFunc("POST /api/run", s.handleRun)
	s.mux.HandleFunc("POST /api/run/{id}/stop", s.handleStop)
	s.mux.HandleFunc("GET /api/run/{id}/weights", s.handleWeights)
	s.mux.HandleFunc("GET /api/run/{id}/file/{name}", s.handleRunFile)
	s.mux.HandleFunc("POST /api/run/{id}/save", s.handleSave)
	s.mux.HandleFunc("POST /api/sweep", s.handleSweep)
	s.mux.HandleFunc("GET /api/browse", s.handleBrowse)
	s.mux.HandleFunc("GET /api/folder", s.handleFolder)
	s.mux.HandleFunc("GET /api/file", s.handleFile)
	return s, nil
}

// Root returns the absolute path of the root folder.
func (s *Server) Root() string { return s.root }

// ServeHTTP serves the page and the API. A panic (a bug) is answered
// with a one-line message, not a Go stack.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			fail(w, http.StatusInternalServerError, fmt.Errorf("explorer: internal error (please report it): %v", p))
		}
	}()
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// Close stops every run and removes the temporary files of downloads.
func (s *Server) Close() { s.jobs.closeAll() }

// writeJSON writes v with the status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	enc.Encode(v)
}

// fail answers bad input with 400 and the field to blame, and anything
// else with the status code and the message; never a Go stack.
func fail(w http.ResponseWriter, code int, err error) {
	var fe *FieldError
	if errors.As(err, &fe) {
		writeJSON(w, http.StatusBadRequest, fe)
		return
	}
	writeJSON(w, code, &FieldError{Message: err.Error()})
}

// readJSON decodes a request body of at most 1 MiB into v.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &FieldError{Message: "explorer: the request is not a valid form: " + err.Error()}
	}
	return nil
}
