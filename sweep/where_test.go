package sweep

import (
	"fmt"
	"strings"
	"testing"
)

// zipTable is the README's sweep in miniature: alpha × (adam.lr, adam.beta1
// zipped) × 2 seeds, Adam and GD in every run, GD's lr fixed.
func zipTable() *Table {
	tab := &Table{Header: append([]string{"run", "alpha", "seed", "optimizer", "lr", "beta1"}, metricColumns...)}
	te := tab.Column("test_error")
	for _, a := range []string{"0", "0.2"} {
		for i, lr := range []string{"0.0001", "0.001"} {
			for seed := range 2 {
				id := fmt.Sprintf("r%s-%d-%d", a, i, seed)
				for _, o := range []struct{ name, lr, beta1 string }{{"adam", lr, []string{"0.9", "0.99"}[i]}, {"gd", "0.05", ""}} {
					row := make([]string, len(tab.Header))
					row[0], row[1], row[2], row[3], row[4], row[5] = id, a, fmt.Sprint(seed), o.name, o.lr, o.beta1
					row[te] = "0.1"
					tab.Rows = append(tab.Rows, row)
				}
			}
		}
	}
	return tab
}

// Issue 20: the "also vary" message names the keys that work (adam.lr, not
// lr); a bare lr is refused with the key to use instead of keeping only
// Adam's rows; with adam.lr both optimisers stay.
func TestWhereOptimizerParameter(t *testing.T) {
	tab := zipTable()
	_, err := tab.Lines(Query{Metric: "test_error"}, "alpha")
	if err == nil || !strings.Contains(err.Error(), "adam.lr (0.0001, 0.001); adam.beta1 (0.9, 0.99)") || !strings.Contains(err.Error(), "--where adam.lr=0.0001") {
		t.Errorf("lines over alpha with adam.lr varying: %v; want it to name adam.lr and adam.beta1", err)
	}
	for _, y := range []string{"", "seed"} { // lines, heatmaps
		_, err = tab.Plots(Query{Metric: "test_error", Where: map[string]string{"lr": "0.001"}}, "alpha", y)
		if err == nil || !strings.Contains(err.Error(), "gd.lr: 0.05") || !strings.Contains(err.Error(), "say whose: --where adam.lr=0.001") {
			t.Errorf("--where lr=0.001 (y %q): %v; want a refusal suggesting adam.lr=0.001", y, err)
		}
	}
	for _, where := range []string{"adam.lr", "adam.beta1"} {
		v := map[string]string{"adam.lr": "1e-3", "adam.beta1": "0.99"}[where]
		l, err := tab.Lines(Query{Metric: "test_error", Where: map[string]string{where: v}}, "alpha")
		if err != nil || len(l.Series) != 2 || l.Series[0].Label != "adam" || l.Series[1].Label != "gd" {
			t.Fatalf("--where %s=%s: %v; want lines of adam and gd", where, v, err)
		}
	}
	// Plotted along the zipped axis, its partner moves with it: no mix.
	if _, err := tab.Lines(Query{Metric: "test_error", Where: map[string]string{"alpha": "0"}}, "adam.lr"); err != nil {
		t.Errorf("lines along adam.lr: %v", err)
	}
	// One optimiser: its own lr is unambiguous.
	l, err := tab.Lines(Query{Metric: "test_error", Optimizers: []string{"adam"}, Where: map[string]string{"lr": "0.001"}}, "alpha")
	if err != nil || len(l.Series) != 1 {
		t.Errorf("--optimizer adam --where lr=0.001: %v", err)
	}
}

// A plot of every optimiser never drops one silently: a --where that keeps
// no rows of some optimiser (one optimiser per run here) is an error that
// says which.
func TestWhereNeverDropsAnOptimizer(t *testing.T) {
	tab := &Table{Header: append([]string{"run", "alpha", "sigma_p", "seed", "optimizer", "lr"}, metricColumns...)}
	te := tab.Column("test_error")
	for i, r := range []struct{ opt, alpha, sigma string }{{"adam", "0", "0.1"}, {"adam", "0.2", "0.1"}, {"gd", "0", "0.3"}, {"gd", "0.2", "0.3"}} {
		row := make([]string, len(tab.Header))
		row[0], row[1], row[2], row[3], row[4], row[5] = fmt.Sprint("r", i), r.alpha, r.sigma, "0", r.opt, "0.01"
		row[te] = "0.2"
		tab.Rows = append(tab.Rows, row)
	}
	_, err := tab.Lines(Query{Metric: "test_error", Where: map[string]string{"sigma_p": "0.1"}}, "alpha")
	if err == nil || !strings.Contains(err.Error(), "keeps no rows of gd") || !strings.Contains(err.Error(), "--optimizer adam") {
		t.Errorf("lines of all optimizers keeping only adam's rows: %v; want an error naming gd", err)
	}
}
