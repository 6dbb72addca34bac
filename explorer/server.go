package explorer

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

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
	// MaxQueue is the number of runs and sweeps that may wait for slots or
	// memory; one more is answered 503 with the reason. 0 means 16.
	MaxQueue int
	// AllowHosts are the host names (or addresses), besides the loopback
	// names, that a request's Host header may carry. Any other Host is
	// refused: it is how a page of another site reaches a server on
	// 127.0.0.1 through a rebound DNS name.
	AllowHosts []string
	// Token, when not empty, must come with every request: as ?token=
	// (which sets a cookie for the rest of the visit), the cookie, or an
	// "Authorization: Bearer" header. "adamgap serve" makes one when it
	// listens on an address other than loopback.
	Token string
}

// DefaultOptions returns the options of "adamgap serve": the current
// folder as root and the defaults above.
func DefaultOptions() Options {
	return Options{Root: "."}
}

// Server is the explorer: an http.Handler serving the page and its API.
type Server struct {
	opts    Options
	root    string   // absolute, symlinks resolved
	fsroot  *os.Root // every file under the root is read through it (open)
	queue   *queue
	jobs    *jobs
	sweeps  *sweeps
	mux     *http.ServeMux
	hosts   map[string]bool // allowed Host names besides loopback ones
	csrf    *http.CrossOriginProtection
	ctx     context.Context // of the runs and sweeps; cancelled by Close
	stopAll context.CancelFunc
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
	if opts.MaxQueue <= 0 {
		opts.MaxQueue = 16
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
	fsroot, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("explorer: root %q: %w", opts.Root, err)
	}
	s := &Server{opts: opts, root: abs, fsroot: fsroot, jobs: &jobs{keep: opts.KeepRuns}, sweeps: &sweeps{}, mux: http.NewServeMux(),
		hosts: map[string]bool{}, csrf: http.NewCrossOriginProtection()}
	s.queue = newQueue(opts.MaxRuns, opts.MaxMemory, opts.MaxQueue)
	s.queue.reclaim = s.jobs.reclaim
	s.jobs.queue = s.queue
	s.ctx, s.stopAll = context.WithCancel(context.Background())
	for _, h := range opts.AllowHosts {
		h = normHost(h)
		if h == "" {
			return nil, fmt.Errorf("explorer: allowed host %q is empty", h)
		}
		s.hosts[h] = true
	}
	assets, _ := fs.Sub(static, "static")
	s.mux.Handle("GET /", http.FileServerFS(assets))
	s.mux.HandleFunc("GET /api/defaults", s.handleDefaults)
	s.mux.HandleFunc("POST /api/check", s.handleCheck)
	s.mux.HandleFunc("POST /api/run", s.handleRun)
	s.mux.HandleFunc("GET /api/run/{id}/events", s.handleRunEvents)
	s.mux.HandleFunc("POST /api/run/{id}/stop", s.handleStop)
	s.mux.HandleFunc("GET /api/run/{id}/weights", s.handleWeights)
	s.mux.HandleFunc("GET /api/run/{id}/file/{name}", s.handleRunFile)
	s.mux.HandleFunc("POST /api/run/{id}/save", s.handleSave)
	s.mux.HandleFunc("POST /api/sweep", s.handleSweep)
	s.mux.HandleFunc("GET /api/sweep/{id}/events", s.handleSweepEvents)
	s.mux.HandleFunc("POST /api/sweep/{id}/stop", s.handleSweepStop)
	s.mux.HandleFunc("GET /api/browse", s.handleBrowse)
	s.mux.HandleFunc("GET /api/folder", s.handleFolder)
	s.mux.HandleFunc("GET /api/file", s.handleFile)
	return s, nil
}

// MaxMemory returns the server's memory budget in bytes.
func (s *Server) MaxMemory() int64 { return s.opts.MaxMemory }

