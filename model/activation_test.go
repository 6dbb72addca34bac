package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
)

// activationCases are the activations of the signal–noise family with the
// parameters the checks run them at: integer and real exponents, both
// sides of the huberized threshold (pre-activations here are O(1)).
func activationCases() []CNN {
	return []CNN{
		{Q: 1}, {Q: 3}, {Q: 2.5}, {Q: 1.5},
		{Activation: ReLUPower, Q: 4},
		{Activation: LeakyReLU, Q: 1, Slope: 0.1},
		{Activation: LeakyReLU, Q: 1, Slope: 0.7},
		{Activation: HuberizedReLU, Q: 2, Threshold: 0.5},
		{Activation: HuberizedReLU, Q: 3, Threshold: 0.8},
		{Activation: HuberizedReLU, Q: 2.5, Threshold: 0.3},
	}
}

// withActivation returns c with a's activation, parameters and the output
// scale out.
func withActivation(c, a CNN, out OutputScale) CNN {
	c.Q, c.Activation, c.Slope, c.Threshold, c.Output = a.Q, a.Activation, a.Slope, a.Threshold, out
	return c
}

func actName(c CNN) string {
	return fmt.Sprintf("%s,q=%g,β=%g,κ=%g,%s", c.activation(), c.Q, c.Slope, c.Threshold, c.Output)
}

// naiveSigma is σ written from the formulas of DESIGN.md with math.Pow,
// independently of sigma.
func naiveSigma(c CNN, z float64) float64 {
	switch c.activation() {
	case LeakyReLU:
		return math.Max(c.Slope*z, z)
	case HuberizedReLU:
		k, q := c.Threshold, c.Q
		switch {
		case z <= 0:
			return 0
		case z <= k:
			return math.Pow(z, q) / (q * math.Pow(k, q-1))
		}
		return z - k*(1-1/q)
	}
	return math.Pow(math.Max(z, 0), c.Q)
}

// naiveLoss is the objective written directly from its definition on dense
// inputs and the (2, m, d) tensor, for any activation and output scale:
// mean cross-entropy via log-sum-exp plus (λ/2)‖W‖².
func naiveLoss(cnn CNN, t [][][]float64, x [][][]float64, y []int8) float64 {
	var sum float64
	for i := range x {
		var f [2]float64
		for j := range 2 {
			for r := range cnn.M {
				for _, patch := range x[i] {
					var z float64
					for k, v := range patch {
						z += t[j][r][k] * v
					}
					f[j] += naiveSigma(cnn, z)
				}
			}
			if cnn.Output == OutputMean {
				f[j] /= float64(cnn.M)
			}
		}
		yi := 0
		if y[i] > 0 {
			yi = 1
		}
		hi := math.Max(f[0], f[1])
		sum += hi + math.Log(math.Exp(f[0]-hi)+math.Exp(f[1]-hi)) - f[yi]
	}
	var norm2 float64
	for _, a := range t {
		for _, row := range a {
			for _, v := range row {
				norm2 += v * v
			}
		}
	}
	return sum/float64(len(x)) + cnn.Lambda/2*norm2
}

