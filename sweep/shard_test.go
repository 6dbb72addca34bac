package sweep

import (
	"strings"
	"testing"
)

func TestShardsCoverEveryRunOnce(t *testing.T) {
	runs := mustPlan(t, mustSpec(t, tinyBase+"grid:\n  alpha: [0, 0.1, 0.2]\n  sigma_p: [0.1, 0.2]\nseeds: 3\n")) // 18 runs
	for _, n := range []int{1, 2, 3, 4, 5, 7, 18, 25} {
		count := map[string]int{}
		for i := range n {
			sh := Shard{I: i, N: n}
			for _, r := range sh.Select(runs) {
				count[r.ID]++
				if r.Index%n != i {
					t.Errorf("N=%d: shard %d holds run %d", n, i, r.Index)
				}
			}
		}
		for _, r := range runs {
			if count[r.ID] != 1 {
				t.Errorf("N=%d: run %d (%s) is in %d shards, want exactly 1", n, r.Index, r.ID, count[r.ID])
			}
		}
	}
	if got := (Shard{}).Select(runs); len(got) != len(runs) {
		t.Errorf("the zero shard selects %d runs, want all %d", len(got), len(runs))
	}
}

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		err  string
	}{
		{"0/4", Shard{0, 4}, ""},
		{"3/4", Shard{3, 4}, ""},
		{" 1 / 2 ", Shard{1, 2}, ""},
		{"4/4", Shard{}, "0 <= i < N"},
		{"-1/4", Shard{}, "0 <= i < N"},
		{"0/0", Shard{}, "N >= 1"},
		{"1", Shard{}, "i/N"},
		{"a/b", Shard{}, "i/N"},
	} {
		got, err := ParseShard(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParseShard(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseShard(%q) error %v, want one mentioning %q", tc.in, err, tc.err)
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	sh, ok, err := ShardFromEnv(env(map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "5"}))
	if err != nil || !ok || sh != (Shard{2, 5}) {
		t.Errorf("array task 2 of 5: %v %v %v", sh, ok, err)
	}
	if _, ok, err := ShardFromEnv(env(nil)); ok || err != nil {
		t.Errorf("outside SLURM: ok=%v err=%v, want false, nil", ok, err)
	}
	if _, _, err := ShardFromEnv(env(map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "5"})); err == nil || !strings.Contains(err.Error(), "SLURM_ARRAY_TASK_ID") {
		t.Errorf("task 5 of 5: error %v, want one naming SLURM_ARRAY_TASK_ID", err)
	}
}
