package kernel

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exactFMA32 rounds a·b + c to float32 from the exact value (math/big).
func exactFMA32(a, b, c float32) float32 {
	x := new(big.Float).SetPrec(200).SetFloat64(float64(a))
	x.Mul(x, new(big.Float).SetPrec(200).SetFloat64(float64(b)))
	x.Add(x, new(big.Float).SetPrec(200).SetFloat64(float64(c)))
	f, _ := x.Float32()
	return f
}

// TestFMA32: single rounding, on random operands and on sums built to fall
// exactly halfway between float32 values after rounding to float64.
func TestFMA32(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(a, b, c float32) {
		if got, want := FMA32(a, b, c), exactFMA32(a, b, c); got != want && !(math.IsNaN(float64(got)) && math.IsNaN(float64(want))) {
			t.Fatalf("FMA32(%g, %g, %g) = %g, want %g", a, b, c, got, want)
		}
	}
	for range 100000 {
		a := float32(rng.NormFloat64() * math.Exp(rng.NormFloat64()*5))
		b := float32(rng.NormFloat64() * math.Exp(rng.NormFloat64()*5))
		c := float32(rng.NormFloat64() * math.Exp(rng.NormFloat64()*5))
		check(a, b, c)
	}
	// Double-rounding traps: a·b = (1+2⁻¹⁸)(1−2⁻¹⁸)·2⁻²⁴ = 2⁻²⁴ − 2⁻⁶⁰ and
	// c = 1 + 2⁻²³ sum to just below the float32 midpoint 1 + 3·2⁻²⁴; the
	// float64 sum is the midpoint itself, which ties to even (1 + 2⁻²²),
	// while the single rounding is 1 + 2⁻²³. Negated, the error has the
	// other sign.
	a, b, c := float32(1+1.0/(1<<18))/4096, float32(1-1.0/(1<<18))/4096, float32(1+1.0/(1<<23))
	if s := float64(a)*float64(b) + float64(c); float32(s) == exactFMA32(a, b, c) {
		t.Fatalf("the trap does not trap: float32(%v) is already the single rounding", s)
	}
	check(a, b, c)
	check(-a, b, -c)
	check(a, -b, -c)
}
