package kernel

import (
	"slices"
	"strings"
	"testing"
)

// TestChoose: an empty ADAMGAP_KERNELS picks the best path, a runnable one
// is taken as named, and an unknown or unrunnable one is an error naming
// the variable, the value and what is allowed.
func TestChoose(t *testing.T) {
	paths := Paths()
	if paths[0] != Portable {
		t.Fatalf("Paths() = %v, want portable first", paths)
	}
	if got, err := Choose(""); err != nil || got != paths[len(paths)-1] {
		t.Errorf("Choose(\"\") = %q, %v; want %q", got, err, paths[len(paths)-1])
	}
	for _, p := range paths {
		if got, err := Choose(p); err != nil || got != p {
			t.Errorf("Choose(%q) = %q, %v", p, got, err)
		}
	}
	for _, bad := range []string{"avx3", "AVX2", "NEON", " portable"} {
		_, err := Choose(bad)
		if err == nil {
			t.Errorf("Choose(%q): no error", bad)
			continue
		}
		for _, want := range []string{Env, bad, "allowed: portable, avx2, avx512, neon"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("Choose(%q): %q does not say %q", bad, err, want)
			}
		}
	}
	for _, p := range known {
		if slices.Contains(paths, p) {
			continue
		}
		_, err := Choose(p)
		if err == nil || !strings.Contains(err.Error(), "cannot run") {
			t.Errorf("Choose(%q) on a machine that runs only %v: %v", p, paths, err)
		}
	}
}
