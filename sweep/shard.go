package sweep

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Shard selects every N-th run of a plan, starting at I: shard I of N
// holds the runs whose Index % N == I. The zero Shard (N = 0) is the whole
// plan.
type Shard struct {
	I, N int
}

// ParseShard reads "i/N" with 0 ≤ i < N.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard=%q must be i/N, e.g. 0/4", s)
	}
	sh := Shard{I: i, N: n}
	if n < 1 {
		return Shard{}, fmt.Errorf("shard=%q: want i/N with N >= 1 and 0 <= i < N", s)
	}
	return sh, sh.Validate()
}

// ShardFromEnv returns the shard of a SLURM array task:
// SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT. It returns ok = false
// outside an array task. (An array submitted as --array=0-(N-1) gives task
// i of N; scripts from Slurm pass --shard explicitly, which also holds when
// a single task is submitted again.)
func ShardFromEnv(getenv func(string) string) (sh Shard, ok bool, err error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	id, count := getenv("SLURM_ARRAY_TASK_ID"), getenv("SLURM_ARRAY_TASK_COUNT")
	if id == "" && count == "" {
		return Shard{}, false, nil
	}
	sh, err = ParseShard(id + "/" + count)
	if err != nil {
		return Shard{}, false, fmt.Errorf("SLURM_ARRAY_TASK_ID=%q, SLURM_ARRAY_TASK_COUNT=%q: %w", id, count, err)
	}
	return sh, true, nil
}

// Validate checks 0 ≤ I < N (or the zero Shard).
func (s Shard) Validate() error {
	if s == (Shard{}) {
		return nil
	}
	if s.N < 1 || s.I < 0 || s.I >= s.N {
		return fmt.Errorf("shard=%d/%d: want i/N with N >= 1 and 0 <= i < N", s.I, s.N)
	}
	return nil
}

// String is "i/N", or "all" for the whole plan.
func (s Shard) String() string {
	if s.N == 0 {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

// Select returns the runs of the shard, in plan order.
func (s Shard) Select(runs []Run) []Run {
	if s.N == 0 {
		return runs
	}
	var out []Run
	for _, r := range runs {
		if r.Index%s.N == s.I {
			out = append(out, r)
		}
	}
	return out
}
