package sweep

import (
	"testing"

	"github.com/adamgap/adamgap/internal/fixture"
)

// tinyBase is a configuration small enough that a run of both optimisers
// takes milliseconds.
const tinyBase = fixture.SweepBase + `  optimizers:
    - name: adam
      lr: 1.0e-3
    - name: gd
      lr: 0.05
`

func mustSpec(t *testing.T, text string) *Spec {
	t.Helper()
	s, err := ParseSpec([]byte(text))
	if err != nil {
		t.Fatalf("ParseSpec: %v\n%s", err, text)
	}
	return s
}

func mustPlan(t *testing.T, s *Spec) []Run {
	t.Helper()
	runs, err := s.Plan()
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return runs
}
