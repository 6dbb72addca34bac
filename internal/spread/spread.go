// Package spread is adamgap's one rule for summarising a quantity over
// seeds: the mean and the sample standard deviation (n − 1), computed by
// gonum/stat.
package spread

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// MeanSD returns the mean and the sample standard deviation (divisor n − 1)
// of the values of xs that are not NaN, and how many there were, n.
//
// NaN values (a run that diverged or a quantity that was not measured) are
// left out, so that one failed seed does not hide the others; n says how
// many values remain. With n = 0 both results are NaN. With n = 1 the mean
// is that value and the deviation is 0: one seed shows no spread (it is not
// an estimate of the population's). Infinite values are kept and make the
// results infinite or NaN as arithmetic says.
func MeanSD(xs []float64) (mean, sd float64, n int) {
	vals := xs
	for _, x := range xs {
		if math.IsNaN(x) {
			vals = make([]float64, 0, len(xs))
			for _, x := range xs {
				if !math.IsNaN(x) {
					vals = append(vals, x)
				}
			}
			break
		}
	}
	switch len(vals) {
	case 0:
		return math.NaN(), math.NaN(), 0
	case 1:
		return vals[0], 0, 1
	}
	mean, sd = stat.MeanStdDev(vals, nil)
	return mean, sd, len(vals)
}
