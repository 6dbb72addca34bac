package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestSpecBounds: sizes beyond the bounds are refused before anything is
// expanded, with the figure and the bound.
func TestSpecBounds(t *testing.T) {
	grid := func(k int) string {
		var b strings.Builder
		b.WriteString(tinyBase + "grid:\n")
		for i, key := range []string{"alpha", "sigma_p", "sigma0", "lambda", "s", "m", "q", "steps"}[:k] {
			vals := make([]string, 20)
			for j := range vals {
				vals[j] = fmt.Sprint(j + 1 + 100*i)
			}
			fmt.Fprintf(&b, "  %s: [%s]\n", key, strings.Join(vals, ", "))
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, text, want string
	}{
		{"a billion seeds", tinyBase + "seeds: 1000000000\n", "seeds: 1000000000 seeds, more than 10000"},
		{"a long seed list", tinyBase + "seeds: [" + strings.Repeat("1, ", MaxAxisValues) + "1]\n", "more than 10000"},
		{"a 20^8 grid", grid(8), "the plan has more than 100000 runs"},
		{"a long axis", tinyBase + "grid:\n  alpha: [" + strings.Repeat("0.1, ", MaxAxisValues) + "0.1]\n", "10001 values, more than 10000 per axis"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := ParseSpec([]byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseSpec = %v, want an error containing %q", err, tc.want)
			}
			t.Logf("refused in %v", time.Since(start))
		})
	}
}

// TestPlanCancelled: planning stops with the context's error.
func TestPlanCancelled(t *testing.T) {
	s := mustSpec(t, tinyBase+"seeds: 50\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.PlanContext(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("PlanContext after cancel: %v", err)
	}
}

// TestLoadSpecCap: /dev/zero fails at once rather than filling memory.
func TestLoadSpecCap(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	if _, err := LoadSpec("/dev/zero"); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("LoadSpec(/dev/zero) = %v", err)
	}
}

// TestRunLockedElsewhere: a run whose lock another process holds is not
// trained; the error says who holds it, and the run is trained once the
// lock is free.
func TestRunLockedElsewhere(t *testing.T) {
	dir := t.TempDir()
	runs := mustPlan(t, mustSpec(t, tinyBase+"seeds: 2\n"))
	release, err := lockRun(dir, runs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	// Another open file description stands for another process: flock
	// locks are per open file, so this conflicts as a second process would.
	rep, err := Executor{Dir: dir, Jobs: 1, Lean: true}.Run(context.Background(), runs)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("pid %d on host", os.Getpid())) {
		t.Fatalf("Run with a held lock: %v, want an error naming the holder", err)
	}
	if rep.Held != 1 || rep.Done != 1 || Complete(dir, runs[0].ID) {
		t.Fatalf("report %+v; run 0 complete: %v", rep, Complete(dir, runs[0].ID))
	}
	release()
	rep, err = Executor{Dir: dir, Jobs: 1, Lean: true}.Run(context.Background(), runs)
	if err != nil || rep.Done != 1 || rep.Skipped != 1 {
		t.Fatalf("after release: %+v, %v", rep, err)
	}
}

// TestExecutorMemoryLimit: runs that need more than the limit together are
// refused before any is started.
func TestExecutorMemoryLimit(t *testing.T) {
	runs := mustPlan(t, mustSpec(t, tinyBase+"seeds: 4\n"))
	_, err := Executor{Dir: t.TempDir(), Jobs: 4, Lean: true, MaxMemory: 1 << 10}.Run(context.Background(), runs)
	if err == nil || !strings.Contains(err.Error(), "4 runs at once need up to") || !strings.Contains(err.Error(), "more than the limit of 1 KiB") {
		t.Fatalf("Run = %v", err)
	}
}

// FuzzSpecExpansion sends arbitrary specifications through ParseSpec and
// Plan: no panic, the plan has Count() runs, never more than MaxRuns.
func FuzzSpecExpansion(f *testing.F) {
	f.Add(tinyBase + "grid:\n  alpha: [0.1, 0.2]\nseeds: 3\n")
	f.Add(tinyBase + "zip:\n  alpha: [0.1, 0.2]\n  sigma_p: [1, 2]\nseeds: [4, 5]\n")
	f.Add(tinyBase + "seeds: 1000000000\n")
	f.Add("grid:\n  q: [1, 2000000000]\n  m: [9223372036854775807]\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSpec([]byte(text))
		if err != nil {
			return
		}
		n, err := s.Count()
		if err != nil {
			t.Fatalf("ParseSpec accepted a spec that Count refuses: %v", err)
		}
		if n > MaxRuns {
			t.Fatalf("Count() = %d > MaxRuns", n)
		}
		if n > 200 {
			return // planning is linear in the runs; keep the fuzzer fast
		}
		runs, err := s.Plan()
		if err == nil && len(runs) != n {
			t.Fatalf("Plan made %d runs, Count says %d", len(runs), n)
		}
		for _, r := range runs {
			_ = r.Config.Estimate(1).Check(1 << 40)
		}
	})
}

// A sweep whose runs at once need more than 1 GiB says so before it starts
// (issue 20); a small one says nothing.
func TestMemoryNote(t *testing.T) {
	big := mustPlan(t, mustSpec(t, "base: {d: 100000, n: 100000, s: 1000, steps: 10, test_size: 100}\nseeds: 2\n"))
	note, err := Executor{MaxMemory: 1 << 40}.checkMemory(big, 2)
	if err != nil || !strings.HasPrefix(note, "memory: the largest run") || !strings.Contains(note, "GiB; with 2 at once, up to ") {
		t.Errorf("d = n = 100000: note %q, %v; want the estimate of 2 runs at once", note, err)
	}
	small := mustPlan(t, mustSpec(t, tinyBase))
	if note, err := (Executor{}).checkMemory(small, 2); note != "" || err != nil {
		t.Errorf("tiny runs: note %q, %v; want none", note, err)
	}
}
