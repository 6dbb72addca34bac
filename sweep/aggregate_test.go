package sweep

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestMeanStd(t *testing.T) {
	for _, tc := range []struct {
		in        []float64
		mean, std float64
		n         int
	}{
		{[]float64{1, 2, 3, 4}, 2.5, math.Sqrt(5.0 / 3), 4}, // Σ(x−2.5)² = 5, n−1 = 3
		{[]float64{7}, 7, 0, 1},
		{[]float64{1, math.NaN(), 3}, 2, math.Sqrt2, 2},
	} {
		m, s, n := MeanStd(tc.in)
		if math.Abs(m-tc.mean) > 1e-15 || math.Abs(s-tc.std) > 1e-15 || n != tc.n {
			t.Errorf("MeanStd(%v) = %v, %v, %d; want %v, %v, %d", tc.in, m, s, n, tc.mean, tc.std, tc.n)
		}
	}
	if m, s, n := MeanStd(nil); !math.IsNaN(m) || !math.IsNaN(s) || n != 0 {
		t.Errorf("MeanStd(nil) = %v, %v, %d", m, s, n)
	}
}

// table builds a merged table by hand: alpha × sigma_p × seed × {adam, gd},
// test_error = value(alpha, sigma_p, seed, optimiser).
func table(value func(a, p string, seed int, opt string) string) *Table {
	t := &Table{Header: append([]string{"run", "alpha", "sigma_p", "seed", "lambda", "optimizer", "lr"}, metricColumns...)}
	run := 0
	for _, a := range []string{"0.2", "0", "0.1"} { // out of order on purpose
		for _, p := range []string{"0.1", "0.05"} {
			for seed := range 3 {
				run++
				for _, opt := range []string{"adam", "gd"} {
					row := make([]string, len(t.Header))
					row[0], row[1], row[2], row[3], row[4], row[5] = "r"+string(rune('a'+run)), a, p, string(rune('0'+seed)), "1e-05", opt
					row[6] = map[string]string{"adam": "5e-05", "gd": "0.02"}[opt]
					row[t.Column("test_error")] = value(a, p, seed, opt)
					t.Rows = append(t.Rows, row)
				}
			}
		}
	}
	return t
}

func TestHeatmapDifference(t *testing.T) {
	// adam − gd = alpha + 10·sigma_p + seed/100 (seeds 0, 1, 2: mean +0.01, sd 0.01).
	tab := table(func(a, p string, seed int, opt string) string {
		if opt == "gd" {
			return "0.5"
		}
		return ffmt(0.5 + parse(a) + 10*parse(p) + float64(seed)/100)
	})
	h, err := tab.Heatmap(Query{Metric: "test_error", Diff: [2]string{"adam", "gd"}}, "alpha", "sigma_p")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(h.XTicks, " ") != "0 0.1 0.2" || strings.Join(h.YTicks, " ") != "0.05 0.1" {
		t.Fatalf("ticks %v %v, want numerically sorted axes", h.XTicks, h.YTicks)
	}
	if !h.Diverging || h.XLabel != "alpha" || h.YLabel != "sigma_p" || !strings.Contains(h.ZLabel, "adam − gd") {
		t.Errorf("labels %q %q %q, diverging %v", h.XLabel, h.YLabel, h.ZLabel, h.Diverging)
	}
	for i, p := range h.YTicks {
		for j, a := range h.XTicks {
			want := parse(a) + 10*parse(p) + 0.01
			if math.Abs(h.Z[i][j]-want) > 1e-12 || math.Abs(h.Std[i][j]-0.01) > 1e-12 {
				t.Errorf("cell alpha=%s sigma_p=%s: %v ± %v, want %v ± 0.01", a, p, h.Z[i][j], h.Std[i][j], want)
			}
		}
	}
}

func TestLines(t *testing.T) {
	tab := table(func(a, p string, seed int, opt string) string {
		if opt == "gd" {
			return "0"
		}
		return ffmt(parse(a) + float64(seed))
	})
	l, err := tab.Lines(Query{Metric: "test_error", Where: map[string]string{"sigma_p": "0.10"}}, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Series) != 2 || l.Series[0].Label != "adam" || l.Series[1].Label != "gd" {
		t.Fatalf("series %+v", l.Series)
	}
	if !strings.HasSuffix(l.Title, ", sigma_p=0.10") || l.YBounds != [2]float64{0, 1} {
		t.Errorf("title %q and y bounds %v: want the slice named and [0, 1]", l.Title, l.YBounds)
	}
	for j, x := range []float64{0, 0.1, 0.2} {
		s := l.Series[0]
		if s.X[j] != x || math.Abs(s.Mean[j]-(x+1)) > 1e-12 || math.Abs(s.Std[j]-1) > 1e-12 {
			t.Errorf("adam at %v: x %v mean %v sd %v, want mean %v sd 1", x, s.X[j], s.Mean[j], s.Std[j], x+1)
		}
	}
}

