package train

import (
	"math"
	"testing"
)

func TestMeasureSign(t *testing.T) {
	// Coordinates: |g| above 0.1 are 0, 1, 2, 4 (3 is below, 5 equals the
	// threshold and is left out).
	//   0: g=+1,   moved −0.5 (w decreased): agrees
	//   1: g=−1,   moved +0.2: agrees
	//   2: g=+0.5, moved +0.1 (against descent): disagrees
	//   3: g=0.05, moved +1: below threshold, ignored
	//   4: g=−2,   did not move: disagrees
	//   5: g=0.1,  moved −1: at the threshold, ignored
	before := []float64{1, 1, 1, 1, 1, 1}
	after := []float64{0.5, 1.2, 1.1, 2, 1, 0}
	g := []float64{1, -1, 0.5, 0.05, -2, 0.1}
	got := MeasureSign(before, after, g, 0.1)
	want := SignAgreement{Measured: true, Coords: 4, Agree: 2}
	if got != want {
		t.Errorf("MeasureSign = %+v, want %+v", got, want)
	}
	if f := got.Fraction(); f != 0.5 {
		t.Errorf("Fraction = %v, want 0.5", f)
	}
	// Threshold 0 counts every non-zero gradient: coordinates 3 and 5 join,
	// 3 disagrees and 5 agrees.
	if got := MeasureSign(before, after, g, 0); got != (SignAgreement{Measured: true, Coords: 6, Agree: 3}) {
		t.Errorf("threshold 0: %+v", got)
	}
	// No coordinate above the threshold: measured, fraction undefined.
	none := MeasureSign(before, after, g, 10)
	if !none.Measured || none.Coords != 0 || !math.IsNaN(none.Fraction()) {
		t.Errorf("threshold 10: %+v fraction %v", none, none.Fraction())
	}
	if f := (SignAgreement{}).Fraction(); !math.IsNaN(f) {
		t.Errorf("unmeasured fraction = %v, want NaN", f)
	}
}

func TestMeasureSignPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for weights and gradient of different lengths")
		}
	}()
	MeasureSign([]float64{1}, []float64{1, 2}, []float64{1}, 0)
}
