package cputime

import "testing"

// TestThreadCounts: spinning on the thread makes its CPU time grow.
func TestThreadCounts(t *testing.T) {
	if !Supported {
		t.Skip("no thread CPU time on this system")
	}
	start := Thread()
	x := 0.0
	for i := range 100_000_000 {
		x += float64(i)
	}
	if got := Thread() - start; got <= 0 {
		t.Errorf("CPU time after 1e8 additions (sum %g): %v, want > 0", x, got)
	}
}
