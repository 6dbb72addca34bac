package theory

import (
	"fmt"
	"math"
	"slices"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
)

// FeatureTrace records a run for Lemma 5.3 per neuron: the feature
// coordinate w_{j,r}[1] (index 0 in code: v = e₁) of every neuron at every
// step t = 0, …, Upto, and the whole weights at step 0 and at step Upto
// (= T₀). Its Observe method is a train.Loop.Observe.
type FeatureTrace struct {
	CNN    model.CNN
	Upto   int         // T₀: the last step recorded
	Values [][]float64 // Values[t][col]: w_{j,r}[1] at step t, col as in model (class −1 first)
	W0, WT []float64   // weights at step 0 and at step Upto (nil until seen)
}

// NewFeatureTrace returns a trace of the network's feature coordinates up
// to step upto ≥ 0.
func NewFeatureTrace(c model.CNN, upto int) *FeatureTrace {
	return &FeatureTrace{CNN: c, Upto: upto}
}

// Observe records W^(t) for t ≤ Upto (train.Loop.Observe).
func (f *FeatureTrace) Observe(t int, w []float64) {
	if t > f.Upto {
		return
	}
	wd := f.CNN.Width()
	f.Values = append(f.Values, slices.Clone(w[:wd])) // coordinate 0: the first 2m entries
	if t == 0 {
		f.W0 = slices.Clone(w)
	}
	if t == f.Upto {
		f.WT = slices.Clone(w)
	}
}

// NeuronFlip is Lemma 5.3 (A.4) measured on one neuron (j, r) over
// [T_r, T₀]: the lemma says ⟨w_{j,r}, j·v⟩ falls by η every step there,
// from T_r = Õ(σ₀/(η s σp α^{1/(q−1)})), and that at T₀
// w_{j,r}[1] = −sgn(j)·Ω̃(1/(sσp)), w_{j,r}[k] = sgn(ξᵢ[k])·Ω̃(1/(sσp)) or
// ±O(η) for k ∈ Bᵢ with yᵢ = j, and ±O(η) elsewhere.
type NeuronFlip struct {
	Class, Neuron int
	// Tr is the measured T_r: the first step of the largest ⟨w_{j,r}, j·v⟩
	// over [0, T₀]; from there it falls.
	Tr int
	// Per-step change of ⟨w_{j,r}, j·v⟩ over [T_r, T₀] in units of η: its
	// mean, min and max, and the share of steps where it fell (NaN when
	// T_r = T₀).
	RateMean, RateMin, RateMax, FallShare float64
	// FeatureT0 is w_{j,r}^{(T₀)}[1]·sσp (the lemma: −sgn(j)·Ω̃(1));
	// FeatureSignOK whether its sign is −sgn(j).
	FeatureT0     float64
	FeatureSignOK bool
	// Noise coordinates k ≥ 2 touched by a class-j training example:
	// median and 90th percentile of |w^{(T₀)}[k]|·sσp (the lemma:
	// Ω̃(1) or O(ηsσp)) and the share whose sign is that of the sum of the
	// class-j noise values on k (the lemma's sgn(ξᵢ[k]) for a coordinate of
	// one example).
	OwnMedian, OwnP90, OwnSignShare float64
	// Coordinates k ≥ 2 no class-j example touches: median |w^{(T₀)}[k]|
	// and median |w^{(T₀)}[k] − w^{(0)}[k]|, in units of η (the lemma:
	// O(η); W₀'s σ₀ is part of the first).
	OtherMedian, OtherMoveMedian float64
}

// NeuronFlips measures Lemma 5.3 on every neuron of a trace recorded to
// T₀ = f.Upto on the training set with learning rate eta; sSigmaP is s·σp.
func NeuronFlips(f *FeatureTrace, set *data.Set, eta, sSigmaP float64) ([]NeuronFlip, error) {
	c := f.CNN
	if len(f.Values) != f.Upto+1 || f.W0 == nil || f.WT == nil {
		return nil, fmt.Errorf("%w: neuron flips: trace holds %d of %d steps", ErrInvalid, len(f.Values), f.Upto+1)
	}
	if !(eta > 0) || !(sSigmaP > 0) || set.D != c.D {
		return nil, fmt.Errorf("%w: neuron flips: eta=%v and s·σp=%v must be > 0, data d=%d network d=%d", ErrInvalid, eta, sSigmaP, set.D, c.D)
	}
	// Per class: which noise coordinates class-j examples touch, and the sum
	// of their values there.
	var touched [2][]bool
	var sum [2][]float64
	for ci := range 2 {
		touched[ci], sum[ci] = make([]bool, c.D), make([]float64, c.D)
	}
	for i, y := range set.Y {
		ci := 0
		if y > 0 {
			ci = 1
		}
		idx, val := set.Patch(2*i + int(set.NoisePatch[i]))
		for e, k := range idx {
			if k > 0 {
				touched[ci][k], sum[ci][k] = true, sum[ci][k]+val[e]
			}
		}
	}
	wd := c.Width()
	var out []NeuronFlip
	for col := range wd {
		j, r, ci := -1, col, 0
		if col >= c.M {
			j, r, ci = 1, col-c.M, 1
		}
		nf := NeuronFlip{Class: j, Neuron: r}
		feat := func(t int) float64 { return float64(j) * f.Values[t][col] }
		for t := range f.Values {
			if feat(t) > feat(nf.Tr) {
				nf.Tr = t
			}
		}
		nf.RateMean, nf.RateMin, nf.RateMax, nf.FallShare = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		if n := f.Upto - nf.Tr; n > 0 {
			lo, hi, falls := math.Inf(1), math.Inf(-1), 0
			for t := nf.Tr; t < f.Upto; t++ {
				d := (feat(t+1) - feat(t)) / eta
				lo, hi = min(lo, d), max(hi, d)
				if d < 0 {
					falls++
				}
			}
			nf.RateMean = (feat(f.Upto) - feat(nf.Tr)) / eta / float64(n)
			nf.RateMin, nf.RateMax, nf.FallShare = lo, hi, float64(falls)/float64(n)
		}
		nf.FeatureT0 = f.WT[col] * sSigmaP
		nf.FeatureSignOK = math.Signbit(f.WT[col]) == (j > 0)
		var own, other, move []float64
		agree := 0
		for k := 1; k < c.D; k++ {
			v := f.WT[k*wd+col]
			if touched[ci][k] {
				own = append(own, math.Abs(v)*sSigmaP)
				if (v > 0) == (sum[ci][k] > 0) && v != 0 {
					agree++
				}
			} else {
				other = append(other, math.Abs(v)/eta)
				move = append(move, math.Abs(v-f.W0[k*wd+col])/eta)
			}
		}
		nf.OwnMedian, nf.OwnP90 = quantile(own, 0.5), quantile(own, 0.9)
		nf.OwnSignShare = math.NaN()
		if len(own) > 0 {
			nf.OwnSignShare = float64(agree) / float64(len(own))
		}
		nf.OtherMedian, nf.OtherMoveMedian = quantile(other, 0.5), quantile(move, 0.5)
		out = append(out, nf)
	}
	return out, nil
}

// quantile returns the q-quantile of v by nearest rank (NaN for none); v
// is sorted in place.
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	slices.Sort(v)
	i := int(math.Ceil(q*float64(len(v)))) - 1
	return v[max(0, min(len(v)-1, i))]
}
