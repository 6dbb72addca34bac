package theory

import (
	"fmt"
	"math"
	"slices"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/optim"
)

// Relation is the kind of comparison a condition makes between its two
// sides. The paper's conditions hide constants and polylog(n) factors; a
// ratio LHS/RHS is judged against a slack factor K ≥ 1 standing in for them.
type Relation int

const (
	Info    Relation = iota // no verdict: the value is shown for reference
	Theta                   // a = Θ(b): 1/K ≤ a/b ≤ K
	BigO                    // a = O(b): a/b ≤ K
	LittleO                 // a = o(b): a/b ≤ 1/K
	Omega                   // a = Ω(b): a/b ≥ 1/K
	LittleW                 // a = ω(b): a/b ≥ K
	AtMost                  // a ≤ b exactly: a/b ≤ 1
	AtLeast                 // a ≥ b exactly: a/b ≥ 1
	Inside                  // 0 < a/b < 1 exactly
)

var relationNames = [...]string{"info", "Θ", "O", "o", "Ω", "ω", "≤", "≥", "∈(0,1)"}

func (r Relation) String() string { return relationNames[r] }

// Condition is one assumption of the paper evaluated for a configuration.
type Condition struct {
	Source    string   // where the paper states it, e.g. "A.1", "Lemma A.4"
	Statement string   // the assumption as the paper writes it
	Rel       Relation // how Ratio is judged
	LHS, RHS  float64  // both sides with constants and polylog factors set to 1
	Note      string   // what the numbers are, or why the condition matters
}

// Ratio returns LHS/RHS.
func (c Condition) Ratio() float64 { return c.LHS / c.RHS }

// Holds judges the ratio with slack K ≥ 1 (see Relation); it returns false
// for Info and for a ratio that is not a number. A relative tolerance of
// 1e-9 keeps a ratio that is exactly on a bound (σ₀·s·σp = 0.1 at K = 10)
// from failing by rounding.
func (c Condition) Holds(slack float64) bool {
	r := c.Ratio()
	if math.IsNaN(r) {
		return false
	}
	const tol = 1 + 1e-9
	switch c.Rel {
	case Theta:
		return r*slack*tol >= 1 && r <= slack*tol
	case BigO:
		return r <= slack*tol
	case LittleO:
		return r*slack <= tol
	case Omega:
		return r*slack*tol >= 1
	case LittleW:
		return r*tol >= slack
	case AtMost:
		return r <= tol
	case AtLeast:
		return r*tol >= 1
	case Inside:
		return r > 0 && r < 1
	}
	return false
}

// Params are the quantities the conditions involve.
type Params struct {
	N      int     `json:"n"`
	D      int     `json:"d"`
	S      int     `json:"s"`
	M      int     `json:"m"`
	Q      float64 `json:"q"`
	SigmaP float64 `json:"sigma_p"` // σp
	Alpha  float64 `json:"alpha"`   // α
	Sigma0 float64 `json:"sigma0"`  // σ₀
	Lambda float64 `json:"lambda"`  // λ
	// Adam's learning rate η and β₁, β₂ (0: no Adam-type optimiser, or one
	// without β).
	EtaAdam float64 `json:"eta_adam"`
	Beta1   float64 `json:"beta1"`
	Beta2   float64 `json:"beta2"`
	EtaGD   float64 `json:"eta_gd"` // gradient descent's learning rate (0: no GD)
	// Adaptive and Descent name the optimisers EtaAdam and EtaGD were read
	// from (rmsprop, signgd … are judged as Adam's sign-like relatives).
	Adaptive string `json:"-"`
	Descent  string `json:"-"`
	Steps    int    `json:"steps"` // T
}

