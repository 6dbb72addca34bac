package main

import (
	"math"
	"strconv"
)

// num is a float64 that JSON encodes as null when it is NaN or infinite
// (a quantity that does not exist or was not computed), where
// encoding/json would fail.
type num float64

// MarshalJSON implements json.Marshaler.
func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}