// SoftMemoryLimit is the Go runtime's soft memory limit
// (runtime/debug.SetMemoryLimit) that "adamgap serve" sets for a budget
// of maxMemory bytes: the budget and 256 MiB for the server itself, so
// that the garbage collector works harder before the heap outgrows what
// the budget counts.
func SoftMemoryLimit(maxMemory int64) int64 { return maxMemory + 256<<20 }

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
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
	if err := s.checkHost(r); err != nil {
		fail(w, http.StatusMisdirectedRequest, err)
		return
	}
	if s.opts.Token != "" && !s.checkToken(w, r) {
		return
	}
	if err := s.csrf.Check(r); err != nil {
		fail(w, http.StatusForbidden, errors.New("explorer: refused a cross-origin request (it came from another site's page); use the explorer's own page"))
		return
	}
	if !safeMethod(r.Method) {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "application/json" {
			fail(w, http.StatusUnsupportedMediaType, fmt.Errorf("explorer: a %s request must send Content-Type: application/json, not %q (plain forms of other sites cannot)", r.Method, r.Header.Get("Content-Type")))
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

func safeMethod(m string) bool { return m == "GET" || m == "HEAD" || m == "OPTIONS" }

// normHost returns the host name of a Host header or address: lower case,
// without the port, brackets or a trailing dot.
func normHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(h, ".")
}

// IsLoopback reports whether host (a name or an address, with or
// without port) is a loopback one: localhost, *.localhost, 127.0.0.0/8
// or ::1.
func IsLoopback(host string) bool {
	h := normHost(host)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// checkHost refuses a request whose Host is neither a loopback name nor one
// of Options.AllowHosts: a page whose name was rebound to 127.0.0.1 sends
// its own name.
func (s *Server) checkHost(r *http.Request) error {
	if IsLoopback(r.Host) || s.hosts[normHost(r.Host)] {
		return nil
	}
	return fmt.Errorf("explorer: refused a request for host %q: this server answers to localhost and 127.0.0.1%s; if you reach it by that name yourself (a proxy, a name of this machine), start it with --allow-host %s",
		r.Host, s.allowedList(), normHost(r.Host))
}

func (s *Server) allowedList() string {
	var names []string
	for h := range s.hosts {
		names = append(names, h)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return ""
	}
	return " and " + strings.Join(names, ", ")
}

// tokenCookie is the cookie that carries Options.Token after the first
// visit with ?token=.
const tokenCookie = "adamgap-token"

// checkToken admits a request that carries the token; a page opened with
// ?token= gets it as a cookie and is sent to the same address without it.
// Others are answered 401.
func (s *Server) checkToken(w http.ResponseWriter, r *http.Request) bool {
	want := []byte(s.opts.Token)
	same := func(got string) bool { return subtle.ConstantTimeCompare([]byte(got), want) == 1 }
	if q := r.URL.Query().Get("token"); q != "" && same(q) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: s.opts.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		if safeMethod(r.Method) && r.URL.Path == "/" {
			u := *r.URL
			qs := u.Query()
			qs.Del("token")
			u.RawQuery = qs.Encode()
			http.Redirect(w, r, u.String(), http.StatusSeeOther)
			return false
		}
		return true
	}
	if c, err := r.Cookie(tokenCookie); err == nil && same(c.Value) {
		return true
	}
	if a, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && same(a) {
		return true
	}
	fail(w, http.StatusUnauthorized, errors.New("explorer: this server needs its access token: open the address with ?token= that adamgap serve printed"))
	return false
}

// Close stops every run and sweep and removes the temporary files of
// downloads.
func (s *Server) Close() {
	s.stopAll()
	s.jobs.closeAll()
	s.sweeps.wait()
}

// writeJSON writes v with the status code. A value the encoder cannot
// write (an infinite number) is answered 500 with the encoder's message,
// never an empty 200.
func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		code = http.StatusInternalServerError
		b, _ = json.Marshal(&FieldError{Message: "explorer: could not write the answer: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
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

// Timeouts are the limits of HTTPServer: how long a request's header and
// whole request may take to arrive, a response (or, for a stream, each
// burst of events) to be written, and a kept-alive connection to sit idle.
// Streams (runs and sweeps) lift the read deadline once their request is
// read and move the write deadline on with each event, so that they may
// last; a client that stops reading is dropped after Write.
type Timeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// DefaultTimeouts are the timeouts of "adamgap serve".
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 60 * time.Second, Idle: 120 * time.Second}

// timeouts are those HTTPServer and the streams use (tests shorten them).
var timeouts = DefaultTimeouts

// HTTPServer returns the http.Server of "adamgap serve" for h: header,
// body, write and keep-alive timeouts (DefaultTimeouts), so that
// connections that stop mid-request or sit idle are closed.
func HTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: timeouts.ReadHeader, ReadTimeout: timeouts.Read,
		WriteTimeout: timeouts.Write, IdleTimeout: timeouts.Idle, MaxHeaderBytes: 64 << 10}
}