// ParamsOf reads Params from a configuration. Adam's η, β₁, β₂ come from
// the first optimiser whose best iterate is chosen in ℓ₁ (Adam and its
// sign-like relatives), GD's η from the first chosen in ℓ₂; an optimiser
// missing from the configuration leaves its fields 0 and its conditions
// out.
func ParamsOf(c config.Config) Params {
	p := Params{
		N: c.N, D: c.D, S: c.S, M: c.M, Q: c.Q,
		SigmaP: c.SigmaP, Alpha: c.Alpha, Sigma0: c.Sigma0, Lambda: c.Lambda, Steps: c.Steps,
	}
	for _, o := range c.Optimizers {
		params := o.Params()
		switch {
		case o.Norm() == optim.L1 && p.EtaAdam == 0:
			p.EtaAdam, p.Adaptive = o.LR, o.Name
			if slices.Contains(params, "beta1") && slices.Contains(params, "beta2") {
				p.Beta1, p.Beta2 = o.Beta1, o.Beta2
			}
		case o.Norm() == optim.L2 && p.EtaGD == 0:
			p.EtaGD, p.Descent = o.LR, o.Name
		}
	}
	return p
}

// Conditions returns the parameter magnitudes of Section A.1, the
// relations the paper derives from them, and the lemmas' own assumptions,
// in the paper's order. Constants and polylog(n) factors are set to 1.
func Conditions(p Params) []Condition {
	n, d, s := float64(p.N), float64(p.D), float64(p.S)
	q := p.Q
	sp, a, s0, lam := p.SigmaP, p.Alpha, p.Sigma0, p.Lambda
	logn := math.Log(n)
	cs := []Condition{
		{"Sec. 3", "q ≥ 3", AtLeast, q, 3, "the activation exponent the analysis assumes; below 3 the lemmas (and the T_r row, for q < 2) do not apply"},
		{"Def. 3.1", "0 < α < 1", Inside, a, 1, "the feature-noise strength of the data model"},
		{"A.1", "d = poly(n)", Info, math.Log(d), logn, "log d / log n: the degree of d in n (the paper wants a large constant)"},
		{"A.1, Def. 3.1", "s = Θ(d^{1/2}/n²)", Theta, s, math.Sqrt(d) / (n * n), "s vs √d/n²"},
		{"A.1, Def. 3.1", "σp² = Θ(1/(s·polylog n))", Theta, sp * sp, 1 / s, "σp² vs 1/s"},
		{"A.1, Sec. 3", "σ₀² = Θ(d^{−1/2})", Theta, s0 * s0, 1 / math.Sqrt(d), "σ₀² vs 1/√d"},
		{"A.1", "m = polylog(n)", Info, float64(p.M), logn, "m / ln n"},
		{"A.1, Def. 3.1", "α = Θ(σp·polylog n)", Theta, a, sp, "α vs σp"},
		{"A.1, Sec. 3", "λ = O(1/(d^{(q−1)/4}·n·polylog n))", BigO, lam, 1 / (math.Pow(d, (q-1)/4) * n), "λ vs λ₀ = 1/(d^{(q−1)/4}·n), the largest λ that does not stall at W = 0"},
		{"A.1; Lemmas A.3, A.8", "λ = o(σ₀^{q−2}·σp/n)", LittleO, lam, math.Pow(s0, q-2) * sp / n, "regularisation negligible in Stage I"},
		{"A.1", "α = ω((s·σp)^{1−q}·σ₀^{q−1})", LittleW, a, math.Pow(s*sp, 1-q) * math.Pow(s0, q-1), ""},
		{"A.1; Lemma A.4", "σ₀ = o(1/(s·σp))", LittleO, s0, 1 / (s * sp), ""},
		{"A.1", "α = o(s·σp²/n)", LittleO, a, s * sp * sp / n, "feature noise small against the memorised noise (A.1's magnitude)"},
		{"Lemma A.5", "α = O(s·σp²/n)", BigO, a, s * sp * sp / n, "the lemma's own, weaker assumption"},
		{"Lemma 5.1 (A.1)", "s ≤ √d/(2n²)", AtMost, s, math.Sqrt(d) / (2 * n * n), "the noise supports are disjoint w.p. ≥ 1 − n⁻²"},
		{"Lemma 5.1 (A.1)", "n·s/(d−1) ≪ 1", Info, n * s / (d - 1), 1, "expected number of examples sharing a noise coordinate"},
		{"Lemma A.3", "s·σp = ω(1)", LittleW, s * sp, 1, "noise memorisation outpaces feature learning"},
		{"Lemma A.4", "α ≥ Θ̃((s·σp)^{1−q} ∨ σ₀^{q−1})", Omega, a, math.Max(math.Pow(s*sp, 1-q), math.Pow(s0, q-1)), "feature noise strong enough to flip Λⱼ"},
	}
	if p.Q >= 2 {
		cs = append(cs, Condition{"Lemma A.4", "T_r ≤ T₀, i.e. σ₀·α^{−1/(q−1)} ≤ 1", AtMost, s0 * math.Pow(a, -1/(q-1)), 1, "the flip happens within Stage I"})
	}
	if e := p.EtaAdam; e > 0 {
		cs = append(cs,
			Condition{"A.1", "η = 1/poly(n)", Info, -math.Log(e), logn, "−log η / log n: the degree (Adam)"},
			Condition{"Lemma A.3", "η = 1/poly(d)", Info, -math.Log(e), math.Log(d), "−log η / log d: the degree (Adam)"},
			Condition{"A.1", "η = o(λ·σ₀^q·σp^q)", LittleO, e, lam * math.Pow(s0, q) * math.Pow(sp, q), "Adam's η"},
			Condition{"Lemma A.5", "η = o(λ)", LittleO, e, lam, "Adam keeps the pattern in Stage II"},
			Condition{"Lemma 5.4", "η = O(1/(s·σp))", BigO, e, 1 / (s * sp), "Adam's η"},
			Condition{"Lemmas 5.5, A.6", "η = O(d^{−1/2})", BigO, e, 1 / math.Sqrt(d), "Adam's loss decreases"},
		)
		if p.Beta1 > 0 || p.Beta2 > 0 {
			cs = append(cs, Condition{"Lemma A.2", "β₂ ≥ β₁²", AtLeast, p.Beta2, p.Beta1 * p.Beta1, "Adam is close to signGD"})
		}
		if p.Steps > 0 {
			cs = append(cs,
				Condition{"Theorem 4.1", "T = poly(n)/η", Info, math.Log(float64(p.Steps) * e), logn, "log(T·η) / log n: the degree (Adam)"},
				Condition{"Theorem 4.1", "T·η ≥ 1 (T = poly(n)/η)", AtLeast, float64(p.Steps) * e, 1, "T·η: the theorem trains for polynomially many multiples of 1/η (Adam)"},
			)
		}
	}
	if e := p.EtaGD; e > 0 {
		cs = append(cs,
			Condition{"Lemmas 5.7, A.12", "η ≤ O(σ₀)", BigO, e, s0, "GD keeps the feature in Stage II"},
			Condition{"Lemma 5.8", "η = o(1)", LittleO, e, 1, "GD's loss decreases"},
		)
	}
	return cs
}

