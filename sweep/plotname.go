package sweep

import (
	"fmt"
	"strings"
)

// PlotName is the file name (without extension) of the plot of q along x,
// or over x × y when y is not empty: "heatmap_test_error_adam_alpha_sigma_p",
// "lines_test_error_adam-minus-gd_alpha"; a query with Where names its
// slice, so that two slices never share a file:
// "lines_test_error_all_alpha_where_sigma_p-0.1".
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
	name := fmt.Sprintf("%s_%s_%s_%s", kind, q.Metric, what, axes)
	if sl := q.Slice(); sl != "" {
		safe := strings.Map(func(r rune) rune {
			switch {
			case r == ' ':
				return '_'
			case r == '=':
				return '-'
			case r == '/' || r == '\\' || r < ' ':
				return '-'
			}
			return r
		}, sl)
		name += "_where_" + safe
	}
	return name
}
