package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/explorer"
	"github.com/adamgap/adamgap/optim"
)

// tinyConfig is a configuration that "adamgap run" finishes at once.
func tinyConfig() config.Config {
	c := config.Paper()
	c.D, c.N, c.S, c.TestSize, c.M, c.Steps, c.LogEvery, c.TestEvery = 50, 10, 5, 20, 3, 20, 5, 10
	return c
}

// TestServeCommandReproduces: the command the page offers, run by the
// CLI, writes the configuration the page ran.
func TestServeCommandReproduces(t *testing.T) {
	one := func(name string, f func(*optim.Spec)) config.Config {
		c := tinyConfig()
		s, _ := optim.Default(name)
		f(&s)
		c.Optimizers = []optim.Spec{s}
		return c
	}
	tests := map[string]config.Config{
		"paper's optimisers": func() config.Config { c := tinyConfig(); c.Alpha, c.Seed, c.BatchSize = 0.35, 7, 4; return c }(),
		"float32":            func() config.Config { c := tinyConfig(); c.DType, c.DataLayout = "float32", "sparse"; return c }(),
		"adam with a schedule": one("adam", func(s *optim.Spec) {
			s.LR, s.Beta2 = 1e-3, 0.99
			s.Schedule, _ = optim.DefaultSchedule("step")
			s.Schedule.Gamma, s.Schedule.StepSize = 0.5, 7
		}),
		"nesterov": one("sgd", func(s *optim.Spec) { s.Nesterov, s.Momentum = true, 0.8 }),
		"cosine":   one("gd", func(s *optim.Spec) { s.Schedule, _ = optim.DefaultSchedule("cosine"); s.Schedule.MinLR = 1e-3 }),
		"two optimisers of their own": func() config.Config {
			c := tinyConfig()
			c.Optimizers[0].LR, c.Optimizers[1].LR = 1e-3, 0.3
			w, _ := optim.Default("adamw")
			c.Optimizers = append(c.Optimizers, w)
			return c
		}(),
	}
	heredoc := regexp.MustCompile(`(?s)^cat > explorer\.yaml <<'EOF'\n(.*)EOF\n(.*)$`)
	for name, c := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			cmd := explorer.Command(c, out)
			line := cmd
			if m := heredoc.FindStringSubmatch(cmd); m != nil {
				os.WriteFile(filepath.Join(dir, "explorer.yaml"), []byte(m[1]), 0o644)
				line = strings.Replace(m[2], "explorer.yaml", filepath.Join(dir, "explorer.yaml"), 1)
			}
			fields := strings.Fields(line)
			if fields[0] != "adamgap" {
				t.Fatalf("command %q", cmd)
			}
			if _, stderr, err, _ := invoke(t, fields[1:]...); err != nil {
				t.Fatalf("%s: %v\n%s", cmd, err, stderr)
			}
			want, _ := c.Marshal()
			if got := read(t, filepath.Join(out, "config.yaml")); !bytes.Equal(got, want) {
				t.Errorf("%s\nwrote\n%s\nthe page ran\n%s", cmd, got, want)
			}
		})
	}
}

// TestServeMessagesAreTheCLIs: the page's message for a bad value is the
// one "adamgap run" prints for the same value.
func TestServeMessagesAreTheCLIs(t *testing.T) {
	paper := explorer.FormOf(config.Paper())
	with := func(f func(*explorer.Form)) explorer.Form {
		fm := explorer.FormOf(config.Paper())
		fm.Fields = map[string]string{}
		for k, v := range paper.Fields {
			fm.Fields[k] = v
		}
		f(&fm)
		return fm
	}
	tests := []struct {
		flags []string
		form  explorer.Form
	}{
		{[]string{"--d", "1"}, with(func(f *explorer.Form) { f.Fields["d"] = "1" })},
		{[]string{"--s", "2000"}, with(func(f *explorer.Form) { f.Fields["s"] = "2000" })},
		{[]string{"--sigma-p", "0"}, with(func(f *explorer.Form) { f.Fields["sigma_p"] = "0" })},
		{[]string{"--test-every", "150"}, with(func(f *explorer.Form) { f.Fields["test_every"] = "150" })},
		{[]string{"--optimizer", "adam", "--lr", "-1"}, with(func(f *explorer.Form) {
			f.Optimizers = f.Optimizers[:1]
			f.Optimizers[0].Params["lr"] = "-1"
		})},
		{[]string{"--optimizer", "sgd", "--momentum", "1.5"}, with(func(f *explorer.Form) {
			s, _ := optim.Default("sgd")
			f.Optimizers = []explorer.OptimizerForm{explorer.FormOf(config.Config{Optimizers: []optim.Spec{s}}).Optimizers[0]}
			f.Optimizers[0].Params["momentum"] = "1.5"
		})},
	}
	for _, tt := range tests {
		_, _, cliErr, code := invoke(t, append([]string{"run", "--out", t.TempDir()}, tt.flags...)...)
		_, pageErr := tt.form.Config()
		if cliErr == nil || pageErr == nil || code != 2 { // a value out of range is a usage error: exit 2
			t.Fatalf("%v: CLI %v (exit %d), page %v", tt.flags, cliErr, code, pageErr)
		}
		if cliErr.Error() != pageErr.Error() {
			t.Errorf("%v: the CLI says %q, the page %q", tt.flags, cliErr, pageErr)
		}
	}
}

