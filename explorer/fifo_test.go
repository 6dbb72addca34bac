//go:build unix

package explorer

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesRefused: FIFOs under the root and symbolic links that
// lead out of it are refused on every endpoint that reads under the root
// (listing, folder view of a run and of a sweep, file download): the
// answer comes at once (a FIFO would wait for a writer), names the file,
// and leaks nothing.
func TestSpecialFilesRefused(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	os.WriteFile(secret, []byte("TOP-SECRET-CONTENT"), 0o644)
	s, ts := newTestServer(t, Options{})
	root := s.Root()
	dir, runs := finishedSweep(t, s, ts)

	mkdir := func(p string) string { d := filepath.Join(root, p); os.MkdirAll(d, 0o755); return d }
	fifo := func(p string) {
		if err := syscall.Mkfifo(filepath.Join(root, p), 0o644); err != nil {
			t.Skip("no FIFOs here:", err)
		}
	}
	link := func(p string) {
		if err := os.Symlink(secret, filepath.Join(root, p)); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	// A run folder whose files are FIFOs, one whose files lead out.
	mkdir("fifo-run")
	for _, n := range []string{"metrics.csv", "config.yaml", "table1.md", "summary.json", "report.md"} {
		fifo("fifo-run/" + n)
	}
	mkdir("leak")
	for _, n := range []string{"metrics.csv", "config.yaml", "table1.md", "summary.json", "report.md"} {
		link("leak/" + n)
	}
	fifo("a-fifo")
	// A sweep whose result.json files are a FIFO and a link out, and
	// whose sweep.yaml is a FIFO in a copy.
	os.Remove(filepath.Join(root, dir, "runs", runs[0], "result.json"))
	fifo(filepath.Join(dir, "runs", runs[0], "result.json"))
	os.Remove(filepath.Join(root, dir, "runs", runs[1], "result.json"))
	link(filepath.Join(dir, "runs", runs[1], "result.json"))
	mkdir("fifo-sweep")
	fifo("fifo-sweep/sweep.yaml")

	client := &http.Client{Timeout: 5 * time.Second}
	get := func(path string) (int, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v (a request that hangs on a FIFO?)", path, err)
		}
		return resp.StatusCode, readAll(t, resp)
	}
	q := url.QueryEscape
	for _, tt := range []struct {
		path string
		code int
		say  string
	}{
		{"/api/file?path=" + q("a-fifo"), http.StatusForbidden, "FIFO"},
		{"/api/file?path=" + q("fifo-run/metrics.csv"), http.StatusForbidden, "FIFO"},
		{"/api/file?path=" + q("leak/table1.md"), http.StatusForbidden, "outside the root"},
		{"/api/file?path=" + q(filepath.Join(dir, "runs", runs[0], "result.json")), http.StatusForbidden, "FIFO"},
		{"/api/file?path=" + q(filepath.Join(dir, "runs", runs[1], "result.json")), http.StatusForbidden, "outside the root"},
		{"/api/browse?path=" + q("a-fifo"), http.StatusBadRequest, "not a folder"},
		{"/api/folder?path=" + q("a-fifo"), http.StatusBadRequest, "not a folder"},
		{"/api/folder?path=" + q("fifo-run"), http.StatusOK, "FIFO"},
		{"/api/folder?path=" + q("leak"), http.StatusOK, "outside the root"},
		{"/api/folder?path=" + q(dir), http.StatusOK, runs[0]},
		{"/api/folder?path=" + q("fifo-sweep"), http.StatusOK, "FIFO"},
		{"/api/browse?path=.", http.StatusOK, "fifo-run"},
	} {
		code, body := get(tt.path)
		if code != tt.code || !strings.Contains(body, tt.say) {
			t.Errorf("GET %s: %d, want %d saying %q: %.300s", tt.path, code, tt.code, tt.say, body)
		}
		if strings.Contains(body, "TOP-SECRET") {
			t.Errorf("GET %s leaked the file outside the root", tt.path)
		}
	}
	_, body := get("/api/folder?path=" + q(dir))
	f := decode[Folder](t, body)
	if len(f.Problems) != 2 || !strings.Contains(strings.Join(f.Problems, "\n"), runs[1]) || f.Grid == nil || f.Grid.Done != len(runs)-2 {
		t.Errorf("sweep with a FIFO and a link for result.json: problems %q, done %d", f.Problems, f.Grid.Done)
	}
}
