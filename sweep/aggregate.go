package sweep

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/adamgap/adamgap/internal/spread"
	"github.com/adamgap/adamgap/report"
)

// Query picks the values to plot from a merged table: Metric of every
// optimiser in Optimizers (empty: all), or, with Diff set, the difference
// Diff[0] − Diff[1] between two optimisers of the same run. Where fixes
// other columns to one value (e.g. lambda=1e-05).
type Query struct {
	Metric     string
	Optimizers []string
	Diff       [2]string
	Where      map[string]string
}

func (q Query) isDiff() bool { return q.Diff[0] != "" }

// label names the plotted quantity, e.g. "test_error (adam − gd)".
func (q Query) label() string {
	if q.isDiff() {
		return fmt.Sprintf("%s: %s − %s", q.Metric, q.Diff[0], q.Diff[1])
	}
	return q.Metric
}

// Slice names the rows the query keeps, "sigma_p=0.1 lambda=1e-05" (keys
// sorted), or "" without Where.
func (q Query) Slice() string {
	keys := make([]string, 0, len(q.Where))
	for k := range q.Where {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + q.Where[k]
	}
	return strings.Join(parts, " ")
}

// title is a figure title: the quantity, the seeds and the slice.
func (q Query) title(what string, seeds int) string {
	t := fmt.Sprintf("%s (mean ± sd over %d seeds)", what, seeds)
	if sl := q.Slice(); sl != "" {
		t += ", " + sl
	}
	return t
}

// bounds is the range of the metric: [0, 1] for an error rate, [−1, 1]
// for a difference of two; none (zero) otherwise.
func (q Query) bounds() [2]float64 {
	if !strings.HasSuffix(q.Metric, "_error") {
		return [2]float64{}
	}
	if q.isDiff() {
		return [2]float64{-1, 1}
	}
	return [2]float64{0, 1}
}

// sample is one value of the query with the row it came from.
type sample struct {
	series string // optimiser, or the difference's label
	row    []string
	v      float64
}

// view is a table as one query sees it: its rows, and an index of them by
// run and optimiser for NAME.PARAM keys, made when the query starts (rows
// added to the table later are in the next query's view).
type view struct {
	*Table
	byRun map[string][]string // run/optimizer → row
}

func (t *Table) view() view {
	v := view{Table: t, byRun: map[string][]string{}}
	oi, ri := t.Column("optimizer"), t.Column("run")
	if oi >= 0 && ri >= 0 {
		for _, r := range t.Rows {
			v.byRun[r[ri]+"/"+r[oi]] = r
		}
	}
	return v
}