// Scales are the time scales and overlaps the lemmas predict for Adam, with
// constants and polylog factors set to 1.
type Scales struct {
	T0          float64 // Stage I length 1/(η·s·σp) (Lemma 5.2/A.3)
	Tr          float64 // σ₀/(η·s·σp·α^{1/(q−1)}), from when Λⱼ falls (Lemma 5.3/A.4); NaN for q < 2 or α = 0
	MeanSharing float64 // n·s/(d−1)
	Disjoint    float64 // exact probability that the n supports are disjoint
}

// ScalesOf returns the scales of p; T0 and Tr are NaN without an Adam η.
func ScalesOf(p Params) Scales {
	sc := Scales{T0: math.NaN(), Tr: math.NaN()}
	sup := Supports{N: p.N, S: p.S, D: p.D}
	if sup.Validate() == nil {
		sc.MeanSharing, sc.Disjoint = sup.MeanSharing(), sup.Exact()
	}
	if e := p.EtaAdam; e > 0 {
		rate := e * float64(p.S) * p.SigmaP
		sc.T0 = 1 / rate
		if p.Q >= 2 && p.Alpha > 0 {
			sc.Tr = p.Sigma0 / (rate * math.Pow(p.Alpha, 1/(p.Q-1)))
		}
	}
	return sc
}

// String formats the condition for a log line.
func (c Condition) String() string {
	return fmt.Sprintf("%s: %s: %.3g / %.3g = %.3g", c.Source, c.Statement, c.LHS, c.RHS, c.Ratio())
}
