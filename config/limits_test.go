package config

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateBounds: integers beyond what the index types and the
// activation allow are refused by Validate, naming the field and the bound.
func TestValidateBounds(t *testing.T) {
	checkValidateRejects(t, []validateReject{
		{"d beyond int32", with(func(c *Config) { c.D = 3_000_000_000 }), "d=3000000000 must be at most 2147483646"},
		{"n entries beyond int32", with(func(c *Config) { c.N = 100_000_000 }), "n=100000000 with s=100 stores"},
		{"test entries beyond int32", with(func(c *Config) { c.TestSize = 1_000_000_000 }), "test_size=1000000000"},
		// With gaussian noise an example stores d entries, whatever s is:
		// the message names d, not s.
		{"gaussian n entries beyond int32", with(func(c *Config) { c.Noise, c.D, c.N = "gaussian", 20_000_000, 200 }),
			"n=200 with noise=gaussian and d=20000000 (d entries an example) stores 4000000200 non-zero entries, more than 2147483647 (offsets are int32); use a smaller n or d"},
		{"gaussian test entries beyond int32", with(func(c *Config) { c.Noise, c.D, c.N, c.TestSize = "gaussian", 1_000_000, 200, 3000 }),
			"test_size=3000 with noise=gaussian and d=1000000"},
		{"m huge", with(func(c *Config) { c.M = math.MaxInt }), "m=9223372036854775807 must be at most"},
		{"q huge", with(func(c *Config) { c.Q = 2_000_000_000 }), "q=2e+09 must be at most 64"},
		{"steps huge", with(func(c *Config) { c.Steps = math.MaxInt }), "steps=9223372036854775807 must be at most"},
	})
	if err := with(func(c *Config) { c.Q = MaxQ }).Validate(); err != nil {
		t.Errorf("q=%d refused: %v", MaxQ, err)
	}
}

// TestEstimate: the estimate grows with each size, is refused with the
// figure and the limit, and the paper's run fits in 1 GiB.
func TestEstimate(t *testing.T) {
	p := Paper()
	if err := p.Estimate(0).Check(1 << 30); err != nil {
		t.Fatalf("paper run refused under 1 GiB: %v", err)
	}
	t.Logf("paper run: %s", FormatBytes(p.Estimate(0).Total()))
	grow := map[string]func(*Config){
		"d":         func(c *Config) { c.D *= 10 },
		"n":         func(c *Config) { c.N *= 10 },
		"s":         func(c *Config) { c.S *= 5 },
		"test_size": func(c *Config) { c.TestSize *= 10 },
		"m":         func(c *Config) { c.M *= 10 },
		"steps":     func(c *Config) { c.Steps *= 1000 },
		"log_every": func(c *Config) { c.LogEvery = 1 },
	}
	for name, f := range grow {
		c := Paper()
		f(&c)
		if !(c.Estimate(0).Total() > p.Estimate(0).Total()) {
			t.Errorf("estimate does not grow with %s", name)
		}
	}
	if !(p.Estimate(2).Total() > p.Estimate(1).Total()) {
		t.Error("estimate does not grow with jobs")
	}
	// The reproductions of the issue: each refused under 4 GiB.
	for _, f := range []func(*Config){
		func(c *Config) { c.D, c.M = 100_000, 100_000 },
		func(c *Config) { c.D, c.N, c.S, c.M = 1_000_000_000, 10, 5, 4 },
		func(c *Config) { c.TestSize = 100_000_000 },
		func(c *Config) { c.Steps, c.LogEvery, c.TestEvery = 100_000_000, 1, 0 },
	} {
		c := Paper()
		f(&c)
		err := c.Estimate(0).Check(4 << 30)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than the limit of 4 GiB") {
			t.Errorf("%+v: Check = %v, want ErrTooLarge naming the limit", c, err)
		}
	}
}

