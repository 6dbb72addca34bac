package model

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// CNN is the two-layer network of the paper: width M per class, activation
// σ (the seed's max(0,z)^Q unless Activation says otherwise; see
// Activation), input patches of dimension D, weight decay Lambda, class
// outputs summed or averaged over the M neurons (Output).
type CNN struct {
	D      int     // patch dimension
	M      int     // neurons per class; m ≥ 1
	Q      float64 // activation exponent of relu_power and huberized_relu; q ≥ 1 real (q = 1 is ReLU)
	Lambda float64 // coupled weight decay λ ≥ 0

	Activation Activation  // σ; "" is relu_power
	Slope      float64     // leaky_relu's β, 0 < β < 1 (0 for the other activations)
	Threshold  float64     // huberized_relu's κ > 0 (0 for the other activations)
	Output     OutputScale // "" is sum
}

// Validate reports the first parameter out of its allowed range.
func (c CNN) Validate() error {
	switch {
	case c.D < 1:
		return fmt.Errorf("%w: d=%d must be at least 1", ErrInvalid, c.D)
	case c.M < 1:
		return fmt.Errorf("%w: m=%d must be at least 1", ErrInvalid, c.M)
	case !(c.Lambda >= 0) || math.IsInf(c.Lambda, 0):
		return fmt.Errorf("%w: lambda=%v must be a finite number >= 0", ErrInvalid, c.Lambda)
	}
	return c.validateActivation()
}

// Width is the length 2m of one coordinate's row of weights.
func (c CNN) Width() int { return 2 * c.M }

// Size is the number of weights, 2·m·d.
func (c CNN) Size() int { return 2 * c.M * c.D }

// At returns the index in the flat weights of w_{j,r}[k], where j ∈ {−1,+1}.
func (c CNN) At(j, r, k int) int {
	col := r
	if j > 0 {
		col += c.M
	}
	return k*2*c.M + col
}

// Init draws W₀ with independent N(0, σ₀²) entries. Values are drawn in the
// order of the (2, m, d) tensor layout, so the same seed gives the same
// tensor whatever the storage layout.
func (c CNN) Init(sigma0 float64, rng *rand.Rand) []float64 {
	w := make([]float64, c.Size())
	wd := c.Width()
	for e := range w { // tensor value e is column e/d, coordinate e%d
		w[(e%c.D)*wd+e/c.D] = sigma0 * rng.NormFloat64()
	}
	return w
}

// FromFlatTensor converts weights in the row-major (2, m, d) layout of
// ToTensor (flattened) to the internal coordinate-major layout.
func (c CNN) FromFlatTensor(t []float64) []float64 {
	if len(t) != c.Size() {
		panic(fmt.Sprintf("model: FromFlatTensor: len %d, want %d", len(t), c.Size()))
	}
	w := make([]float64, c.Size())
	wd := c.Width()
	for col := range wd {
		for k := range c.D {
			w[k*wd+col] = t[col*c.D+k]
		}
	}
	return w
}

// ToTensor returns the weights as a (2, m, d) array: index 0 = class −1,
// index 1 = class +1, as NumPy and PyTorch users expect.
func (c CNN) ToTensor(w []float64) [][][]float64 {
	wd := c.Width()
	out := make([][][]float64, 2)
	for j := range 2 {
		out[j] = make([][]float64, c.M)
		for r := range c.M {
			row := make([]float64, c.D)
			col := j*c.M + r
			for k := range c.D {
				row[k] = w[k*wd+col]
			}
			out[j][r] = row
		}
	}
	return out
}

// act returns σ(z) = max(0,z)^q and σ'(z) = q·max(0,z)^{q−1}, with
// z^{q−1} computed by squaring (O(log q) products; for q ≤ 4 the same
// products as a running product, so q = 3 gives z·z·z).
func act(z float64, q int) (s, ds float64) {
	if z <= 0 {
		return 0, 0
	}
	p, b := 1.0, z // p·b^e = z^{q-1}
	for e := q - 1; e > 0; {
		if e&1 != 0 {
			p *= b
		}
		if e >>= 1; e > 0 {
			b *= b
		}
	}
	return p * z, float64(q) * p
}
