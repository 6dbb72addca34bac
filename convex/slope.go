package convex

import (
	"fmt"
	"math"
)

// Slope is the fit of y against x for the stall radius of constant-η Adam
// (y = the mean of ‖w_t − w*‖ over the last iterates, x = η): the
// proportional fit y ≈ C·x by least squares through the origin, and the
// power law y ≈ A·x^P by least squares on log y against log x.
type Slope struct {
	C    float64 // y ≈ C·x
	RelR float64 // root-mean-square of (y − C·x)/y: how well y ∝ x holds
	P, A float64 // y ≈ A·x^P
}

// FitSlope fits y against x. It needs at least two points with x, y > 0.
func FitSlope(x, y []float64) (Slope, error) {
	if len(x) != len(y) || len(x) < 2 {
		return Slope{}, fmt.Errorf("%w: slope needs at least two points, got %d x and %d y", ErrInvalid, len(x), len(y))
	}
	var sxy, sxx, lx, ly, lxx, lxy float64
	for i := range x {
		if !(x[i] > 0) || !(y[i] > 0) {
			return Slope{}, fmt.Errorf("%w: slope point %d: x=%v, y=%v must be > 0", ErrInvalid, i, x[i], y[i])
		}
		sxy += x[i] * y[i]
		sxx += x[i] * x[i]
		a, b := math.Log(x[i]), math.Log(y[i])
		lx, ly, lxx, lxy = lx+a, ly+b, lxx+a*a, lxy+a*b
	}
	n := float64(len(x))
	s := Slope{C: sxy / sxx}
	var rr float64
	for i := range x {
		e := (y[i] - s.C*x[i]) / y[i]
		rr += e * e
	}
	s.RelR = math.Sqrt(rr / n)
	den := n*lxx - lx*lx
	if den == 0 {
		return Slope{}, fmt.Errorf("%w: slope needs two distinct x", ErrInvalid)
	}
	s.P = (n*lxy - lx*ly) / den
	s.A = math.Exp((ly - s.P*lx) / n)
	return s, nil
}
