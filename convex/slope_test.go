package convex

import (
	"errors"
	"math"
	"testing"
)

func TestFitSlope(t *testing.T) {
	x := []float64{0.01, 0.02, 0.05}
	lin := []float64{0.0037, 0.0074, 0.0185} // 0.37·x
	s, err := FitSlope(x, lin)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s.C-0.37) > 1e-12 || s.RelR > 1e-12 || math.Abs(s.P-1) > 1e-12 || math.Abs(s.A-0.37) > 1e-12 {
		t.Errorf("proportional data: %+v, want C = A = 0.37, P = 1", s)
	}
	sq := []float64{2e-4, 8e-4, 5e-3} // 2·x²
	if s, _ = FitSlope(x, sq); math.Abs(s.P-2) > 1e-12 || math.Abs(s.A-2) > 1e-9 || s.RelR < 0.1 {
		t.Errorf("quadratic data: %+v, want P = 2, A = 2 and a poor proportional fit", s)
	}
	for _, bad := range [][2][]float64{{{1}, {1}}, {{1, 2}, {1}}, {{1, -2}, {1, 2}}, {{1, 1}, {1, 2}}} {
		if _, err := FitSlope(bad[0], bad[1]); !errors.Is(err, ErrInvalid) {
			t.Errorf("FitSlope(%v, %v): %v, want ErrInvalid", bad[0], bad[1], err)
		}
	}
}
