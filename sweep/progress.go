package sweep

import (
	"fmt"
	"strings"
)

// startNote is the log line of a sweep that starts with skipped of total
// runs already complete.
func startNote(total, skipped int) string {
	if skipped > 0 {
		return fmt.Sprintf("sweep: %d of %d runs already complete, %d to go", skipped, total, total-skipped)
	}
	return fmt.Sprintf("sweep: %d runs to go", total)
}

// finished is the progress.Update item of a finished run: its id, its
// point and its outcome in a few words.
func finished(r Run, res *Result, err error) string {
	return fmt.Sprintf("%s %s: %s", r.ID, r.Label(), outcome(res, err))
}

// outcome is one run's result in a few words.
func outcome(res *Result, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	var parts []string
	for _, o := range res.Optimizers {
		switch {
		case o.Error != "":
			parts = append(parts, o.Optimizer+" failed: "+o.Error)
		case o.TestError != nil:
			parts = append(parts, fmt.Sprintf("%s test error %.4g", o.Optimizer, *o.TestError))
		}
	}
	return fmt.Sprintf("%s in %.1fs", strings.Join(parts, ", "), res.WallSeconds)
}
