package explorer

import (
	"fmt"

	"github.com/adamgap/adamgap/config"
)

// roughBytes is a stand-in, until config has a resource estimate of its
// own, for the memory a run of c needs at its peak: training and test sets
// (sparse rows and columns), the weights, gradient, best iterate and up to
// three state vectors of each optimiser, the workspace of per-patch
// activations, and the logged rows. It errs on the large side.
func roughBytes(c config.Config) float64 {
	const entry = 2 * (4 + 8) // index and value, in rows and in columns
	perExample := float64(2+c.S+1) * entry
	sets := (float64(c.N) + float64(c.TestSize)) * perExample
	weights := 2 * float64(c.M) * float64(c.D) * 8
	workspace := 3 * 2 * float64(c.N) * 2 * float64(c.M) * 8
	logged := (float64(c.Steps)/float64(max(c.LogEvery, 1)) + 2) * 160 // in float64: steps/1 + 2 may overflow an int
	k := float64(len(c.Optimizers))
	return sets + weights + k*(6*weights+workspace+logged)
}

// checkBudget refuses a configuration whose run would need more than
// budget bytes, with the figure it would need.
func checkBudget(c config.Config, budget float64) error {
	if need := roughBytes(c); need > budget {
		return &FieldError{Message: fmt.Sprintf(
			"config: this run would need about %s of memory, more than the explorer's budget of %s (make d, m, n or test_size smaller)",
			bytesText(need), bytesText(budget))}
	}
	return nil
}

func bytesText(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.0f KiB", b/(1<<10))
}
