package termprogress

import (
	"bytes"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/progress"
)

func TestLines(t *testing.T) {
	var b bytes.Buffer
	p := New(&b, false)
	c := progress.Counter{R: p, Task: "sweep", Unit: "runs", Total: 4, Skipped: 1}
	c.Start("sweep: 1 of 4 runs already complete, 3 to go")
	c.Step("abc alpha=0.1: adam test error 0.25 in 1.5s", false, nil)
	c.Step("def : error: disk full", true, nil)
	steps := progress.Counter{R: p, Task: "figure1", Unit: "steps", Total: 20}
	steps.Start("")
	for range 20 {
		steps.Step("", false, nil)
	}
	p.Close()
	out := b.String()
	for _, w := range []string{
		"sweep: 1 of 4 runs already complete, 3 to go\n",
		"sweep: [2/4] abc alpha=0.1: adam test error 0.25 in 1.5s (ETA",
		"sweep: [3/4] def : error: disk full (ETA",
		"figure1: 2/20 steps (10%),",
		"figure1: 20/20 steps (100%),",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if n := strings.Count(out, "figure1:"); n != 10 {
		t.Errorf("%d figure1 lines for 20 steps, want one a tenth:\n%s", n, out)
	}
}

func TestBarListsFailures(t *testing.T) {
	var b bytes.Buffer
	p := New(&b, true)
	c := progress.Counter{R: p, Task: "sweep", Unit: "runs", Total: 2}
	c.Start("sweep: 2 runs to go")
	c.Step("abc: fine", false, nil)
	c.Step("def : error: disk full", true, nil)
	p.Close()
	if out := b.String(); !strings.Contains(out, "sweep: def : error: disk full\n") || strings.Contains(out, "abc: fine") {
		t.Errorf("bar output should list the failed run only:\n%s", out)
	}
}
