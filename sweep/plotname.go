package sweep

import (
	"fmt"
	"strings"
)

// PlotName is the file name (without extension) of the plot of q along x,
// or over x × y when y is not empty: "heatmap_test_error_adam_alpha_sigma_p",
// "lines_test_error_adam-minus-gd_alpha".
func (q Query) PlotName(x, y string) string {
	what := strings.Join(q.Optimizers, "+")
	if q.Diff[0] != "" {
		what = q.Diff[0] + "-minus-" + q.Diff[1]
	}
	if what == "" {
		what = "all"
	}
	kind, axes := "lines", x
	if y != "" {
		kind, axes = "heatmap", x+"_"+y
	}
	return fmt.Sprintf("%s_%s_%s_%s", kind, q.Metric, what, axes)
}
