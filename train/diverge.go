package train

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/adamgap/adamgap/optim"
)

// divergedError describes a run whose objective became non-finite at step
// t: what became NaN or infinite and the causes that fit the step and the
// configuration, rather than always blaming the learning rate.
// spec is the optimiser's (nil when unknown) and base its base learning
// rate.
func (l Loop) divergedError(res *Result, spec *optim.Spec, base float64, w0 []float64, t int, what string) error {
	return fmt.Errorf("%w: %s: at step %d the %s; %s; %d logged rows kept",
		ErrDiverged, res.Optimizer, t, what, l.causes(spec, base, w0, t), len(res.Records))
}

// causes lists the likely causes of a divergence at step t.
func (l Loop) causes(spec *optim.Spec, lr float64, w0 []float64, t int) string {
	q := l.CNN.Q
	if t == 0 {
		maxW := maxAbs(w0)
		maxX := maxAbs(l.Train.Val)
		// The decay term λW and its norms (‖λW‖₂², (λ/2)‖W‖²) overflow on
		// their own when λ is huge, though ‖W₀‖² itself is finite.
		size := float64(len(w0))
		sane := maxW*maxW*size < math.MaxFloat64/4
		if decay := l.CNN.Lambda * maxW; sane && (decay*decay*size > math.MaxFloat64/4 || l.CNN.Lambda*maxW*maxW*size > math.MaxFloat64/4) {
			return fmt.Sprintf("this is before any update, so not the learning rate: lambda=%g times the initial weights (largest |W₀| entry %.3g) "+
				"makes the weight-decay term λW and its norm overflow; use a lambda many orders of magnitude smaller (the paper's is 1e-5)",
				l.CNN.Lambda, maxW)
		}
		return fmt.Sprintf("this is before any update, so not the learning rate: the initial weights or the data are too large for q=%g "+
			"(largest |W₀| entry %.3g, largest |x| entry %.3g; σ(z)=max(0,z)^%g overflows beyond z≈%.3g); check sigma0 (or init_from), q and the input values",
			q, maxW, maxX, q, math.Pow(math.MaxFloat64, 1/float64(q)))
	}
	var c []string
	if spec != nil && slices.Contains(spec.Params(), "eps") && spec.Eps == 0 {
		why := "eps=0: the adaptive denominator √v is 0 on coordinates whose gradient has been 0"
		if l.CNN.Lambda == 0 {
			why += " (with lambda=0 nothing moves them), giving 0/0"
		}
		c = append(c, why+"; use eps > 0 (default 1e-8)")
	}
	if spec == nil {
		c = append(c, "the learning rate may be too large for this optimiser")
	} else {
		c = append(c, fmt.Sprintf("the learning rate lr=%g may be too large for %s (try a smaller --lr)", lr, spec.Name))
	}
	if q > 3 {
		c = append(c, fmt.Sprintf("q=%g makes the gradient grow like the %g-th power of the weights", q, q-1))
	}
	return "likely causes: " + strings.Join(c, "; or ")
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		if a := math.Abs(x); a > m || math.IsNaN(a) {
			m = a
		}
	}
	return m
}
