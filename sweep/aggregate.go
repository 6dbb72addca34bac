package sweep

import (
	"fmt"
	"maps"
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
	keys := slices.Sorted(maps.Keys(q.Where))
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
	series string   // optimiser, or the difference's label
	row    []string // the row of the optimiser (of the first of a difference)
	other  []string // the second optimiser's row of a difference, else nil
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
	if err := t.checkWhere(q); err != nil {
		return nil, err
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
		other := map[string][]string{}
		for _, row := range t.Rows {
			if row[oi] == q.Diff[1] {
				other[row[ri]] = row
			}
		}
		for _, row := range t.Rows {
			b, ok := other[row[ri]]
			if row[oi] != q.Diff[0] || !ok || !keep(row) {
				continue
			}
			out = append(out, sample{series: q.label(), row: row, other: b, v: value(row) - value(b)})
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
	// Never drop an optimiser silently: every one asked for (all of the
	// table's when none is named) keeps rows, or none does.
	if len(out) > 0 && len(q.Where) > 0 {
		want := q.Optimizers
		if len(want) == 0 {
			want = t.distinct("optimizer")
		}
		kept := map[string]bool{}
		for _, s := range out {
			kept[s.series] = true
		}
		var lost, have []string
		for _, n := range want {
			if kept[n] {
				have = append(have, n)
			} else {
				lost = append(lost, n)
			}
		}
		if len(lost) > 0 {
			return nil, fmt.Errorf("--where %s keeps no rows of %s, only of %s; plot those alone with --optimizer %s, or fix a key they share",
				q.Slice(), strings.Join(lost, ", "), strings.Join(have, ", "), strings.Join(have, ","))
		}
	}
	return out, nil
}

// isParam reports whether column c holds an optimiser's parameter (lr,
// beta1, …): it lies between the optimizer and status columns.
func (t *Table) isParam(c int) bool { return c > t.Column("optimizer") && c < t.Column("status") }

// paramValues returns, for each optimiser in order of appearance, the
// distinct values its rows take in column c.
func (t *Table) paramValues(c int, rows [][]string) (names []string, vals map[string][]string) {
	oi := t.Column("optimizer")
	vals = map[string][]string{}
	for _, r := range rows {
		n := r[oi]
		if _, ok := vals[n]; !ok {
			names = append(names, n)
			vals[n] = nil
		}
		if r[c] != "" && !slices.Contains(vals[n], r[c]) {
			vals[n] = append(vals[n], r[c])
		}
	}
	for _, n := range names {
		sortValues(vals[n])
	}
	return names, vals
}

// checkWhere checks the keys of q.Where: each a configuration column or
// NAME.PARAM. A bare optimiser parameter (lr=0.001) is refused when the
// query covers several optimisers whose values differ, since it would
// keep one optimiser's rows and silently drop the others; the error names
// the NAME.PARAM keys that work (--where adam.lr=0.001).
func (t view) checkWhere(q Query) error {
	if len(t.Rows) == 0 {
		return nil
	}
	for _, k := range slices.Sorted(maps.Keys(q.Where)) {
		if _, err := t.valueOf(t.Rows[0], k); err != nil {
			return fmt.Errorf("--where %s: %w", k, err)
		}
		c := t.Column(k)
		if c < 0 || !t.isParam(c) || (len(q.Optimizers) == 1 && !q.isDiff()) {
			continue
		}
		names, vals := t.paramValues(c, t.Rows)
		if q.isDiff() {
			names = q.Diff[:]
		} else if len(q.Optimizers) > 0 {
			names = q.Optimizers
		}
		var takes, all []string
		for _, n := range names {
			if len(vals[n]) == 0 {
				continue
			}
			all = append(all, fmt.Sprintf("%s.%s: %s", n, k, strings.Join(vals[n], ", ")))
			if slices.ContainsFunc(vals[n], func(v string) bool { return sameValue(v, q.Where[k]) }) {
				takes = append(takes, n)
			}
		}
		if len(all) < 2 {
			continue
		}
		if len(takes) == 0 {
			takes = names[:1]
		}
		for i, n := range takes {
			takes[i] = "--where " + n + "." + k + "=" + q.Where[k]
		}
		return fmt.Errorf("--where %s=%s: each optimizer has its own %s (%s); say whose: %s",
			k, q.Where[k], k, strings.Join(all, "; "), strings.Join(takes, " or "))
	}
	return nil
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
// seed, that take more than one value among the samples of one point of
// the plot (one series at one value of the axes): averaging over them
// would mix different experiments. A column that moves with an axis (a zip
// partner) mixes nothing. A varying optimiser parameter is named as the
// key that fixes it, NAME.PARAM (adam.lr), since a bare lr would select
// one optimiser's rows.
func (t view) checkFixed(ss []sample, axes ...string) error {
	end, oi := t.Column("status"), t.Column("optimizer")
	cells := map[string][][]string{} // series and axis values → rows
	var all [][]string
	for _, s := range ss {
		key := s.series
		for _, a := range axes {
			v, _ := t.valueOf(s.row, a)
			key += "\x00" + v
		}
		cells[key] = append(cells[key], s.row)
		all = append(all, s.row)
		if s.other != nil {
			cells[key] = append(cells[key], s.other)
			all = append(all, s.other)
		}
	}
	var varying []string
	for c := 1; c < end; c++ {
		name := t.Header[c]
		if name == "seed" || name == "optimizer" || slices.Contains(axes, name) {
			continue
		}
		keyOf := func(r []string) string {
			if t.isParam(c) {
				return r[oi] + "." + name
			}
			return name
		}
		mixed := map[string]bool{}
		for _, rows := range cells {
			first := map[string]string{}
			for _, r := range rows {
				k := keyOf(r)
				if v, ok := first[k]; !ok {
					first[k] = r[c]
				} else if v != r[c] {
					mixed[k] = true
				}
			}
		}
		var keys []string
		vals := map[string][]string{}
		for _, r := range all {
			k := keyOf(r)
			if !mixed[k] || slices.Contains(axes, k) {
				continue
			}
			if _, ok := vals[k]; !ok {
				keys = append(keys, k)
			}
			if !slices.Contains(vals[k], r[c]) {
				vals[k] = append(vals[k], r[c])
			}
		}
		for _, k := range keys {
			sortValues(vals[k])
			varying = append(varying, fmt.Sprintf("%s (%s)", k, strings.Join(vals[k], ", ")))
		}
	}
	if len(varying) > 0 {
		return fmt.Errorf("these columns also vary: %s; fix each with --where KEY=VALUE (e.g. --where %s=%s) or plot it as an axis",
			strings.Join(varying, "; "), varyingKey(varying[0]), varyingFirst(varying[0]))
	}
	return nil
}

// varyingKey and varyingFirst split "adam.lr (0.0001, 0.001)" into its key
// and first value, for the example of checkFixed's message.
func varyingKey(s string) string { k, _, _ := strings.Cut(s, " ("); return k }
func varyingFirst(s string) string {
	_, v, _ := strings.Cut(s, " (")
	v, _, _ = strings.Cut(strings.TrimSuffix(v, ")"), ", ")
	return v
}

// sortValues sorts cells numerically when all are numbers, else as text.
func sortValues(vs []string) {
	num := func(v string) (float64, bool) { f, err := strconv.ParseFloat(v, 64); return f, err == nil }
	for _, v := range vs {
		if _, ok := num(v); !ok {
			sort.Strings(vs)
			return
		}
	}
	sort.Slice(vs, func(i, j int) bool { a, _ := num(vs[i]); b, _ := num(vs[j]); return a < b })
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

// whereValues says, for a query that matches nothing, which values the
// keys of q.Where whose value no result has take among all the results
// ("; sigma_p takes 0.1, 0.3 here, not 0.7").
func (v view) whereValues(q Query) string {
	all := q
	all.Where = nil
	ss, err := v.samples(all)
	if err != nil || len(ss) == 0 {
		return ""
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(q.Where)) {
		one := all
		one.Where = map[string]string{k: q.Where[k]}
		if some, err := v.samples(one); err != nil || len(some) > 0 {
			continue // this value is there: another key rules the results out
		}
		if vals, err := v.axisValues(ss, k); err == nil {
			fmt.Fprintf(&b, "; %s takes %s here, not %s", k, strings.Join(vals, ", "), q.Where[k])
		}
	}
	return b.String()
}

// gather applies the query and returns its samples and the values each of
// axes takes among them. No sample, and a configuration column other than
// the axes (and seed) that takes several values, are errors.
func (v view) gather(q Query, axes ...string) ([]sample, [][]string, error) {
	ss, err := v.samples(q)
	if err != nil {
		return nil, nil, err
	}
	if len(ss) == 0 {
		return nil, nil, fmt.Errorf("no results match (metric %s)%s", q.label(), v.whereValues(q))
	}
	values := make([][]string, len(axes))
	for i, a := range axes {
		if values[i], err = v.axisValues(ss, a); err != nil {
			return nil, nil, err
		}
	}
	if err := v.checkFixed(ss, axes...); err != nil {
		return nil, nil, err
	}
	return ss, values, nil
}

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
	ss, axes, err := v.gather(q, x, y)
	if err != nil {
		return nil, err
	}
	xs, ys := axes[0], axes[1]
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
	ss, axes, err := v.gather(q, x)
	if err != nil {
		return nil, err
	}
	xs := axes[0]
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