func TestQueryErrors(t *testing.T) {
	tab := table(func(string, string, int, string) string { return "0" })
	empty := &Table{Header: tab.Header}
	sigma := map[string]string{"sigma_p": "0.1"}
	for _, tc := range []struct {
		name string
		tab  *Table // nil: tab
		q    Query
		x, y string // no y: Lines, else Heatmap
		want string
	}{
		{"other axis varies", nil, Query{Metric: "test_error"}, "alpha", "", "sigma_p (0.05, 0.1)"},
		{"unknown metric", nil, Query{Metric: "accuracy", Where: sigma}, "alpha", "", "metric=\"accuracy\""},
		{"unknown optimizer", nil, Query{Metric: "test_error", Diff: [2]string{"adam", "sgd"}}, "alpha", "sigma_p", "optimizer=\"sgd\" is not in the table (it has: adam, gd)"},
		{"unknown axis", nil, Query{Metric: "test_error", Optimizers: []string{"gd"}}, "alfa", "sigma_p", "axis \"alfa\""},
		{"heatmap of two optimizers", nil, Query{Metric: "test_error"}, "alpha", "sigma_p", "one optimizer"},
		{"difference of an optimizer with itself", nil, Query{Metric: "test_error", Diff: [2]string{"adam", "adam"}, Where: sigma}, "alpha", "", "two different optimizers"},
		{"heatmap over one column twice", nil, Query{Metric: "test_error", Optimizers: []string{"gd"}}, "alpha", "alpha", "x and y are both \"alpha\""},
		{"unknown where", nil, Query{Metric: "test_error", Where: map[string]string{"sigma": "0.1"}}, "alpha", "", "\"sigma\" is not a configuration column"},
		// --where on a sweep with no complete run: an error that says so,
		// not a panic.
		{"lines of no rows", empty, Query{Metric: "test_error", Optimizers: []string{"adam"}, Where: sigma}, "alpha", "", "no results"},
		{"heatmap of no rows", empty, Query{Metric: "test_error", Optimizers: []string{"adam"}, Where: sigma}, "alpha", "sigma_p", "no results"},
		// A value no run has: the error lists the values there are, for
		// the key to blame only.
		{"where value absent", nil, Query{Metric: "test_error", Where: map[string]string{"sigma_p": "0.7", "alpha": "0"}}, "alpha", "", "no results match (metric test_error); sigma_p takes 0.05, 0.1 here, not 0.7"},
	} {
		in := cmp.Or(tc.tab, tab)
		var err error
		if tc.y == "" {
			_, err = in.Lines(tc.q, tc.x)
		} else {
			_, err = in.Heatmap(tc.q, tc.x, tc.y)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

func parse(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return v
}

// An axis NAME.PARAM takes the parameter from optimiser NAME's row of each
// run, for the rows of every optimiser.
func TestLinesOverOptimizerParameter(t *testing.T) {
	tab := &Table{Header: append([]string{"run", "alpha", "seed", "optimizer", "lr"}, metricColumns...)}
	te := tab.Column("test_error")
	for i, lr := range []string{"0.001", "0.0001"} {
		for seed := range 2 {
			id := fmt.Sprintf("r%d%d", i, seed)
			for _, o := range []struct{ name, lr, err string }{{"adam", lr, lr}, {"gd", "0.02", "0.5"}} {
				row := make([]string, len(tab.Header))
				row[0], row[1], row[2], row[3], row[4] = id, "0.2", fmt.Sprint(seed), o.name, o.lr
				row[te] = o.err
				tab.Rows = append(tab.Rows, row)
			}
		}
	}
	l, err := tab.Lines(Query{Metric: "test_error"}, "adam.lr")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Series) != 2 {
		t.Fatalf("%d series", len(l.Series))
	}
	adam, gd := l.Series[0], l.Series[1]
	if adam.X[0] != 0.0001 || adam.X[1] != 0.001 || adam.Mean[0] != 0.0001 || adam.Mean[1] != 0.001 {
		t.Errorf("adam series %+v: want test error = lr at each lr", adam)
	}
	if gd.Mean[0] != 0.5 || gd.Mean[1] != 0.5 || gd.Std[0] != 0 {
		t.Errorf("gd series %+v: want 0.5 at both of adam's lrs", gd)
	}
	if _, err := tab.Lines(Query{Metric: "test_error"}, "sgd.lr"); err == nil || !strings.Contains(err.Error(), "no optimizer \"sgd\"") {
		t.Errorf("axis of a missing optimizer: %v", err)
	}
}

// TestQueryRowsAdded: rows added to a table after a query count in the
// next one (a NAME.PARAM key looks them up).
func TestQueryRowsAdded(t *testing.T) {
	tab := table(func(a, p string, seed int, opt string) string { return "0.25" })
	rows := tab.Rows
	tab.Rows = rows[:len(rows)/2]
	q := Query{Metric: "test_error", Optimizers: []string{"adam"}, Where: map[string]string{"adam.lr": "5e-05", "sigma_p": "0.1"}}
	first, err := tab.Lines(q, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	tab.Rows = rows
	all, err := tab.Lines(q, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if n, m := len(first.Series[0].X), len(all.Series[0].X); n >= m {
		t.Errorf("%d alpha values after adding rows, %d before: the added rows were left out", m, n)
	}
}
