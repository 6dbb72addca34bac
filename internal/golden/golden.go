// Package golden compares output files with the golden copies kept under a
// package's testdata/golden, number by number to a relative tolerance, so
// that a change which moves the numbers fails while the last-bit
// differences between the AVX-512 and the portable kernels (about 1e-13)
// pass.
//
// A value is compared to rtol relative to the larger of the two values and
// of floor × the largest magnitude found at the same place in the golden
// file (the same CSV column, the same JSON key path with list indices left
// out): a value that crosses zero agrees between the kernels only to
// rounding of its neighbours' scale, not of itself. Wall-clock fields,
// whose names contain "seconds", are left out by design: every other field
// of adamgap's output is a function of the configuration alone.
package golden

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// RTol is the relative tolerance of the golden comparisons: the numbers of
// the float64 runs must not move by more (team standard).
const RTol = 1e-12

// Floor is the fraction of the largest magnitude at a place under which a
// value is compared absolutely (see the package comment).
const Floor = 1e-3

// MaxMessages caps the messages a comparison returns.
const MaxMessages = 20

// Ignored reports whether a field (CSV column, JSON key) is left out of the
// comparisons: the wall-clock ones, and the kernel path that ran (a
// property of the machine, like the clock).
func Ignored(name string) bool {
	return strings.Contains(strings.ToLower(name), "seconds") || name == "kernels"
}

// Within reports whether |a − b| ≤ rtol · max(|a|, |b|, floor).
func Within(a, b, rtol, floor float64) bool {
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return true
	}
	return math.Abs(a-b) <= rtol*max(math.Abs(a), math.Abs(b), floor)
}

// CSV compares two CSV files with a header row: the same header and rows,
// text fields exactly, numbers to rtol (below Floor × the column's largest
// magnitude in want, to rtol of that); exact names a column compared as
// text (counts such as step). Ignored columns are skipped.
func CSV(want, got []byte, rtol float64, exact ...string) []string {
	wr, err := csv.NewReader(bytes.NewReader(want)).ReadAll()
	if err != nil {
		return []string{"golden: " + err.Error()}
	}
	gr, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	if err != nil {
		return []string{"got: " + err.Error()}
	}
	if len(wr) == 0 || len(gr) == 0 {
		return []string{fmt.Sprintf("%d rows, want %d", len(gr), len(wr))}
	}
	if !slices.Equal(wr[0], gr[0]) {
		return []string{fmt.Sprintf("header %v, want %v", gr[0], wr[0])}
	}
	if len(wr) != len(gr) {
		return []string{fmt.Sprintf("%d rows, want %d", len(gr)-1, len(wr)-1)}
	}
	header := wr[0]
	scale := make([]float64, len(header))
	for _, row := range wr[1:] {
		for j, f := range row {
			if v, err := strconv.ParseFloat(f, 64); err == nil && j < len(scale) {
				scale[j] = max(scale[j], math.Abs(v))
			}
		}
	}
	var errs []string
	for i := 1; i < len(wr); i++ {
		w, g := wr[i], gr[i]
		if len(w) != len(g) {
			errs = append(errs, fmt.Sprintf("row %d: %d fields, want %d", i, len(g), len(w)))
			continue
		}
		for j := range w {
			if w[j] == g[j] || j >= len(header) || Ignored(header[j]) {
				continue
			}
			wv, errW := strconv.ParseFloat(w[j], 64)
			gv, errG := strconv.ParseFloat(g[j], 64)
			if errW != nil || errG != nil || slices.Contains(exact, header[j]) || !Within(wv, gv, rtol, Floor*scale[j]) {
				errs = append(errs, fmt.Sprintf("row %d (%s) %s = %s, want %s", i, strings.Join(w[:min(2, len(w))], " "), header[j], g[j], w[j]))
			}
		}
	}
	return limit(errs)
}

// JSON compares two JSON documents: the same keys (Ignored ones left out),
// lists of the same lengths, text and booleans exactly, numbers to rtol
// (below Floor × the largest magnitude at the same key path in want, to
// rtol of that).
func JSON(want, got []byte, rtol float64) []string {
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		return []string{"golden: " + err.Error()}
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return []string{"got: " + err.Error()}
	}
	scale := map[string]float64{}
	scan(w, "", scale)
	var errs []string
	compare(w, g, "", "", scale, rtol, &errs)
	return limit(errs)
}

