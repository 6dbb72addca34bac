package main

import (
	"strings"
	"testing"

	"github.com/adamgap/adamgap/internal/testenv"
)

// TestBinaryDeps: what the adamgap binary links is what a user runs.
// chromedp drives a browser in explorer's tests only, and no test helper
// (testing, internal/testenv, internal/golden, internal/fixture,
// internal/cputime) is linked (issue 20 item 9).
// The heavy modules that stay are each needed by a command: gonum/optimize
// (convex's L-BFGS, which brings golang.org/x/tools/container/intsets),
// npyio (data.npz, weights.npz; it brings gopickle), gonum/plot (every
// figure; it brings go-latex, go-pdf and the Liberation fonts).
func TestBinaryDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out := testenv.Go(t, "list", "-deps", ".")
	for _, p := range strings.Fields(string(out)) {
		for _, bad := range []string{"github.com/chromedp/", "testing", "github.com/adamgap/adamgap/internal/testenv", "github.com/adamgap/adamgap/internal/golden", "github.com/adamgap/adamgap/internal/fixture", "github.com/adamgap/adamgap/internal/cputime"} {
			if p == bad || (strings.HasSuffix(bad, "/") && strings.HasPrefix(p, bad)) || strings.HasPrefix(p, bad+"/") {
				t.Errorf("the binary links %s, which only tests use", p)
			}
		}
	}
	// Nothing reachable calls reflect's MethodByName (cobra's templates
	// do, through text/template): the linker would then keep every
	// exported method, 7 MB of them (issue 20 item 9).
	nm := testenv.Go(t, "tool", "nm", testenv.BuildCLI(t))
	if strings.Contains(string(nm), "MethodByName") {
		t.Errorf("the binary links reflect's MethodByName: its dead methods are kept")
	}
}
