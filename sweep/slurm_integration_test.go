package sweep_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/adamgap/adamgap/internal/testenv"
	"github.com/adamgap/adamgap/sweep"
)

// The integration test's sweep: 8 runs of about a second, 4 array tasks.
const slurmSpec = `name: slurm-test
base: {d: 100, n: 20, s: 10, steps: 200, test_size: 500, log_every: 50, test_every: 0}
grid:
  alpha: [0, 0.1, 0.2, 0.3]
seeds: 2
`

// TestSlurmIntegration starts a real single-node SLURM cluster (munged, slurmctld,
// slurmd, as root, on 127.0.0.1, with its configuration written by
// testdata/slurm/setup.sh) and runs a sweep through it:
//  1. "adamgap sweep slurm --submit" runs 8 runs as a 4-task array and the
//     merge job after it; every run is in results.csv exactly once;
//  2. a sweep whose task 2 fails on purpose (a file stands where a run
//     folder must go): the task shows FAILED with exit code 1, the merge
//     job is cancelled, and "sweep merge" names the missing run and its
//     shard;
//  3. submitting task 2 alone again repairs the sweep, training only the
//     missing run.
//
// The daemons are the test's child processes, stopped by PID at the end.
// Without SLURM installed the test is skipped, unless CI is set.
func TestSlurmIntegration(t *testing.T) {
	need := func(format string, args ...any) {
		t.Helper()
		testenv.Missing(t, "SLURM integration test: %s", fmt.Sprintf(format, args...))
	}
	if testing.Short() && !testenv.CI() {
		t.Skip("SLURM integration test skipped in -short mode")
	}
	for _, prog := range []string{"munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scontrol", "scancel"} {
		if _, err := exec.LookPath(prog); err != nil {
			need("%s is not installed (apt-get install slurm-wlm munge)", prog)
		}
	}
	if os.Geteuid() != 0 {
		need("the daemons must run as root (uid is %d)", os.Geteuid())
	}
	host, err := exec.Command("hostname", "-s").Output()
	if err != nil {
		need("hostname -s: %v", err)
	}
	hostname := strings.TrimSpace(string(host))
	if addrs, err := net.LookupHost(hostname); err != nil || !slices.Contains(addrs, "127.0.0.1") {
		need("hostname -s = %q must resolve to 127.0.0.1 (got %v, %v); add it to /etc/hosts", hostname, addrs, err)
	}

	start := time.Now()
	root := t.TempDir()
	cluster := filepath.Join(root, "cluster")
	bin := testenv.BuildCLI(t)
	startCluster(t, cluster)
	t.Logf("cluster up %.1fs after the start (binary built)", time.Since(start).Seconds())

	specPath := filepath.Join(root, "spec.yaml")
	if err := os.WriteFile(specPath, []byte(slurmSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	spec, err := sweep.ParseSpec([]byte(slurmSpec))
	if err != nil {
		t.Fatal(err)
	}
	runs, err := spec.Plan()
	if err != nil {
		t.Fatal(err)
	}

	// 1. A clean sweep.
	good := filepath.Join(root, "good")
	arrayID, mergeID := submitSweep(t, bin, specPath, good)
	waitJobs(t, arrayID, mergeID)
	for i := range 4 {
		if st := jobField(t, fmt.Sprintf("%s_%d", arrayID, i), "JobState"); st != "COMPLETED" {
			t.Errorf("array task %d: %s, want COMPLETED", i, st)
		}
	}
	if st := jobField(t, mergeID, "JobState"); st != "COMPLETED" {
		t.Fatalf("merge job: %s, want COMPLETED; log:\n%s", st, logs(t, good))
	}
	checkEveryRunOnce(t, good, runs)
	t.Logf("clean sweep done %.1fs after the start", time.Since(start).Seconds())

	// 2. Task 2 fails.
	bad := filepath.Join(root, "bad")
	blocked := sweep.Shard{I: 2, N: 4}.Select(runs)[0]
	if err := os.MkdirAll(filepath.Join(bad, "runs"), 0o755); err != nil {
		t.Fatal(err)
	}
	blocker := sweep.RunDir(bad, blocked.ID)
	if err := os.WriteFile(blocker, []byte("a file where the run folder must go\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	arrayID, mergeID = submitSweep(t, bin, specPath, bad)
	waitJobs(t, arrayID, mergeID)
	task2 := arrayID + "_2"
	if st, code := jobField(t, task2, "JobState"), jobField(t, task2, "ExitCode"); st != "FAILED" || code != "1:0" {
		t.Errorf("task 2: state %s exit code %s, want FAILED 1:0", st, code)
	}
	for _, i := range []int{0, 1, 3} {
		if st := jobField(t, fmt.Sprintf("%s_%d", arrayID, i), "JobState"); st != "COMPLETED" {
			t.Errorf("task %d: %s, want COMPLETED", i, st)
		}
	}
	if st, why := jobField(t, mergeID, "JobState"), jobField(t, mergeID, "Reason"); st != "CANCELLED" || why != "DependencyNeverSatisfied" {
		t.Errorf("merge job after a failed task: %s (%s), want CANCELLED (DependencyNeverSatisfied)", st, why)
	}
	out, err := exec.Command(bin, "sweep", "merge", bad).CombinedOutput()
	if err == nil {
		t.Fatalf("sweep merge succeeded with a run missing:\n%s", out)
	}
	for _, w := range []string{"1 of 8 runs missing", "missing " + blocked.ID, "(shard 2/4)", "--shard 2/4"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("sweep merge output does not mention %q:\n%s", w, out)
		}
	}

	// 3. Re-running task 2 alone repairs it.
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	repair := strings.TrimSpace(run(t, "sbatch", "--parsable", "--array=2", filepath.Join(bad, "slurm", sweep.ArrayScript)))
	repair, _, _ = strings.Cut(repair, ";")
	waitJobs(t, repair)
	if st := jobField(t, repair+"_2", "JobState"); st != "COMPLETED" {
		t.Fatalf("repair task: %s, want COMPLETED; logs:\n%s", st, logs(t, bad))
	}
	log, _ := os.ReadFile(filepath.Join(bad, "slurm", "logs", fmt.Sprintf("sweep-%s_2.out", repair)))
	if !strings.Contains(string(log), "2 runs: 1 complete before, 1 done now") {
		t.Errorf("the repair task should train only the missing run; its log:\n%s", log)
	}
	if out, err := exec.Command(bin, "sweep", "merge", bad).CombinedOutput(); err != nil {
		t.Fatalf("sweep merge after the repair: %v\n%s", err, out)
	}
	checkEveryRunOnce(t, bad, runs)
	t.Logf("failure and repair done %.1fs after the start", time.Since(start).Seconds())
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startCluster writes the configuration with setup.sh, starts the three
// daemons in the foreground as children of the test and registers their
// shutdown, by PID, with t.Cleanup. Client commands find the cluster
// through SLURM_CONF.
func startCluster(t *testing.T, dir string) {
	setup, err := filepath.Abs(filepath.Join("testdata", "slurm", "setup.sh"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("bash", setup, dir, fmt.Sprint(freePort(t)), fmt.Sprint(freePort(t))).Output()
	if err != nil {
		t.Fatalf("setup.sh: %v", err)
	}
	t.Setenv("SLURM_CONF", filepath.Join(dir, "slurm.conf"))
	var daemons []*exec.Cmd
	t.Cleanup(func() {
		// Cancel whatever is left, then stop the daemons, newest first.
		_ = exec.Command("scancel", "--quiet", "--user=root").Run()
		for i := len(daemons) - 1; i >= 0; i-- {
			stop(t, daemons[i])
		}
		if t.Failed() {
			for _, name := range []string{"log/slurmctld.log", "log/slurmd.log"} {
				b, _ := os.ReadFile(filepath.Join(dir, name))
				t.Logf("%s (last 2000 bytes):\n%s", name, tail(b, 2000))
			}
		}
	})
	ready := []func() bool{
		func() bool { _, err := os.Stat(filepath.Join(dir, "munge", "run", "munge.socket")); return err == nil },
		func() bool { return exec.Command("scontrol", "ping").Run() == nil },
		func() bool {
			out, err := exec.Command("sinfo", "-h", "-o", "%T").Output()
			return err == nil && strings.TrimSpace(string(out)) == "idle"
		},
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for i := 0; sc.Scan(); i++ {
		args := strings.Fields(sc.Text())
		cmd := exec.Command(args[0], args[1:]...)
		logf, err := os.Create(filepath.Join(dir, "log", filepath.Base(args[0])+".out"))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = logf, logf
		// Its own process group: a ^C to the test does not kill it
		// before the cleanup does.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatalf("%s: %v", args[0], err)
		}
		daemons = append(daemons, cmd)
		if i < len(ready) {
			waitFor(t, 30*time.Second, args[0]+" ready", ready[i])
		}
	}
	if len(daemons) != 3 {
		t.Fatalf("setup.sh printed %d commands, want 3:\n%s", len(daemons), out)
	}
}

// stop ends a daemon by its PID: SIGTERM, then SIGKILL after 10 s.
func stop(t *testing.T, cmd *exec.Cmd) {
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Logf("%s (pid %d) ignored SIGTERM; killing it", cmd.Path, cmd.Process.Pid)
		_ = cmd.Process.Kill()
		<-done
	}
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

var submitted = regexp.MustCompile(`Submitted array job (\d+) \(4 tasks\) and merge job (\d+) \(afterok:(\d+)\)`)

func submitSweep(t *testing.T, bin, spec, dir string) (arrayID, mergeID string) {
	t.Helper()
	out := run(t, bin, "sweep", "slurm", spec, "--shards", "4", "--out", dir, "--binary", bin, "--submit")
	m := submitted.FindStringSubmatch(out)
	if m == nil || m[3] != m[1] {
		t.Fatalf("sweep slurm --submit printed:\n%s", out)
	}
	return m[1], m[2]
}

// waitJobs waits until none of the jobs is pending or running.
func waitJobs(t *testing.T, ids ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	waitFor(t, 3*time.Minute, "jobs "+strings.Join(ids, ","), func() bool {
		out, err := exec.CommandContext(ctx, "squeue", "-h", "-j", strings.Join(ids, ","), "-t", "PENDING,RUNNING,CONFIGURING,COMPLETING", "-o", "%i").Output()
		return err == nil && strings.TrimSpace(string(out)) == ""
	})
}

// jobField returns one field of "scontrol show job" (SLURM keeps finished
// jobs for MinJobAge, 300 s by default; without accounting sacct cannot be
// used).
func jobField(t *testing.T, id, field string) string {
	t.Helper()
	out := run(t, "scontrol", "-o", "show", "job", id)
	for _, f := range strings.Fields(out) {
		if k, v, ok := strings.Cut(f, "="); ok && k == field {
			return v
		}
	}
	t.Fatalf("scontrol show job %s has no %s:\n%s", id, field, out)
	return ""
}

func checkEveryRunOnce(t *testing.T, dir string, runs []sweep.Run) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, sweep.MergedFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range recs[1:] {
		count[r[0]+"/"+r[slices.Index(recs[0], "optimizer")]]++
	}
	for _, r := range runs {
		for _, o := range r.Config.Optimizers {
			if n := count[r.ID+"/"+o.Name]; n != 1 {
				t.Errorf("%s: run %s (%s) optimizer %s has %d rows, want 1", sweep.MergedFile, r.ID, r.Label(), o.Name, n)
			}
		}
	}
	if len(recs)-1 != 2*len(runs) {
		t.Errorf("%s has %d rows, want %d", sweep.MergedFile, len(recs)-1, 2*len(runs))
	}
}

func logs(t *testing.T, dir string) string {
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(dir, "slurm", "logs", "*"))
	for _, f := range files {
		c, _ := os.ReadFile(f)
		fmt.Fprintf(&b, "== %s\n%s", f, c)
	}
	return b.String()
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