// Normalize returns a JSON document without its Ignored keys, indented, keys
// sorted: what a golden file holds.
func Normalize(doc []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(drop(v), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func drop(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if !Ignored(k) {
				out[k] = drop(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = drop(e)
		}
		return out
	}
	return v
}

// scan records the largest magnitude of the numbers at each key path (list
// indices left out).
func scan(v any, key string, scale map[string]float64) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			scan(e, key+"."+k, scale)
		}
	case []any:
		for _, e := range x {
			scan(e, key+"[]", scale)
		}
	case float64:
		scale[key] = max(scale[key], math.Abs(x))
	}
}

func compare(w, g any, path, key string, scale map[string]float64, rtol float64, errs *[]string) {
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			*errs = append(*errs, fmt.Sprintf("%s: %s, want an object", path, kind(g)))
			return
		}
		keys := make([]string, 0, len(wv)+len(gv))
		for k := range wv {
			keys = append(keys, k)
		}
		for k := range gv {
			if _, ok := wv[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if Ignored(k) {
				continue
			}
			we, inW := wv[k]
			ge, inG := gv[k]
			switch {
			case !inW:
				*errs = append(*errs, fmt.Sprintf("%s.%s: not in the golden file", path, k))
			case !inG:
				*errs = append(*errs, fmt.Sprintf("%s.%s: missing", path, k))
			default:
				compare(we, ge, path+"."+k, key+"."+k, scale, rtol, errs)
			}
		}
	case []any:
		gv, ok := g.([]any)
		if !ok || len(gv) != len(wv) {
			*errs = append(*errs, fmt.Sprintf("%s: %s, want a list of %d", path, kind(g), len(wv)))
			return
		}
		for i := range wv {
			compare(wv[i], gv[i], fmt.Sprintf("%s[%d]", path, i), key+"[]", scale, rtol, errs)
		}
	case float64:
		gv, ok := g.(float64)
		if !ok || !Within(wv, gv, rtol, Floor*scale[key]) {
			*errs = append(*errs, fmt.Sprintf("%s = %v, want %v", path, g, wv))
		}
	default:
		if fmt.Sprint(w) != fmt.Sprint(g) {
			*errs = append(*errs, fmt.Sprintf("%s = %v, want %v", path, g, w))
		}
	}
}

func kind(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return fmt.Sprintf("a list of %d", len(x))
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", v)
}

var number = regexp.MustCompile(`[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?`)

// Text compares two text files line by line, leaving out lines that name an
// Ignored field (table1.md's "Seconds" row), with the numbers in a line
// compared to rtol and the rest exactly.
func Text(want, got []byte, rtol float64) []string {
	keep := func(b []byte) []string {
		var out []string
		for _, l := range strings.Split(string(b), "\n") {
			if !Ignored(l) {
				out = append(out, l)
			}
		}
		return out
	}
	wl, gl := keep(want), keep(got)
	if len(wl) != len(gl) {
		return []string{fmt.Sprintf("%d lines, want %d", len(gl), len(wl))}
	}
	var errs []string
	for i := range wl {
		if wl[i] == gl[i] {
			continue
		}
		wn, gn := number.FindAllString(wl[i], -1), number.FindAllString(gl[i], -1)
		same := len(wn) == len(gn) && number.ReplaceAllString(wl[i], "#") == number.ReplaceAllString(gl[i], "#")
		for j := 0; same && j < len(wn); j++ {
			a, _ := strconv.ParseFloat(wn[j], 64)
			b, _ := strconv.ParseFloat(gn[j], 64)
			same = Within(a, b, rtol, 0)
		}
		if !same {
			errs = append(errs, fmt.Sprintf("line %d: %q, want %q", i+1, gl[i], wl[i]))
		}
	}
	return limit(errs)
}

func limit(errs []string) []string {
	if len(errs) > MaxMessages {
		return append(errs[:MaxMessages], fmt.Sprintf("… and %d more", len(errs)-MaxMessages))
	}
	return errs
}
