package theory_test

import (
	"fmt"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/theory"
)

// Lemma 5.1 inside its assumption s ≤ √d/(2n²), and at the paper's own
// experiment, where every noise coordinate is shared by about 20 examples.
func ExampleSupports() {
	for _, p := range []theory.Supports{{N: 10, S: 1, D: 40000}, {N: 200, S: 100, D: 1000}} {
		fmt.Printf("n=%d s=%d d=%d: s/(√d/(2n²)) = %.3g, n·s/(d−1) = %.3g, P(disjoint) = %.4f\n",
			p.N, p.S, p.D, p.SparsityRatio(), p.MeanSharing(), p.Exact())
	}
	// Output:
	// n=10 s=1 d=40000: s/(√d/(2n²)) = 1, n·s/(d−1) = 0.00025, P(disjoint) = 0.9989
	// n=200 s=100 d=1000: s/(√d/(2n²)) = 2.53e+05, n·s/(d−1) = 20, P(disjoint) = 0.0000
}

// The conditions of the paper that its own Section 6 experiment violates,
// judged with slack 10 for the hidden constants.
func ExampleConditions() {
	for _, c := range theory.Conditions(theory.ParamsOf(config.Paper())) {
		if c.Rel != theory.Info && !c.Holds(10) {
			fmt.Printf("%s: %s (ratio %.3g)\n", c.Source, c.Statement, c.Ratio())
		}
	}
	// Output:
	// A.1, Def. 3.1: s = Θ(d^{1/2}/n²) (ratio 1.26e+05)
	// A.1, Sec. 3: σ₀² = Θ(d^{−1/2}) (ratio 0.00316)
	// A.1; Lemmas A.3, A.8: λ = o(σ₀^{q−2}·σp/n) (ratio 2)
	// A.1: α = o(s·σp²/n) (ratio 40)
	// Lemma A.5: α = O(s·σp²/n) (ratio 40)
	// Lemma 5.1 (A.1): s ≤ √d/(2n²) (ratio 2.53e+05)
	// A.1: η = o(λ·σ₀^q·σp^q) (ratio 5e+09)
	// Lemma A.5: η = o(λ) (ratio 5)
	// Theorem 4.1: T·η ≥ 1 (T = poly(n)/η) (ratio 0.5)
}
