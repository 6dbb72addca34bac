package sweep

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/internal/shquote"
)

// Slurm writes the scripts that run a sweep folder as a SLURM job array of
// Shards tasks (task i runs shard i/Shards) and a merge job that starts
// when every task has succeeded (--dependency=afterok:ARRAY). The folder
// must already hold sweep.yaml (WriteSpec).
type Slurm struct {
	Dir       string   // sweep folder; made absolute by Write
	Shards    int      // array tasks, >= 1
	Binary    string   // adamgap executable as the compute nodes see it
	Jobs      int      // CPUs per task (--cpus-per-task) and runs per task at once; 0: 1
	Time      string   // --time of each task, e.g. 2:00:00; empty: the partition's default
	Partition string   // --partition; empty: the default partition
	Extra     []string // further sbatch options for both jobs, e.g. --mem=2G
	Lean      bool     // pass --lean to sweep run
}

// GoRunBinary reports whether path is an executable that "go run" built in
// its temporary go-build folder (TMPDIR/go-build…/b001/exe/NAME).
func GoRunBinary(path string) bool {
	for _, part := range strings.Split(filepath.ToSlash(path), "/") {
		if strings.HasPrefix(part, "go-build") {
			return true
		}
	}
	return false
}

// Script names inside dir/slurm.
const (
	ArrayScript = "sweep.sbatch"
	MergeScript = "merge.sbatch"
	shardsFile  = "shards"
)

// SlurmDir is the folder of the scripts and logs.
func SlurmDir(dir string) string { return filepath.Join(dir, "slurm") }

// MaxShards is the largest number of array tasks: SLURM's own ceiling
// on MaxArraySize is 4000001.
const MaxShards = 4_000_000

var (
	// slurmTime is sbatch's --time: minutes, minutes:seconds,
	// hours:minutes:seconds, days-hours, days-hours:minutes,
	// days-hours:minutes:seconds, or unlimited.
	slurmTime = regexp.MustCompile(`^(\d+|\d+:\d+|\d+:\d+:\d+|\d+-\d+|\d+-\d+:\d+|\d+-\d+:\d+:\d+|(?i:unlimited|infinite))$`)
	// slurmName is a partition name, or a comma-separated list of them.
	slurmName = regexp.MustCompile(`^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$`)
)

// Validate reports the first field that cannot be written into a script
// safely: every value must be free of control characters (a newline would
// start a new #SBATCH line or command), --time and --partition must have
// sbatch's forms, and each extra option must be one option (starting
// with -).
func (s Slurm) Validate() error {
	switch {
	case s.Shards < 1 || s.Shards > MaxShards:
		return fmt.Errorf("shards=%d must be in [1, %d]", s.Shards, MaxShards)
	case s.Jobs < 0:
		return fmt.Errorf("jobs=%d must be >= 0", s.Jobs)
	case s.Binary == "":
		return fmt.Errorf("slurm: the path of the adamgap binary is empty")
	}
	if GoRunBinary(s.Binary) {
		return fmt.Errorf("slurm: --binary %s is the temporary binary of \"go run\", which compute nodes cannot see and \"go clean\" deletes; build one with \"go build -o adamgap ./cmd/adamgap\" (or go install ./cmd/adamgap) in a folder the nodes share and pass --binary", s.Binary)
	}
	fields := []struct{ name, value string }{{"out", s.Dir}, {"binary", s.Binary}, {"time", s.Time}, {"partition", s.Partition}}
	for _, e := range s.Extra {
		fields = append(fields, struct{ name, value string }{"sbatch", e})
	}
	for _, f := range fields {
		if i := strings.IndexFunc(f.value, unicode.IsControl); i >= 0 || !utf8.ValidString(f.value) {
			return fmt.Errorf("slurm: --%s %q holds a control character or invalid text; it would be written raw into the scripts", f.name, f.value)
		}
		if strings.ContainsAny(f.value, "\u2028\u2029\u0085") {
			return fmt.Errorf("slurm: --%s %q holds a line separator", f.name, f.value)
		}
	}
	if s.Time != "" && !slurmTime.MatchString(s.Time) {
		return fmt.Errorf("slurm: --time %q is not a SLURM time limit; write minutes (90), hours:minutes:seconds (2:00:00) or days-hours:minutes:seconds (1-12:00:00)", s.Time)
	}
	if s.Partition != "" && !slurmName.MatchString(s.Partition) {
		return fmt.Errorf("slurm: --partition %q is not a partition name (letters, digits, _ . -, comma-separated)", s.Partition)
	}
	for _, e := range s.Extra {
		if !strings.HasPrefix(e, "-") || strings.ContainsAny(e, "\"'`$") {
			return fmt.Errorf("slurm: --sbatch %q must be one sbatch option such as --mem=2G (starting with -, without quotes, backslashes, ` or $)", e)
		}
	}
	if strings.ContainsAny(s.Dir, "\"\\") {
		return fmt.Errorf("slurm: --out %q holds a double quote or backslash, which #SBATCH --output cannot hold", s.Dir)
	}
	return nil
}