// TestActivationFiniteDifferences: for every activation × output scale,
// the full-batch gradient (LossGrad), the mini-batch one over the whole
// set (BatchLossGrad) agree with central finite
// differences of the loss, and the loss with its definition.
func TestActivationFiniteDifferences(t *testing.T) {
	const tol = 1e-7 // as TestLossGradFiniteDifferences
	shapes := gradCases()[4:8]
	if testing.Short() {
		shapes = shapes[:2]
	}
	for _, a := range activationCases() {
		for _, out := range OutputScales {
			for _, gc := range shapes {
				base, x, y, set, w := gc.problem()
				cnn := withActivation(base, a, out)
				t.Run(actName(cnn)+"/"+gc.String(), func(t *testing.T) {
					if err := cnn.Validate(); err != nil {
						t.Fatal(err)
					}
					g := make([]float64, len(w))
					ev := NewNet[float64](cnn, set).LossGrad(g, w)
					if want := naiveLoss(cnn, cnn.ToTensor(w), x, y); !scalar.EqualWithinAbsOrRel(ev.Loss, want, 1e-12, 1e-12) {
						t.Errorf("loss = %.17g, from the definition %.17g", ev.Loss, want)
					}
					f := func(v []float64) float64 { return NewNet[float64](cnn, set).LossGrad(nil, v).Loss }
					want := fd.Gradient(nil, f, w, &fd.Settings{Formula: fd.Central, Step: 1e-6})
					scale := math.Max(1, floats.Norm(want, math.Inf(1)))
					if dist := floats.Distance(g, want, math.Inf(1)); dist > tol*scale {
						t.Errorf("LossGrad: ‖analytic − finite differences‖∞ = %.3g > %.1g", dist, tol*scale)
					}
					if floats.Norm(g, math.Inf(1)) < 1e-6 {
						t.Errorf("gradient is (nearly) zero; the test would not see a wrong one")
					}

					all := make([]int32, set.N())
					for i := range all {
						all[i] = int32(i)
					}
					gb := make([]float64, len(w))
					evb := NewNet[float64](cnn, set).BatchLossGrad(gb, w, all)
					if dist := floats.Distance(gb, g, math.Inf(1)); dist > 1e-13*scale || !scalar.EqualWithinAbsOrRel(evb.Loss, ev.Loss, 1e-13, 1e-13) {
						t.Errorf("BatchLossGrad over the whole set: ‖g − LossGrad‖∞ = %.3g, loss %v vs %v", dist, evb.Loss, ev.Loss)
					}
					if e1, e2 := cnn.Errors(w, set), errorsOf(cnn, w, set); e1 != ev.Errors || e2 != ev.Errors {
						t.Errorf("errors: LossGrad %d, CNN.Errors %d, ClassErrors %d", ev.Errors, e1, e2)
					}
				})
			}
		}
	}
}

// TestSigmaDerivative: σ′ is the derivative of σ for every activation
// (central differences away from the kinks), σ and σ′ are continuous at
// huberized_relu's threshold, σ′(0) = 0, and sigma equals the formulas of
// DESIGN.md.
func TestSigmaDerivative(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, c := range activationCases() {
		c.D, c.M = 1, 1
		if s, ds := c.sigma(0); s != 0 || ds != 0 {
			t.Errorf("%s: σ(0), σ′(0) = %v, %v; want 0, 0", actName(c), s, ds)
		}
		for range 200 {
			z := rng.NormFloat64() * 2
			if math.Abs(z) < 1e-3 || math.Abs(z-c.Threshold) < 1e-3 {
				continue
			}
			s, ds := c.sigma(z)
			if want := naiveSigma(c, z); !scalar.EqualWithinAbsOrRel(s, want, 1e-14, 1e-14) {
				t.Errorf("%s: σ(%v) = %v, formula %v", actName(c), z, s, want)
			}
			h := 1e-6
			sp, _ := c.sigma(z + h)
			sm, _ := c.sigma(z - h)
			if fdd := (sp - sm) / (2 * h); !scalar.EqualWithinAbsOrRel(ds, fdd, 1e-7, 1e-7) {
				t.Errorf("%s: σ′(%v) = %v, central difference %v", actName(c), z, ds, fdd)
			}
		}
		if c.Activation == HuberizedReLU {
			k := c.Threshold
			lo, dlo := c.sigma(math.Nextafter(k, 0))
			hi, dhi := c.sigma(math.Nextafter(k, 2*k))
			if math.Abs(lo-hi) > 1e-14 || math.Abs(dlo-dhi) > 1e-13 || math.Abs(hi-k/c.Q) > 1e-14 {
				t.Errorf("%s: at κ: σ %v | %v (want κ/q = %v), σ′ %v | %v", actName(c), lo, hi, k/c.Q, dlo, dhi)
			}
		}
	}
}

// TestIntegerPowerPath: relu_power with an integer q runs act (the kernels'
// path, bit for bit, as before q became real), and a real q close to it
// gives nearly the same numbers through math.Pow.
func TestIntegerPowerPath(t *testing.T) {
	for _, q := range []float64{1, 2, 3, 4} {
		c := CNN{D: 1, M: 1, Q: q}
		if p, ok := c.intPower(); !ok || p != int(q) {
			t.Fatalf("q=%v: intPower = %d, %v", q, p, ok)
		}
		z := []float64{-1, 0, 0.3, 1.7, 2.9}
		s, ds := make([]float64, len(z)), make([]float64, len(z))
		c.activate(z, s, ds)
		near := c
		near.Q = math.Nextafter(q, 2*q)
		for i, v := range z {
			ws, wds := act(v, int(q))
			if s[i] != ws || ds[i] != wds {
				t.Errorf("q=%v z=%v: (%v, %v), act gives (%v, %v)", q, v, s[i], ds[i], ws, wds)
			}
			ns, nds := near.sigma(v)
			if !scalar.EqualWithinAbsOrRel(ns, ws, 1e-13, 1e-13) || !scalar.EqualWithinAbsOrRel(nds, wds, 1e-13, 1e-13) {
				t.Errorf("q=%v⁺ z=%v: (%v, %v), integer path (%v, %v)", q, v, ns, nds, ws, wds)
			}
		}
	}
	for _, c := range []CNN{{Q: 2.5}, {Activation: LeakyReLU, Q: 1, Slope: 0.1}, {Activation: HuberizedReLU, Q: 3, Threshold: 1}} {
		if _, ok := c.intPower(); ok {
			t.Errorf("%s takes the integer relu_power path", actName(c))
		}
	}
}

