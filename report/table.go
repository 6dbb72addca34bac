package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/adamgap/adamgap/train"
)

// Table1 returns the paper's Table 1 for the results as a Markdown table:
// training and test error of the last iterate and of Theorem 4.1's output
// (the iterate with the smallest gradient norm), one column per optimiser,
// and the test error of each on class +1 and on class −1.
func Table1(results []*train.Result) string {
	var b strings.Builder
	b.WriteString("| |")
	for _, r := range results {
		fmt.Fprintf(&b, " %s |", r.Optimizer)
	}
	b.WriteString("\n|---|")
	for range results {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	row := func(label string, f func(r *train.Result) string) {
		fmt.Fprintf(&b, "| %s |", label)
		for _, r := range results {
			fmt.Fprintf(&b, " %s |", f(r))
		}
		b.WriteString("\n")
	}
	done := func(r *train.Result) bool { return r.Err == nil }
	row("Training error (last iterate)", func(r *train.Result) string { return orDash(done(r), r.TrainError) })
	row("Test error (last iterate)", func(r *train.Result) string { return orDash(done(r), r.TestError) })
	row("Training error (min-gradient iterate)", func(r *train.Result) string { return orDash(done(r), r.Best.TrainError) })
	row("Test error (min-gradient iterate)", func(r *train.Result) string { return orDash(done(r), r.Best.TestError) })
	row("Min-gradient step (norm)", func(r *train.Result) string {
		if !done(r) {
			return "—"
		}
		return fmt.Sprintf("%d (%s %.3g)", r.Best.Step, r.Best.Norm, r.Best.GradNorm)
	})
	row("Final loss", func(r *train.Result) string { return orDash(done(r), r.FinalLoss) })
	row("Seconds", func(r *train.Result) string { return fmt.Sprintf("%.2f", r.Seconds) })
	row("Test error on class +1 / −1 (last iterate)", func(r *train.Result) string {
		return orDash(done(r), r.TestErrorPos) + " / " + orDash(done(r), r.TestErrorNeg)
	})
	row("Test error on class +1 / −1 (min-gradient iterate)", func(r *train.Result) string {
		return orDash(done(r), r.Best.TestErrorPos) + " / " + orDash(done(r), r.Best.TestErrorNeg)
	})
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(&b, "\n%s did not finish: %v\n", r.Optimizer, r.Err)
		}
	}
	return b.String()
}

func orDash(ok bool, v float64) string {
	if !ok || math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.4g", v)
}
