package sweep

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// PlotName is the file name (without extension) of the plot of q along x,
// or over x × y when y is not empty: "heatmap_test_error_adam_alpha_sigma_p",
// "lines_test_error_adam-minus-gd_alpha"; q.Where's settings follow, in
// key order ("lines_test_error_all_alpha_sigma_p=0.1"), so that plots of
// different slices do not overwrite each other.
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
	for _, w := range q.whereSettings() {
		name += "_" + strings.NewReplacer("/", "-", string(filepath.Separator), "-").Replace(w)
	}
	return name
}

// whereSettings returns q.Where as KEY=VALUE, in key order.
func (q Query) whereSettings() []string {
	var out []string
	for k, v := range q.Where {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// whereTitle is the part of a plot's title that names q.Where's slice:
// "" or " at sigma_p=0.1, lambda=1e-05".
func (q Query) whereTitle() string {
	if len(q.Where) == 0 {
		return ""
	}
	return " at " + strings.Join(q.whereSettings(), ", ")
}
