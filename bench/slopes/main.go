// Command slopes reads the output of
//
//	go test ./model -run '^$' -bench Scaling
//
// on standard input and prints, for each varied parameter (n, s, m, d), the
// least-squares slope of log(ns/op) against log(work): n·s·m for n, s and
// m, and m·d for d (the optimiser pass). A slope of 1 means time grows in
// proportion to the work, with no hidden cost.
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/stat"
)

var line = regexp.MustCompile(`BenchmarkScaling/n=(\d+)/s=(\d+)/m=(\d+)/d=(\d+)\S*\s+\d+\s+([\d.]+) ns/op`)

type point struct{ n, s, m, d, ns float64 }

func main() {
	var pts []point
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if f := line.FindStringSubmatch(sc.Text()); f != nil {
			var v [5]float64
			for i := range v {
				v[i], _ = strconv.ParseFloat(f[i+1], 64)
			}
			pts = append(pts, point{v[0], v[1], v[2], v[3], v[4]})
		}
	}
	if len(pts) == 0 {
		fmt.Fprintln(os.Stderr, "slopes: no BenchmarkScaling lines on standard input")
		os.Exit(1)
	}
	base := point{n: 200, s: 100, m: 20, d: 1000}
	axes := []struct {
		name string
		get  func(point) float64
		work func(point) float64
	}{
		{"n", func(p point) float64 { return p.n }, func(p point) float64 { return p.n * p.s * p.m }},
		{"s", func(p point) float64 { return p.s }, func(p point) float64 { return p.n * p.s * p.m }},
		{"m", func(p point) float64 { return p.m }, func(p point) float64 { return p.n * p.s * p.m }},
		{"d", func(p point) float64 { return p.d }, func(p point) float64 { return p.m * p.d }},
	}
	fmt.Printf("%-4s %-8s %8s  %s\n", "axis", "work", "slope", "points (value: µs/step)")
	for _, ax := range axes {
		var xs, ys []float64
		var desc []string
		for _, p := range pts {
			if !varies(p, base, ax.name) {
				continue
			}
			xs = append(xs, math.Log(ax.work(p)))
			ys = append(ys, math.Log(p.ns))
			desc = append(desc, fmt.Sprintf("%g: %.1f", ax.get(p), p.ns/1e3))
		}
		if len(xs) < 2 {
			continue
		}
		sort.Strings(desc)
		_, slope := stat.LinearRegression(xs, ys, nil, false)
		work := "n·s·m"
		if ax.name == "d" {
			work = "m·d"
		}
		fmt.Printf("%-4s %-8s %8.3f  %v\n", ax.name, work, slope, desc)
	}
}

// varies reports whether p differs from base in axis only.
func varies(p, base point, axis string) bool {
	same := func(a, b float64, name string) bool { return name == axis || a == b }
	return same(p.n, base.n, "n") && same(p.s, base.s, "s") && same(p.m, base.m, "m") && same(p.d, base.d, "d")
}