// TestCrossEntropyIsLogistic: the objective's data term, two-output
// cross-entropy, equals the logistic loss ℓ(y·(F₊₁ − F₋₁)),
// ℓ(z) = log(1 + e^{−z}), of the single-output network of the family's
// papers, with F from CNN.Outputs, for both output scales.
func TestCrossEntropyIsLogistic(t *testing.T) {
	for _, a := range []CNN{{Q: 1}, {Q: 3}, {Activation: HuberizedReLU, Q: 3, Threshold: 0.5}} {
		for _, out := range OutputScales {
			base, _, y, set, w := gradCases()[5].problem()
			cnn := withActivation(base, a, out)
			var sum float64
			for i, f := range cnn.Outputs(w, set) {
				z := float64(y[i]) * (f[1] - f[0])
				sum += math.Log1p(math.Exp(-z))
			}
			want := sum/float64(set.N()) + cnn.Lambda/2*floats.Dot(w, w)
			got := NewNet[float64](cnn, set).LossGrad(nil, w).Loss
			if !scalar.EqualWithinAbsOrRel(got, want, 1e-13, 1e-13) {
				t.Errorf("%s: cross-entropy objective %.17g, logistic %.17g", actName(cnn), got, want)
			}
		}
	}
}

// TestOutputMeanScales: with output_scale mean, F is the sum's F divided
// by m, exactly.
func TestOutputMeanScales(t *testing.T) {
	cnn, _, _, set, w := gradCases()[6].problem()
	mean := cnn
	mean.Output = OutputMean
	fs, fm := cnn.Outputs(w, set), mean.Outputs(w, set)
	for i := range fs {
		for j := range 2 {
			if fm[i][j] != fs[i][j]/float64(cnn.M) {
				t.Fatalf("example %d class %d: mean F = %v, sum F / m = %v", i, j, fm[i][j], fs[i][j]/float64(cnn.M))
			}
		}
	}
}

func TestValidateActivation(t *testing.T) {
	checkValidate(t, []validateCase{
		{CNN{D: 3, M: 2, Q: 2.5}, ""},
		{CNN{D: 3, M: 2, Q: 1, Activation: LeakyReLU, Slope: 0.2, Output: OutputMean}, ""},
		{CNN{D: 3, M: 2, Q: 3, Activation: HuberizedReLU, Threshold: 0.1, Output: OutputSum}, ""},
		{CNN{D: 3, M: 2, Q: 0.5}, "q=0.5"},
		{CNN{D: 3, M: 2, Q: math.Inf(1)}, "q=+Inf"},
		{CNN{D: 3, M: 2, Q: math.NaN()}, "q=NaN"},
		{CNN{D: 3, M: 2, Q: 1, Activation: "tanh"}, `activation="tanh"`},
		{CNN{D: 3, M: 2, Q: 1, Output: "max"}, `output_scale="max"`},
		{CNN{D: 3, M: 2, Q: 1, Activation: LeakyReLU}, "slope=0"},
		{CNN{D: 3, M: 2, Q: 1, Activation: LeakyReLU, Slope: 1}, "slope=1"},
		{CNN{D: 3, M: 2, Q: 1, Slope: 0.1}, "slope=0.1 is only used by activation=leaky_relu"},
		{CNN{D: 3, M: 2, Q: 2, Activation: HuberizedReLU}, "threshold=0"},
		{CNN{D: 3, M: 2, Q: 2, Activation: HuberizedReLU, Threshold: math.Inf(1)}, "threshold=+Inf"},
		{CNN{D: 3, M: 2, Q: 2, Threshold: 1}, "threshold=1 is only used by activation=huberized_relu"},
	})
}
