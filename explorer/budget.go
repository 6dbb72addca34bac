package explorer

import (
	"fmt"

	"github.com/adamgap/adamgap/config"
)

// pageRowBytes bounds what the page keeps of one logged row of one
// optimiser: its JSON in the run's event log, replayed after a reload.
const pageRowBytes = 256

// pageBytes is what a run from the page keeps beyond config.Estimate:
// every logged row in its event log.
func pageBytes(c config.Config) float64 {
	rows := float64(c.Steps)/float64(max(c.LogEvery, 1)) + 2
	return rows * float64(max(len(c.Optimizers), 1)) * pageRowBytes
}

// checkBudget refuses, before anything is allocated, a configuration whose
// run with jobs optimisers training at once would need more than limit
// bytes (config.Estimate, as "adamgap run --max-memory" does, with the
// CLI's message), or more with the rows the page keeps for its curves.
func checkBudget(c config.Config, jobs int, limit int64) error {
	e := c.Estimate(jobs)
	if err := e.Check(limit); err != nil {
		return &FieldError{Message: err.Error()}
	}
	if t := e.Total() + pageBytes(c); t > float64(limit) {
		return &FieldError{Field: "log_every", Message: fmt.Sprintf(
			"explorer: log_every=%d: the page keeps every logged row for its curves, about %s more, %s in all, more than the limit of %s; log less often or raise --max-memory",
			c.LogEvery, config.FormatBytes(pageBytes(c)), config.FormatBytes(t), config.FormatBytes(float64(limit)))}
	}
	return nil
}

// reserveOf is the memory a run of c from the page reserves with jobs
// optimisers training at once: its estimate (config.Estimate) and the rows
// the page keeps.
func reserveOf(c config.Config, jobs int) int64 {
	t := c.Estimate(jobs).Total() + pageBytes(c)
	if t > 1<<62 {
		return 1 << 62
	}
	return int64(t)
}

// memoryNote is the note of "adamgap run" about a run's memory above 1 GiB
// (config.Estimate.Note) for a run of c from the page with jobs optimisers
// training at once: its estimate and the rows the page keeps, against the
// server's --max-memory; "" for a smaller run.
func (s *Server) memoryNote(c config.Config, jobs int) string {
	e := c.Estimate(jobs)
	e.Parts = append(e.Parts, config.Part{Name: "logged rows the page keeps", Bytes: pageBytes(c)})
	return e.Note(s.opts.MaxMemory)
}
