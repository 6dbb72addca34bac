package sweep

import (
	"testing"
)

// tinyBase is a configuration small enough that a run of both optimisers
// takes milliseconds.
const tinyBase = `
base:
  d: 30
  n: 6
  s: 4
  test_size: 40
  m: 3
  steps: 30
  log_every: 10
  test_every: 0
  optimizers:
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
