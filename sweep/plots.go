package sweep

import (
	"fmt"
	"io"
	"strings"

	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/report"
)

// Figure is a plot that can be written as PNG and as SVG: report.Lines or
// report.Heatmap.
type Figure interface {
	WritePNG(io.Writer) error
	WriteSVG(io.Writer) error
}

// Plot is one figure of Plots and its file name (without extension).
type Plot struct {
	Name   string
	Figure Figure
}

// Plots draws q along x (lines with error bars, one per optimiser or the
// difference q.Diff), or over x × y when y is not empty: a heatmap per
// optimiser of q (all of the table's when q names none) and one of the
// difference of the first two, or only the one of q.Diff or of q's single
// optimiser.
func (t *Table) Plots(q Query, x, y string) ([]Plot, error) {
	if err := t.view().checkWhere(q); err != nil {
		return nil, err
	}
	var queries []Query
	switch {
	case y == "" || q.Diff[0] != "" || len(q.Optimizers) == 1:
		queries = []Query{q}
	default: // heatmaps of every optimizer, then of the difference
		names := q.Optimizers
		if len(names) == 0 {
			names = t.distinct("optimizer")
		}
		for _, n := range names {
			qq := q
			qq.Optimizers = []string{n}
			queries = append(queries, qq)
		}
		if len(names) >= 2 {
			qq := q
			qq.Optimizers, qq.Diff = nil, [2]string{names[0], names[1]}
			queries = append(queries, qq)
		}
	}
	var plots []Plot
	for _, qq := range queries {
		p := Plot{Name: qq.PlotName(x, y)}
		var err error
		if y == "" {
			p.Figure, err = t.Lines(qq, x)
		} else {
			p.Figure, err = t.Heatmap(qq, x, y)
		}
		if err != nil {
			return nil, err
		}
		plots = append(plots, p)
	}
	// Heat maps drawn together compare: one colour scale for the
	// optimisers' maps, one for the difference.
	var maps []*report.Heatmap
	for _, p := range plots {
		if h, ok := p.Figure.(*report.Heatmap); ok {
			maps = append(maps, h)
		}
	}
	report.ShareScale(maps...)
	return plots, nil
}

// distinct returns the values of column col in the order they first occur.
func (t *Table) distinct(col string) []string {
	c := t.Column(col)
	var out []string
	seen := map[string]bool{}
	for _, r := range t.Rows {
		if !seen[r[c]] {
			seen[r[c]] = true
			out = append(out, r[c])
		}
	}
	return out
}

// ParseDiff splits "A-B" or "A,B" into two optimiser names; optimiser
// names may contain '-', so "A-B" is split where both sides are known.
func ParseDiff(s string) (string, string, error) {
	if a, b, ok := strings.Cut(s, ","); ok {
		return a, b, nil
	}
	known := func(n string) bool { _, err := optim.Default(n); return err == nil }
	for i := range len(s) {
		if s[i] == '-' && known(s[:i]) && known(s[i+1:]) {
			return s[:i], s[i+1:], nil
		}
	}
	return "", "", fmt.Errorf("%q: want A-B or A,B with A and B among %s", s, strings.Join(optim.Names(), ", "))
}