func (s Slurm) header(name, output string) string {
	var b strings.Builder
	// sbatch reads #SBATCH lines itself: double quotes keep a path with
	// spaces in one piece.
	if strings.ContainsAny(output, " \t") {
		output = `"` + output + `"`
	}
	fmt.Fprintf(&b, "#!/bin/bash\n#SBATCH --job-name=%s\n#SBATCH --output=%s\n", name, output)
	if s.Partition != "" {
		fmt.Fprintf(&b, "#SBATCH --partition=%s\n", s.Partition)
	}
	for _, e := range s.Extra {
		fmt.Fprintf(&b, "#SBATCH %s\n", e)
	}
	return b.String()
}

// Array returns the job-array script.
func (s Slurm) Array() string {
	jobs := max(s.Jobs, 1)
	logs := filepath.Join(SlurmDir(s.Dir), "logs")
	var b strings.Builder
	b.WriteString(s.header("adamgap-sweep", filepath.Join(logs, "sweep-%A_%a.out")))
	fmt.Fprintf(&b, "#SBATCH --array=0-%d\n#SBATCH --cpus-per-task=%d\n", s.Shards-1, jobs)
	if s.Time != "" {
		fmt.Fprintf(&b, "#SBATCH --time=%s\n", s.Time)
	}
	lean := ""
	if s.Lean {
		lean = " --lean"
	}
	fmt.Fprintf(&b, `#
# Task i runs shard i/%[1]d of the sweep in %[2]s: every %[1]d-th run from run i.
# A task's exit code says whether all its runs completed. To repair a failed
# task i, submit it again alone (complete runs are skipped):
#   sbatch --array=i %[3]s
set -eu
exec %[4]s sweep run %[5]s --out %[2]s --shard "${SLURM_ARRAY_TASK_ID}/%[1]d" --jobs %[6]d%[7]s
`, s.Shards, shellQuote(s.Dir), shellQuote(filepath.Join(SlurmDir(s.Dir), ArrayScript)),
		shellQuote(s.Binary), shellQuote(filepath.Join(s.Dir, SpecFile)), jobs, lean)
	return b.String()
}

// Merge returns the merge job's script.
func (s Slurm) Merge() string {
	var b strings.Builder
	b.WriteString(s.header("adamgap-merge", filepath.Join(SlurmDir(s.Dir), "logs", "merge-%j.out")))
	fmt.Fprintf(&b, `#
# Submitted with --dependency=afterok:ARRAY_JOB: runs when every task succeeded.
set -eu
exec %s sweep merge %s --shards %d
`, shellQuote(s.Binary), shellQuote(s.Dir), s.Shards)
	return b.String()
}

// Write writes both scripts (and the logs folder SLURM needs to exist) into
// dir/slurm and returns their paths.
func (s *Slurm) Write() (array, merge string, err error) {
	if err := s.Validate(); err != nil {
		return "", "", err
	}
	if s.Dir, err = filepath.Abs(s.Dir); err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(filepath.Join(SlurmDir(s.Dir), "logs"), 0o755); err != nil {
		return "", "", fmt.Errorf("could not create %s: %w", SlurmDir(s.Dir), err)
	}
	array = filepath.Join(SlurmDir(s.Dir), ArrayScript)
	merge = filepath.Join(SlurmDir(s.Dir), MergeScript)
	for _, f := range []struct{ path, text string }{
		{array, s.Array()}, {merge, s.Merge()}, {filepath.Join(SlurmDir(s.Dir), shardsFile), strconv.Itoa(s.Shards) + "\n"},
	} {
		if err := atomicfile.WriteBytes(f.path, []byte(f.text)); err != nil {
			return "", "", err
		}
	}
	return array, merge, nil
}

// Shards returns the number of array tasks recorded by Slurm.Write in the
// sweep folder, or 0 if it was never written.
func Shards(dir string) int {
	b, err := os.ReadFile(filepath.Join(SlurmDir(dir), shardsFile))
	if err != nil {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n < 1 {
		return 0
	}
	return n
}

// Submit submits the array script, then the merge script with
// --dependency=afterok on the array job, using the sbatch executable
// (empty: "sbatch" on PATH). It returns both job ids.
func Submit(ctx context.Context, sbatch, array, merge string) (arrayID, mergeID string, err error) {
	if sbatch == "" {
		sbatch = "sbatch"
	}
	if arrayID, err = submit(ctx, sbatch, "--parsable", array); err != nil {
		return "", "", err
	}
	if mergeID, err = submit(ctx, sbatch, "--parsable", "--dependency=afterok:"+arrayID, merge); err != nil {
		return arrayID, "", err
	}
	return arrayID, mergeID, nil
}

func submit(ctx context.Context, sbatch string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, sbatch, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w: %s", sbatch, strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	// --parsable prints "jobid" or "jobid;cluster".
	id, _, _ := strings.Cut(strings.TrimSpace(out.String()), ";")
	if _, err := strconv.Atoi(id); err != nil {
		return "", fmt.Errorf("%s: unexpected output %q, want a job id", sbatch, out.String())
	}
	return id, nil
}

// ShellQuote quotes s for a POSIX shell (for command lines printed as
// hints).
func ShellQuote(s string) string { return shquote.Quote(s) }

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return shquote.Quote(s) }
