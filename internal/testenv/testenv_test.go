package testenv

import "testing"

func TestCI(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool
	}{{"", false}, {"false", false}, {"true", true}, {"1", true}} {
		t.Setenv("CI", c.v)
		if got := CI(); got != c.want {
			t.Errorf("CI=%q: CI() = %v, want %v", c.v, got, c.want)
		}
	}
}

// recorder is a testing.TB that records how a test ended instead of
// ending the calling test.
type recorder struct {
	testing.TB
	failed, skipped bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Skipf(string, ...any)  { r.skipped = true }

func TestMissing(t *testing.T) {
	for _, c := range []struct {
		ci         string
		fail, skip bool
	}{{"true", true, false}, {"", false, true}} {
		t.Setenv("CI", c.ci)
		r := &recorder{TB: t}
		Missing(r, "no %s", "tool")
		if r.failed != c.fail || r.skipped != c.skip {
			t.Errorf("CI=%q: failed %v, skipped %v; want %v, %v", c.ci, r.failed, r.skipped, c.fail, c.skip)
		}
	}
}
