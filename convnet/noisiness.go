package convnet

import (
	"fmt"
	"math"
)

// HighFreqShare returns the share of a k×k filter's spectral energy at
// spatial frequencies above cutoff (cycles per pixel, in (0, √2/2)), after
// removing its mean:
//
//	share = Σ_{|ν|>cutoff} |F(ν)|² / Σ_{ν≠0} |F(ν)|²,
//
// F the 2-D discrete Fourier transform and |ν| = √(νx²+νy²), with νx, νy in
// {0, ±1/k, …} up to the Nyquist frequency 1/2. A smooth filter (strokes,
// blobs, gradients) scores near 0, a checkerboard 1; white noise scores
// WhiteNoiseShare(k, cutoff) on average. A constant filter scores 0. It
// panics if len(filter) != k².
func HighFreqShare(filter []float64, k int, cutoff float64) float64 {
	if len(filter) != k*k {
		panic(fmt.Sprintf("convnet: HighFreqShare: filter has %d values, want k²=%d", len(filter), k*k))
	}
	mean, sq, dev := 0.0, 0.0, 0.0
	for _, v := range filter {
		mean += v / float64(k*k)
		sq += v * v
	}
	for _, v := range filter {
		dev += (v - mean) * (v - mean)
	}
	if dev <= 1e-24*sq || dev == 0 {
		return 0 // constant up to rounding
	}
	var high, total float64
	for u := range k {
		for v := range k {
			if u == 0 && v == 0 {
				continue
			}
			var re, im float64
			for a := range k {
				for b := range k {
					ph := -2 * math.Pi * float64(u*a+v*b) / float64(k)
					x := filter[a*k+b] - mean
					re += x * math.Cos(ph)
					im += x * math.Sin(ph)
				}
			}
			e := re*re + im*im
			total += e
			if radius(u, v, k) > cutoff {
				high += e
			}
		}
	}
	return high / total
}

// WhiteNoiseShare is the expected HighFreqShare of a filter of independent
// identically distributed entries: the share of the k²−1 non-zero
// frequencies whose radius exceeds cutoff.
func WhiteNoiseShare(k int, cutoff float64) float64 {
	if k < 2 {
		return 0
	}
	n := 0
	for u := range k {
		for v := range k {
			if (u != 0 || v != 0) && radius(u, v, k) > cutoff {
				n++
			}
		}
	}
	return float64(n) / float64(k*k-1)
}

// radius returns |ν| of DFT bin (u, v) of a k-point transform.
func radius(u, v, k int) float64 {
	f := func(i int) float64 {
		if 2*i > k {
			i -= k
		}
		return float64(i) / float64(k)
	}
	return math.Hypot(f(u), f(v))
}

// TotalVariation returns the normalised total variation of a k×k filter:
// the mean absolute difference between horizontally and vertically
// adjacent entries divided by the filter's range (max − min), the scale at
// which a filter is displayed. It lies in [0, 1]: 0 for a constant filter,
// about 1/(k−1) for a linear ramp, 1 for a checkerboard. It panics if
// len(filter) != k².
func TotalVariation(filter []float64, k int) float64 {
	if len(filter) != k*k {
		panic(fmt.Sprintf("convnet: TotalVariation: filter has %d values, want k²=%d", len(filter), k*k))
	}
	lo, hi := filter[0], filter[0]
	for _, v := range filter {
		lo, hi = min(lo, v), max(hi, v)
	}
	if k < 2 || hi-lo <= 1e-300 {
		return 0
	}
	sum := 0.0
	for a := range k {
		for b := range k {
			x := filter[a*k+b]
			if b+1 < k {
				sum += math.Abs(filter[a*k+b+1] - x)
			}
			if a+1 < k {
				sum += math.Abs(filter[(a+1)*k+b] - x)
			}
		}
	}
	return sum / float64(2*k*(k-1)) / (hi - lo)
}

// Noisiness is the mean over filters of HighFreqShare and TotalVariation.
type Noisiness struct {
	HighFreq       float64 `json:"high_freq_share"`
	TotalVariation float64 `json:"total_variation"`
}

// FilterNoisiness averages both measures over the F filters of w.
func (n Net) FilterNoisiness(w []float64, cutoff float64) Noisiness {
	var out Noisiness
	for f := range n.Filters {
		flt := n.Filter(w, f)
		out.HighFreq += HighFreqShare(flt, n.Kernel, cutoff) / float64(n.Filters)
		out.TotalVariation += TotalVariation(flt, n.Kernel) / float64(n.Filters)
	}
	return out
}
