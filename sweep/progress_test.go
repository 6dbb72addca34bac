package sweep

import (
	"errors"
	"testing"

	"github.com/adamgap/adamgap/experiment"
)

func TestProgressText(t *testing.T) {
	if got, want := startNote(4, 1), "sweep: 1 of 4 runs already complete, 3 to go"; got != want {
		t.Errorf("startNote(4, 1) = %q, want %q", got, want)
	}
	if got, want := startNote(4, 0), "sweep: 4 runs to go"; got != want {
		t.Errorf("startNote(4, 0) = %q, want %q", got, want)
	}
	te := 0.25
	got := finished(Run{ID: "abc", Point: []Setting{{"alpha", "0.1"}, {"seed", "0"}}},
		&Result{WallSeconds: 1.5, Optimizers: []experiment.RunSummary{{Optimizer: "adam", TestError: &te}, {Optimizer: "gd", Error: "diverged at step 3"}}}, nil)
	if want := "abc alpha=0.1 seed=0: adam test error 0.25, gd failed: diverged at step 3 in 1.5s"; got != want {
		t.Errorf("finished = %q, want %q", got, want)
	}
	if got, want := finished(Run{ID: "def"}, nil, errors.New("disk full")), "def : error: disk full"; got != want {
		t.Errorf("finished = %q, want %q", got, want)
	}
}
