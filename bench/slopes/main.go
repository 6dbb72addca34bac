// Command slopes reads the output of
//
//	go test ./model -run '^$' -bench Scaling
//
// on standard input and prints least-squares slopes of log(ns/op) against
// log(work): for the forward and gradient ("grad"), work = n·s·m over the
// sizes that vary n, s or m (d fixed); for the Adam pass ("adam"), work =
// m·d over the sizes that vary m or d. A slope of 1 means time grows in
// proportion to the work.
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

var line = regexp.MustCompile(`BenchmarkScaling/(grad|adam)/n=(\d+)/s=(\d+)/m=(\d+)/d=(\d+)\S*\s+\d+\s+([\d.]+) ns/op`)

type point struct {
	kind           string
	n, s, m, d, ns float64
}

func main() {
	var pts []point
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		f := line.FindStringSubmatch(sc.Text())
		if f == nil {
			continue
		}
		var v [5]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(f[i+2], 64)
		}
		pts = append(pts, point{f[1], v[0], v[1], v[2], v[3], v[4]})
	}
	if len(pts) == 0 {
		fmt.Fprintln(os.Stderr, "slopes: no BenchmarkScaling lines on standard input")
		os.Exit(1)
	}
	fits := []struct {
		kind, label string
		use         func(point) bool
		work        func(point) float64
	}{
		{"grad", "grad vs n·s·m (n, s, m varied; d=1000)", func(p point) bool { return p.d == 1000 }, func(p point) float64 { return p.n * p.s * p.m }},
		{"grad", "grad vs n (s=100, m=20, d=1000)", func(p point) bool { return p.d == 1000 && p.s == 100 && p.m == 20 }, func(p point) float64 { return p.n }},
		{"grad", "grad vs s (n=200, m=20, d=1000)", func(p point) bool { return p.d == 1000 && p.n == 200 && p.m == 20 }, func(p point) float64 { return p.s }},
		{"grad", "grad vs m (n=200, s=100, d=1000)", func(p point) bool { return p.d == 1000 && p.n == 200 && p.s == 100 }, func(p point) float64 { return p.m }},
		{"adam", "adam vs m·d (m, d varied; n=200, s=100)", func(p point) bool { return p.n == 200 && p.s == 100 }, func(p point) float64 { return p.m * p.d }},
	}
	for _, f := range fits {
		var xs, ys []float64
		for _, p := range pts {
			if p.kind == f.kind && f.use(p) {
				xs = append(xs, math.Log(f.work(p)))
				ys = append(ys, math.Log(p.ns))
			}
		}
		if len(xs) < 2 {
			continue
		}
		_, slope := stat.LinearRegression(xs, ys, nil, false)
		fmt.Printf("%-45s slope %.3f over %d sizes\n", f.label, slope, len(xs))
	}
	fitTerms(pts)
	fmt.Println("\nper size (µs):")
	for _, p := range pts {
		fmt.Printf("  %s n=%g s=%g m=%g d=%g: %.1f\n", p.kind, p.n, p.s, p.m, p.d, p.ns/1e3)
	}
}

// fitTerms fits the forward-and-gradient time over every size as
// a·(n·s·m) + b·(n·m) + c·(m·d): the sparse rows of the noise patches, the
// per-example work, and the weight-decay term of the gradient. A good fit
// (small residuals) means no other cost grows with the problem.
func fitTerms(pts []point) {
	var rows [][3]float64
	var ys []float64
	for _, p := range pts {
		if p.kind != "grad" {
			continue
		}
		rows = append(rows, [3]float64{p.n * p.s * p.m, p.n * p.m, p.m * p.d})
		ys = append(ys, p.ns)
	}
	if len(rows) < 4 {
		return
	}
	// Weighted by 1/y so that every size counts in relative terms.
	a := mat.NewDense(len(rows), 3, nil)
	b := mat.NewVecDense(len(rows), nil)
	for i, r := range rows {
		for j := range 3 {
			a.Set(i, j, r[j]/ys[i])
		}
		b.SetVec(i, 1)
	}
	var x mat.VecDense
	if err := x.SolveVec(a, b); err != nil {
		fmt.Println("fit failed:", err)
		return
	}
	worst := 0.0
	for i, r := range rows {
		pred := x.AtVec(0)*r[0] + x.AtVec(1)*r[1] + x.AtVec(2)*r[2]
		worst = max(worst, math.Abs(pred-ys[i])/ys[i])
	}
	fmt.Printf("\ngrad ≈ %.3g ns·(n·s·m) + %.3g ns·(n·m) + %.3g ns·(m·d); worst relative residual %.0f%% over %d sizes\n",
		x.AtVec(0), x.AtVec(1), x.AtVec(2), 100*worst, len(rows))
}
