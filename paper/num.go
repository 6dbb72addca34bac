package paper

import (
	"fmt"
	"math"
	"strconv"
)

// Num is a float64 that JSON encodes as null when it is NaN or infinite
// (a quantity that does not exist or was not computed), where
// encoding/json would fail.
type Num float64

// MarshalJSON implements json.Marshaler.
func (x Num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// nan is the Num of a quantity that does not exist or was not computed.
var nan = Num(math.NaN())

// g3 and g4 print x to 3 or 4 significant digits, "—" for NaN.
func g3(x Num) string { return gfmt(x, "%.3g") }
func g4(x Num) string { return gfmt(x, "%.4g") }

// steps writes a step count or a mean of them: whole from 1000 up (10000,
// never 1e+04), else to prec significant digits ("%.4g", "%.3g").
func steps(x Num, prec string) string {
	if v := float64(x); v == math.Trunc(v) || math.Abs(v) >= 1000 {
		return gfmt(x, "%.0f")
	}
	return gfmt(x, prec)
}

func gfmt(x Num, format string) string {
	if math.IsNaN(float64(x)) {
		return "—"
	}
	return fmt.Sprintf(format, float64(x))
}