// samples applies the query to the table.
func (t view) samples(q Query) ([]sample, error) {
	mi := t.Column(q.Metric)
	if mi < 0 || !slices.Contains(metricColumns, q.Metric) || q.Metric == "status" || q.Metric == "error" || q.Metric == "best_norm" {
		var allowed []string
		for _, c := range metricColumns {
			if c != "status" && c != "error" && c != "best_norm" {
				allowed = append(allowed, c)
			}
		}
		return nil, fmt.Errorf("metric=%q is not a numeric result column; allowed: %s", q.Metric, strings.Join(allowed, ", "))
	}
	if len(t.Rows) == 0 {
		return nil, nil
	}
	for k := range q.Where {
		if _, err := t.valueOf(t.Rows[0], k); err != nil {
			return nil, fmt.Errorf("where %s: %w", k, err)
		}
	}
	oi, ri := t.Column("optimizer"), t.Column("run")
	keep := func(row []string) bool {
		for k, v := range q.Where {
			if got, err := t.valueOf(row, k); err != nil || !sameValue(got, v) {
				return false
			}
		}
		return true
	}
	value := func(row []string) float64 {
		v, err := strconv.ParseFloat(row[mi], 64)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	present := map[string]bool{}
	for _, row := range t.Rows {
		present[row[oi]] = true
	}
	check := func(name string) error {
		if !present[name] {
			var have []string
			for n := range present {
				have = append(have, n)
			}
			sort.Strings(have)
			return fmt.Errorf("optimizer=%q is not in the table (it has: %s)", name, strings.Join(have, ", "))
		}
		return nil
	}
	var out []sample
	if q.isDiff() {
		if q.Diff[0] == q.Diff[1] {
			return nil, fmt.Errorf("diff %s-%s: a difference needs two different optimizers", q.Diff[0], q.Diff[1])
		}
		for _, n := range q.Diff {
			if err := check(n); err != nil {
				return nil, err
			}
		}
		other := map[string]float64{}
		for _, row := range t.Rows {
			if row[oi] == q.Diff[1] {
				other[row[ri]] = value(row)
			}
		}
		for _, row := range t.Rows {
			b, ok := other[row[ri]]
			if row[oi] != q.Diff[0] || !ok || !keep(row) {
				continue
			}
			out = append(out, sample{series: q.label(), row: row, v: value(row) - b})
		}
		return out, nil
	}
	for _, n := range q.Optimizers {
		if err := check(n); err != nil {
			return nil, err
		}
	}
	for _, row := range t.Rows {
		if (len(q.Optimizers) == 0 || slices.Contains(q.Optimizers, row[oi])) && keep(row) {
			out = append(out, sample{series: row[oi], row: row, v: value(row)})
		}
	}
	return out, nil
}

// valueOf returns a configuration value of the run of row: the column key,
// or for NAME.PARAM (e.g. adam.lr) column PARAM of optimiser NAME's row of
// the same run, whichever optimiser row is asked.
func (t view) valueOf(row []string, key string) (string, error) {
	end := t.Column("status")
	if c := t.Column(key); c >= 1 && c < end {
		return row[c], nil
	}
	name, param, ok := strings.Cut(key, ".")
	c := t.Column(param)
	if !ok || c < 1 || c >= end {
		return "", fmt.Errorf("%q is not a configuration column or NAME.PARAM (columns: %s)", key, strings.Join(t.Header[1:end], ", "))
	}
	other, found := t.byRun[row[t.Column("run")]+"/"+name]
	if !found {
		return "", fmt.Errorf("%s: run %s has no optimizer %q", key, row[t.Column("run")], name)
	}
	return other[c], nil
}

// sameValue compares two cells, as numbers when both are.
func sameValue(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 == nil && err2 == nil {
		return x == y
	}
	return a == b
}

// checkFixed returns an error naming the configuration columns, other than
// seed and the plotted axes, that take more than one value among the
// samples: averaging over them would mix different experiments.
func (t *Table) checkFixed(ss []sample, axes ...string) error {
	end := t.Column("status")
	var varying []string
	for c := 1; c < end; c++ {
		name := t.Header[c]
		if name == "seed" || name == "optimizer" || slices.Contains(axes, name) || isParamOf(axes, name) {
			continue
		}
		// Within one series: optimisers differ in their parameters.
		vals := map[string]bool{}
		bySeries := map[string]map[string]bool{}
		for _, s := range ss {
			if bySeries[s.series] == nil {
				bySeries[s.series] = map[string]bool{}
			}
			bySeries[s.series][s.row[c]] = true
			vals[s.row[c]] = true
		}
		many := false
		for _, v := range bySeries {
			many = many || len(v) > 1
		}
		if many {
			var vs []string
			for v := range vals {
				vs = append(vs, v)
			}
			sort.Strings(vs)
			varying = append(varying, fmt.Sprintf("%s (%s)", name, strings.Join(vs, ", ")))
		}
	}
	if len(varying) > 0 {
		return fmt.Errorf("these columns also vary: %s; fix each with --where KEY=VALUE or plot it as an axis", strings.Join(varying, "; "))
	}
	return nil
}

// isParamOf reports whether col is the PARAM of a NAME.PARAM axis.
func isParamOf(axes []string, col string) bool {
	for _, a := range axes {
		if _, p, ok := strings.Cut(a, "."); ok && p == col {
			return true
		}
	}
	return false
}

// axisValues returns the distinct values of a column among the samples,
// numerically sorted when all are numbers, else in order of appearance.
func (t view) axisValues(ss []sample, col string) ([]string, error) {
	var vals []string
	for _, s := range ss {
		v, err := t.valueOf(s.row, col)
		if err != nil {
			return nil, fmt.Errorf("axis %w", err)
		}
		if !slices.Contains(vals, v) {
			vals = append(vals, v)
		}
	}
	numeric := true
	for _, v := range vals {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			numeric = false
		}
	}
	if numeric {
		sort.Slice(vals, func(i, j int) bool {
			a, _ := strconv.ParseFloat(vals[i], 64)
			b, _ := strconv.ParseFloat(vals[j], 64)
			return a < b
		})
	}
	return vals, nil
}

