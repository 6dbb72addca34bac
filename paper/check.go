package paper

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/progress"
	"github.com/adamgap/adamgap/theory"
)

// CheckOptions are the settings of Check: a configuration and the slack K
// that stands in for the hidden constants and polylog(n) factors.
type CheckOptions struct {
	Config config.Config
	Slack  float64 // K ≥ 1
}

// DefaultCheck returns the paper's own experiment (Section 6) with K = 10.
func DefaultCheck() CheckOptions { return CheckOptions{Config: config.Paper(), Slack: 10} }

// Validate returns an error wrapping ErrInvalid when the slack or the
// configuration is out of range (with DataFrom, n and d come from the file
// when training, so the configuration's own are not judged).
func (o CheckOptions) Validate() error {
	if !(o.Slack >= 1) || math.IsInf(o.Slack, 0) {
		return fmt.Errorf("%w: slack=%v must be a finite number >= 1", ErrInvalid, o.Slack)
	}
	if o.Config.DataFrom == "" {
		return asInvalid(o.Config.Validate())
	}
	return nil
}

// Check evaluates every parameter condition of the paper's theory for the
// configuration: the magnitudes of Section A.1, the relations derived from
// them, and the assumptions of Lemmas 5.1–5.8 and A.1–A.13, each as the
// ratio of its two sides with constants and polylog(n) factors set to 1,
// judged with the slack K:
//
//	Θ: 1/K ≤ ratio ≤ K    O: ratio ≤ K    o: ratio ≤ 1/K
//	Ω: ratio ≥ 1/K        ω: ratio ≥ K    ≤, ≥: exactly
//
// Adam's η and β come from the first Adam-type optimiser of the
// configuration, GD's η from the first one whose best iterate is chosen in
// ℓ₂. It computes in an instant; ctx and rec are there for the common
// signature of the experiments.
func Check(_ context.Context, o CheckOptions, _ progress.Recorder) (*CheckReport, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	r := newCheckReport(theory.ParamsOf(o.Config), o.Slack)
	r.Data = checkDataOf(o.Config)
	return r, nil
}

// CheckReport is what check prints, as a table or JSON.
type CheckReport struct {
	Params     theory.Params `json:"params"`
	Data       CheckData     `json:"data"`
	Slack      float64       `json:"slack"`
	Conditions []CheckRow    `json:"conditions"`
	Scales     struct {
		T0          Num `json:"t0"`
		Tr          Num `json:"tr"`
		MeanSharing Num `json:"mean_sharing"`
		Disjoint    Num `json:"p_disjoint"`
		UnionBound  Num `json:"union_bound"`
	} `json:"scales"`
	Held, Failed int `json:"-"`
}

// CheckRow is one condition: its source, its statement, both sides and
// the verdict (null for information only).
type CheckRow struct {
	Source    string `json:"source"`
	Statement string `json:"statement"`
	Relation  string `json:"relation"`
	LHS       Num    `json:"lhs"`
	RHS       Num    `json:"rhs"`
	Ratio     Num    `json:"ratio"`
	Holds     *bool  `json:"holds"` // null for information only
	Note      string `json:"note,omitempty"`
}

func newCheckReport(p theory.Params, slack float64) *CheckReport {
	r := &CheckReport{Params: p, Slack: slack}
	for _, c := range theory.Conditions(p) {
		row := CheckRow{Source: c.Source, Statement: c.Statement, Relation: c.Rel.String(),
			LHS: Num(c.LHS), RHS: Num(c.RHS), Ratio: Num(c.Ratio()), Note: c.Note}
		if c.Rel != theory.Info {
			h := c.Holds(slack)
			row.Holds = &h
			if h {
				r.Held++
			} else {
				r.Failed++
			}
		}
		r.Conditions = append(r.Conditions, row)
	}
	sc := theory.ScalesOf(p)
	r.Scales.T0, r.Scales.Tr, r.Scales.MeanSharing, r.Scales.Disjoint = Num(sc.T0), Num(sc.Tr), Num(sc.MeanSharing), Num(sc.Disjoint)
	r.Scales.UnionBound = Num(math.NaN())
	if sup := (theory.Supports{N: p.N, S: p.S, D: p.D}); sup.Validate() == nil {
		r.Scales.UnionBound = Num(sup.UnionBound())
	}
	return r
}

// optimizerLabel is how the header names an optimiser: the paper's names
// for its two (adam, gd), the configuration's name for the others.
func optimizerLabel(name, paperName string) string {
	if name == "" || strings.EqualFold(name, paperName) {
		return paperName
	}
	return name
}

// Table is the report as Markdown: one row per condition, the count of
// those that hold, Lemma 5.1's standing and Adam's time scales.
func (r *CheckReport) Table() string {
	var b strings.Builder
	p := r.Params
	fmt.Fprintf(&b, "d=%d n=%d s=%d σp=%g α=%g σ₀=%g λ=%g m=%d q=%g T=%d", p.D, p.N, p.S, p.SigmaP, p.Alpha, p.Sigma0, p.Lambda, p.M, p.Q, p.Steps)
	if p.EtaAdam > 0 {
		fmt.Fprintf(&b, ", %s η=%g", optimizerLabel(p.Adaptive, "Adam"), p.EtaAdam)
		if p.Beta1 > 0 || p.Beta2 > 0 {
			fmt.Fprintf(&b, " β=(%g, %g)", p.Beta1, p.Beta2)
		}
	}
	if p.EtaGD > 0 {
		fmt.Fprintf(&b, ", %s η=%g", optimizerLabel(p.Descent, "GD"), p.EtaGD)
	}
	b.WriteString("\n" + r.Data.line())
	fmt.Fprintf(&b, "\nratio = left side / right side, constants and polylog(n) set to 1; judged with slack K = %g\n\n", r.Slack)
	b.WriteString("| source | condition | left | right | ratio | holds | what |\n|---|---|---:|---:|---:|:---:|---|\n")
	for _, c := range r.Conditions {
		verdict := "—"
		if c.Holds != nil {
			verdict = "no"
			if *c.Holds {
				verdict = "yes"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", c.Source, c.Statement, g3(c.LHS), g3(c.RHS), g3(c.Ratio), verdict, c.Note)
	}
	fmt.Fprintf(&b, "\n%d conditions hold, %d do not (K = %g).\n", r.Held, r.Failed, r.Slack)
	sc := r.Scales
	fmt.Fprintf(&b, "\nLemma 5.1: each noise coordinate is shared by n·s/(d−1) = %.3g examples on average; P(all %d supports disjoint) = %s (union bound on the failure: %s; the lemma promises ≥ 1 − n⁻² = %.6g when s ≤ √d/(2n²)).\n",
		float64(sc.MeanSharing), p.N, g3(sc.Disjoint), g3(sc.UnionBound), 1-1/float64(p.N*p.N))
	if !math.IsNaN(float64(sc.T0)) {
		fmt.Fprintf(&b, "Adam's time scales (Lemmas 5.2, 5.3; constants and logs set to 1): Stage I ends by T₀ ≈ 1/(η·s·σp) = %s steps; Λⱼ starts to fall by T_r ≈ σ₀/(η·s·σp·α^{1/(q−1)}) = %s steps.\n",
			g3(sc.T0), g3(sc.Tr))
	}
	return b.String()
}