// TestServeRefusesWhatRunRefuses: a configuration over --max-memory gets
// the message "adamgap run" gives it, with the figure it would need.
func TestServeRefusesWhatRunRefuses(t *testing.T) {
	_, _, cliErr, code := invoke(t, "run", "--out", t.TempDir(), "--max-memory", "1GiB", "--d", "100000000", "--m", "1000")
	if cliErr == nil || code != 2 {
		t.Fatalf("run over --max-memory: %v, exit %d", cliErr, code)
	}
	srv, err := explorer.New(explorer.Options{Root: t.TempDir(), MaxMemory: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	f := explorer.FormOf(config.Paper())
	f.Fields["d"], f.Fields["m"] = "100000000", "1000"
	b, _ := json.Marshal(f)
	resp, err := http.Post(ts.URL+"/api/check", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var fe explorer.FieldError
	json.NewDecoder(resp.Body).Decode(&fe)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || fe.Message != cliErr.Error() {
		t.Errorf("the page says %d %q, adamgap run %q", resp.StatusCode, fe.Message, cliErr)
	}
}

// TestServeSaveIsRun: a run saved from the page holds the files "adamgap
// run" writes for its configuration, byte for byte apart from the
// wall-clock seconds (summary.json, table1.md's last row).
func TestServeSaveIsRun(t *testing.T) {
	root := t.TempDir()
	srv, err := explorer.New(explorer.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := tinyConfig()
	c.Alpha = 0.3
	b, _ := json.Marshal(explorer.FormOf(c))
	resp, err := http.Post(ts.URL+"/api/run", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	stream, _ := io.ReadAll(resp.Body) // the stream ends with the run
	resp.Body.Close()
	m := regexp.MustCompile(`event: start\ndata: \{"id":"([0-9a-f]+)"`).FindSubmatch(stream)
	if m == nil || !bytes.Contains(stream, []byte("event: result")) {
		t.Fatalf("stream: %s", stream)
	}
	resp, err = http.Post(ts.URL+"/api/run/"+string(m[1])+"/save", "application/json", strings.NewReader(`{"name": "saved"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	cli := filepath.Join(t.TempDir(), "cli")
	fields := strings.Fields(explorer.Command(c, cli))
	mustInvoke(t, fields[1:]...)
	seconds := regexp.MustCompile(`(?m)^\| Seconds \|.*$|"seconds": [0-9.e+-]+`)
	want, _ := os.ReadDir(cli)
	got, _ := os.ReadDir(filepath.Join(root, "saved"))
	if len(want) != len(got) || len(want) < 8 {
		t.Fatalf("saved %d files, adamgap run wrote %d", len(got), len(want))
	}
	for _, de := range want {
		a := seconds.ReplaceAll(read(t, filepath.Join(cli, de.Name())), nil)
		b := seconds.ReplaceAll(read(t, filepath.Join(root, "saved", de.Name())), nil)
		if !bytes.Equal(a, b) {
			t.Errorf("%s saved from the page differs from adamgap run's", de.Name())
		}
	}
}

// syncBuffer is a bytes.Buffer safe to read while the server writes.
type syncBuffer struct {
	mu  chan struct{}
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	return b.buf.String()
}

// TestServe starts the server on a free port of 127.0.0.1, reads the page
// and its defaults, and stops it by cancelling the context (Ctrl-C).
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{mu: make(chan struct{}, 1)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--root", t.TempDir()}, out, io.Discard)
	}()
	urlRe := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		url = urlRe.FindString(out.String())
	}
	if url == "" {
		cancel()
		t.Fatalf("serve printed no address: %q", out.String())
	}
	for path, want := range map[string]string{"": "adamgap explorer", "api/defaults": `"sigma_p": "0.1"`, "vendor/uplot/uPlot.iife.min.js": "uPlot"} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("GET /%s: %d, no %q", path, resp.StatusCode, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s of the signal")
	}
	if _, _, err, code := invoke(t, "serve", "--root", filepath.Join(t.TempDir(), "missing")); err == nil || code != 2 {
		t.Errorf("serve with a missing root: %v, exit %d; want a usage error", err, code)
	}
}

// TestServeOffLoopback: listening on every interface warns, prints the
// address with a one-time token, and serves nothing without the token.
func TestServeOffLoopback(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{mu: make(chan struct{}, 1)}
	errOut := &syncBuffer{mu: make(chan struct{}, 1)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "0.0.0.0:0", "--root", t.TempDir()}, out, errOut)
	}()
	urlRe := regexp.MustCompile(`http://[^/ ]+:(\d+)/\?token=([0-9a-f]{48})`)
	var m []string
	for deadline := time.Now().Add(10 * time.Second); m == nil && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		m = urlRe.FindStringSubmatch(out.String())
	}
	if m == nil {
		t.Fatalf("serve printed no address with a token: %q", out.String())
	}
	if !strings.Contains(errOut.String(), "WARNING") || !strings.Contains(errOut.String(), "ssh -L") {
		t.Errorf("no warning on stderr: %q", errOut.String())
	}
	base := "http://127.0.0.1:" + m[1] + "/"
	for path, want := range map[string]int{"api/defaults": http.StatusUnauthorized, "api/defaults?token=" + m[2]: http.StatusOK} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET /%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve stopped with %v", err)
	}
}