func TestParseBytes(t *testing.T) {
	good := map[string]int64{"8GiB": 8 << 30, "512MiB": 512 << 20, "2e9": 2e9, "500MB": 5e8, "1.5 GiB": 3 << 29, "100": 100, "2g": 2 << 30}
	for in, want := range good {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1GiB", "lots", "1XB", "1e30", "NaN"} {
		if _, err := ParseBytes(in); err == nil {
			t.Errorf("ParseBytes(%q) accepted", in)
		}
	}
	if DefaultMaxMemory() <= 0 {
		t.Error("DefaultMaxMemory() <= 0")
	}
}

// TestLoadCapsAndResolves: a file larger than the cap fails at once, and a
// relative data_from names a file beside the configuration.
func TestLoadCapsAndResolves(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := Load("/dev/zero", Paper()); err == nil || !strings.Contains(err.Error(), "more than") {
			t.Errorf("Load(/dev/zero) = %v, want a size error", err)
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "c.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("data_from: x.npz\ninit_from: /abs/w.npz\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, Paper())
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "sub", "x.npz"); c.DataFrom != want || c.InitFrom != "/abs/w.npz" {
		t.Errorf("Load: data_from=%q init_from=%q, want %q and /abs/w.npz", c.DataFrom, c.InitFrom, want)
	}
	// A configuration named by a relative path: data_from comes back
	// absolute (issue 20: "r1/cao.npz" could not be re-run from elsewhere).
	t.Chdir(dir)
	c, err = Load(filepath.Join("sub", "c.yaml"), Paper())
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "sub", "x.npz"); !filepath.IsAbs(c.DataFrom) || c.DataFrom != want {
		t.Errorf("Load(sub/c.yaml): data_from=%q, want %q", c.DataFrom, want)
	}
}

// FuzzValidateEstimate sends arbitrary sizes through Validate and the
// memory estimate: neither may panic, and a configuration that validates
// has a finite, positive estimate that grows with the number of jobs.
func FuzzValidateEstimate(f *testing.F) {
	f.Add(1000, 200, 100, 10000, 20, 3, 10000, 100, 1000, 0)
	f.Add(3_000_000_000, 10, 5, 1, 4, 3, 1, 1, 0, 0)
	f.Add(100000, 10, 5, 1, 100000, 2_000_000_000, 100_000_000, 1, 0, 1)
	f.Fuzz(func(t *testing.T, d, n, s, test, m, q, steps, logEvery, testEvery, batch int) {
		c := Paper()
		c.D, c.N, c.S, c.TestSize, c.M, c.Q = d, n, s, test, m, float64(q)
		c.Steps, c.LogEvery, c.TestEvery, c.BatchSize = steps, logEvery, testEvery, batch
		err := c.Validate()
		e1, e2 := c.Estimate(1), c.Estimate(2)
		_ = e1.Check(DefaultMaxMemory())
		if err != nil {
			return
		}
		if tot := e1.Total(); !(tot > 0) || math.IsInf(tot, 0) || e2.Total() < tot {
			t.Fatalf("%+v: estimate %v (jobs 1), %v (jobs 2)", c, tot, e2.Total())
		}
	})
}

// TestEstimateNote: the note a run prints before it starts: nothing up to
// NoteMemory, the figure, its largest part and the limit above it, and
// nothing over the limit, where Check's refusal says the same (a refused
// run printed both).
func TestEstimateNote(t *testing.T) {
	e := Estimate{Parts: []Part{{"weights", 1 << 20}, {"test set", 3 << 30}}}
	if got, want := e.Note(8<<30), "memory: this run needs about 3 GiB (largest part: test set, 3 GiB; limit 8 GiB, --max-memory)"; got != want {
		t.Errorf("Note = %q, want %q", got, want)
	}
	if got := e.Note(2 << 30); got != "" || e.Check(2<<30) == nil {
		t.Errorf("over the limit: Note = %q, Check = %v; want no note and a refusal", got, e.Check(2<<30))
	}
	if got := (Estimate{Parts: []Part{{"weights", 1 << 20}}}).Note(8 << 30); got != "" {
		t.Errorf("a small run: Note = %q, want none", got)
	}
}
