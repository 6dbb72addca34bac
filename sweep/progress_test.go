package sweep

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/experiment"
)

func TestLineProgress(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, false)
	p.Start(4, 1)
	te := 0.25
	p.Finish(Run{ID: "abc", Point: []Setting{{"alpha", "0.1"}, {"seed", "0"}}},
		&Result{WallSeconds: 1.5, Optimizers: []experiment.RunSummary{{Optimizer: "adam", TestError: &te}, {Optimizer: "gd", Error: "diverged at step 3"}}}, nil)
	p.Finish(Run{ID: "def"}, nil, errors.New("disk full"))
	p.Close()
	out := b.String()
	for _, w := range []string{
		"1 of 4 runs already complete, 3 to go",
		"[2/4] abc alpha=0.1 seed=0: adam test error 0.25, gd failed: diverged at step 3 in 1.5s (ETA",
		"[3/4] def : error: disk full",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("progress output lacks %q:\n%s", w, out)
		}
	}
}
