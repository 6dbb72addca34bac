package spread

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestMeanSD(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name     string
		xs       []float64
		mean, sd float64
		n        int
	}{
		{"none", nil, nan, nan, 0},
		{"only NaN", []float64{nan, nan}, nan, nan, 0},
		{"one", []float64{0.25}, 0.25, 0, 1},
		{"one and NaN", []float64{nan, 0.25}, 0.25, 0, 1},
		{"two", []float64{1, 3}, 2, math.Sqrt2, 2},
		{"NaN skipped", []float64{1, nan, 2, 3}, 2, 1, 3},
	} {
		mean, sd, n := MeanSD(c.xs)
		same := func(a, b float64) bool {
			return (math.IsNaN(a) && math.IsNaN(b)) || scalar.EqualWithinAbsOrRel(a, b, 1e-15, 1e-15)
		}
		if !same(mean, c.mean) || !same(sd, c.sd) || n != c.n {
			t.Errorf("%s: MeanSD(%v) = %v, %v, %d; want %v, %v, %d", c.name, c.xs, mean, sd, n, c.mean, c.sd, c.n)
		}
	}
}
