//go:build linux

package explorer

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/adamgap/adamgap/config"
)

// loadServerEnv, when set, makes TestLoad the server of the load test: a
// separate process, so that its peak RSS is the server's alone.
const loadServerEnv = "ADAMGAP_LOAD_SERVER"

// Load test figures (see TestLoad).
const (
	loadLimit    = 1 << 30   // --max-memory 1GiB
	loadOverhead = 256 << 20 // the fixed overhead allowed above it
	loadRuns     = 50
	loadSSE      = 200
	loadIdle     = 500
)

// loadConfig is a run whose estimate (≈158 MB, most of it the test set)
// lets about six fit in the budget at once; it trains in well under a
// second.
func loadConfig() config.Config {
	c := config.Paper()
	c.TestSize = 60_000
	c.Steps, c.LogEvery, c.TestEvery = 20, 10, 0
	return c
}

// TestLoad holds 500 idle connections, 50 submitted runs and 200 streams
// of their events against one server (a child process) with
// --max-memory 1GiB and 16 slots, so that memory, not cores, limits the
// runs at once; every run must finish, and the server's peak RSS
// (VmHWM) must stay below the limit plus a fixed overhead of 256 MiB.
// It logs the figures. Skipped with -short.
//
//	go test ./explorer -run TestLoad -v
func TestLoad(t *testing.T) {
	if os.Getenv(loadServerEnv) != "" {
		loadServer(t)
		return
	}
	if testing.Short() {
		t.Skip("load test skipped with -short")
	}
	root := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoad$", "-test.v")
	cmd.Env = append(os.Environ(), loadServerEnv+"="+root)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	sc := bufio.NewScanner(out)
	addr := ""
	for sc.Scan() {
		if a, ok := strings.CutPrefix(sc.Text(), "LISTENING "); ok {
			addr = a
			break
		}
	}
	if addr == "" {
		t.Fatal("the server process printed no address")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	base := "http://" + addr
	startRSS := rssKiB(t, cmd.Process.Pid, "VmRSS")
	began := time.Now()

	// 500 idle connections: half send nothing, half one request and then
	// sit on the kept-alive connection.
	var idle []net.Conn
	for i := range loadIdle {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("idle connection %d: %v", i, err)
		}
		if i%2 == 1 {
			fmt.Fprintf(c, "GET /api/defaults HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		}
		idle = append(idle, c)
	}
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()

	// 50 runs, each watched by 4 streams (200 in all), all to the end.
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: 300}}
	form := FormOf(loadConfig())
	var wg sync.WaitGroup
	var refused, finished, streamsDone, streamErrs atomic.Int64
	for range loadRuns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := postWith(t, client, base+"/api/run", form)
			if resp.StatusCode != http.StatusOK {
				refused.Add(1)
				t.Errorf("run refused: %d %s", resp.StatusCode, readAll(t, resp))
				return
			}
			evs := events(resp)
			var id string
			for ev := range evs {
				if ev.name == "start" {
					id = decode[Start](t, ev.data).ID
					break
				}
			}
			for range loadSSE/loadRuns - 1 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := client.Get(base + "/api/run/" + id + "/events")
					if err != nil {
						streamErrs.Add(1)
						return
					}
					for ev := range events(r) {
						if ev.name == "result" {
							streamsDone.Add(1)
						}
					}
				}()
			}
			for ev := range evs {
				if ev.name == "result" {
					if res := decode[Result](t, ev.data); res.Stopped == "" && len(res.Runs) == 2 {
						finished.Add(1)
					} else {
						t.Errorf("a run did not finish: %s", res.Stopped)
					}
				}
			}
			streamsDone.Add(1)
		}()
	}
	wg.Wait()
	peak := rssKiB(t, cmd.Process.Pid, "VmHWM")
	after := rssKiB(t, cmd.Process.Pid, "VmRSS")
	closed := 0
	for _, c := range idle {
		c.SetReadDeadline(time.Now().Add(time.Millisecond))
		if _, err := c.Read(make([]byte, 4096)); err != nil && !isTimeout(err) {
			closed++
		}
	}
	t.Logf("load: %d runs (%d finished, %d refused), %d streams read to the end (%d failed), %d idle connections (%d closed by the server's timeouts by the end) in %.1f s",
		loadRuns, finished.Load(), refused.Load(), streamsDone.Load(), streamErrs.Load(), loadIdle, closed, time.Since(began).Seconds())
	t.Logf("server RSS: %.0f MiB at start, peak %.0f MiB, %.0f MiB after; limit %d MiB + overhead %d MiB",
		float64(startRSS)/1024, float64(peak)/1024, float64(after)/1024, loadLimit>>20, loadOverhead>>20)
	if finished.Load() != loadRuns || streamsDone.Load() != loadSSE {
		t.Errorf("%d of %d runs finished, %d of %d streams saw the result", finished.Load(), loadRuns, streamsDone.Load(), loadSSE)
	}
	if peak*1024 > loadLimit+loadOverhead {
		t.Errorf("peak RSS %d MiB above the limit plus overhead (%d MiB)", peak/1024, (loadLimit+loadOverhead)>>20)
	}
}

// loadServer is the child process of TestLoad: the explorer as "adamgap
// serve --max-memory 1GiB" runs it (HTTPServer, the soft memory limit of
// the Go runtime set as serve sets it), with 16 slots and a queue that
// holds all the runs.
func loadServer(t *testing.T) {
	debug.SetMemoryLimit(SoftMemoryLimit(loadLimit))
	s, err := New(Options{Root: os.Getenv(loadServerEnv), MaxMemory: loadLimit, MaxRuns: 16, MaxQueue: loadRuns})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("LISTENING %s\n", ln.Addr())
	hs := HTTPServer(s)
	hs.Serve(ln) // until the parent kills the process
}

func postWith(t *testing.T, c *http.Client, url string, v any) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), "POST", url, jsonBody(t, v))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// rssKiB reads a field (VmRSS, VmHWM) of /proc/PID/status, in KiB.
func rssKiB(t *testing.T, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
