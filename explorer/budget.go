package explorer

import (
	"github.com/adamgap/adamgap/config"
)

// checkBudget refuses, before anything is allocated, a configuration whose
// run with jobs optimisers training at once would need more than limit
// bytes (config.Estimate, as "adamgap run --max-memory" does), with the
// figure it would need and the CLI's message.
func checkBudget(c config.Config, jobs int, limit int64) error {
	if err := c.Estimate(jobs).Check(limit); err != nil {
		return &FieldError{Message: err.Error()}
	}
	return nil
}