// MeanStd returns the mean and the sample standard deviation (n − 1) of the
// non-NaN values, and how many there were; NaN, NaN, 0 for none. The
// deviation of one value is 0. It is spread.MeanSD, adamgap's one rule.
func MeanStd(vs []float64) (mean, std float64, n int) { return spread.MeanSD(vs) }

// Heatmap aggregates the query over seeds on the grid x × y: each cell is
// the mean ± standard deviation of its samples. With several optimisers
// and no Diff, exactly one optimiser must be selected.
func (t *Table) Heatmap(q Query, x, y string) (*report.Heatmap, error) {
	v := t.view()
	if !q.isDiff() && len(q.Optimizers) != 1 {
		return nil, fmt.Errorf("a heatmap shows one optimizer or a difference of two; got optimizers %v", q.Optimizers)
	}
	if x == y {
		return nil, fmt.Errorf("x and y are both %q; a heatmap needs two different columns", x)
	}
	ss, err := v.samples(q)
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, fmt.Errorf("no results match (metric %s)", q.label())
	}
	xs, err := v.axisValues(ss, x)
	if err != nil {
		return nil, err
	}
	ys, err := v.axisValues(ss, y)
	if err != nil {
		return nil, err
	}
	if err := v.checkFixed(ss, x, y); err != nil {
		return nil, err
	}
	cells := make([][][]float64, len(ys))
	for i := range cells {
		cells[i] = make([][]float64, len(xs))
	}
	for _, s := range ss {
		xv, _ := v.valueOf(s.row, x)
		yv, _ := v.valueOf(s.row, y)
		i, j := slices.Index(ys, yv), slices.Index(xs, xv)
		cells[i][j] = append(cells[i][j], s.v)
	}
	h := &report.Heatmap{
		XLabel: x, YLabel: y, ZLabel: q.label(), XTicks: xs, YTicks: ys,
		Z: make([][]float64, len(ys)), Std: make([][]float64, len(ys)), Diverging: q.isDiff(),
	}
	what := q.label()
	if !q.isDiff() {
		what = q.Optimizers[0] + ": " + q.Metric
	}
	seeds := 0
	for i := range ys {
		h.Z[i], h.Std[i] = make([]float64, len(xs)), make([]float64, len(xs))
		for j := range xs {
			var n int
			h.Z[i][j], h.Std[i][j], n = MeanStd(cells[i][j])
			seeds = max(seeds, n)
		}
	}
	h.Title = q.title(what, seeds)
	return h, nil
}

// Lines aggregates the query over seeds along x: one series per optimiser
// (or the difference), mean ± standard deviation at each x.
func (t *Table) Lines(q Query, x string) (*report.Lines, error) {
	v := t.view()
	ss, err := v.samples(q)
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, fmt.Errorf("no results match (metric %s)", q.label())
	}
	xs, err := v.axisValues(ss, x)
	if err != nil {
		return nil, err
	}
	if err := v.checkFixed(ss, x); err != nil {
		return nil, err
	}
	l := &report.Lines{XLabel: x, YLabel: q.label(), YBounds: q.bounds()}
	numeric := true
	pos := make([]float64, len(xs))
	for i, tick := range xs {
		f, err := strconv.ParseFloat(tick, 64)
		numeric = numeric && err == nil
		pos[i] = f
	}
	if !numeric {
		l.XTicks = xs
		for i := range pos {
			pos[i] = float64(i)
		}
	}
	var names []string
	groups := map[string][][]float64{}
	for _, s := range ss {
		xv, _ := v.valueOf(s.row, x)
		if groups[s.series] == nil {
			names = append(names, s.series)
			groups[s.series] = make([][]float64, len(xs))
		}
		j := slices.Index(xs, xv)
		groups[s.series][j] = append(groups[s.series][j], s.v)
	}
	seeds := 0
	for _, n := range names {
		sr := report.Series{Label: n, X: pos, Mean: make([]float64, len(xs)), Std: make([]float64, len(xs))}
		for j := range xs {
			var k int
			sr.Mean[j], sr.Std[j], k = MeanStd(groups[n][j])
			seeds = max(seeds, k)
		}
		l.Series = append(l.Series, sr)
	}
	l.Title = q.title(q.label(), seeds)
	return l, nil
}
