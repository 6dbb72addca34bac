// Command scaling times one full-batch Adam step (forward, gradient, Adam
// update) in float64 and float32 over problem sizes from the paper's to
// 100× its work, and draws seconds per step against the work of a step,
//
//	W = n·(s+1)·2m + 2m·d   (multiply-adds: the sparse row sums of the
//	                         forward pass, those of the backward pass, and
//	                         the per-weight passes),
//
// on log-log axes (docs/scaling.png), with the arithmetic floor of each
// precision: the forward and backward passes are n·(s+1)·2m fused
// multiply-adds each, so a step needs at least
//
//	2·n·(s+1)·2m / (lanes · FMAs per cycle · clock)
//
// seconds, lanes = 8 (float64) or 16 (float32) in a 512-bit register. The
// clock is read from /proc/cpuinfo (or -ghz) and the FMA issue rate is
// -fma-per-cycle (default 2: Zen 4/5 and recent Xeons issue two 512-bit
// FMAs a cycle).
//
// Time is the CPU time of the timing thread (getrusage RUSAGE_THREAD,
// counted in scheduler ticks, so rounds last -round, 200 ms by default), so
// that waiting for a core on a shared machine does not count; the two
// precisions are timed in interleaved rounds and each keeps its fastest
// round, so what load remains (shared caches, a sibling hyperthread)
// slows both alike. It prints a
// table (size, work, µs per step, ratio, ns per unit of work, floor).
//
//	go run ./bench/scaling -out docs/scaling.png
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

type size struct {
	name       string
	d, n, s, m int
}

// work is the multiply-adds of one step, W = n·(s+1)·2m + 2m·d.
func (z size) work() float64 {
	return float64(z.n)*float64(z.s+1)*float64(2*z.m) + float64(2*z.m)*float64(z.d)
}

// fmas is the fused multiply-adds of the forward and backward row sums.
func (z size) fmas() float64 { return 2 * float64(z.n) * float64(z.s+1) * float64(2*z.m) }

var sizes = []size{
	{"paper", 1000, 200, 100, 20},
	{"paper m=50", 1000, 200, 100, 50},
	{"n=1000", 1000, 1000, 100, 20},
	{"10×", 10000, 2000, 100, 20},
	{"s=500 m=50", 20000, 1000, 500, 50},
	{"100×", 100000, 2000, 1000, 50},
}

// stepper runs k steps of one precision.
type stepper func(k int)

func float64Steps(z size, set *data.Set, w0 []float64) stepper {
	c := model.CNN{D: z.d, M: z.m, Q: 3, Lambda: 1e-5}
	ws := model.NewNet[float64](c, set)
	w := append([]float64(nil), w0...)
	g := make([]float64, len(w))
	opt := optim.DefaultAdam(5e-5)
	return func(k int) {
		for range k {
			ws.LossGrad(g, w)
			opt.Step(w, g)
		}
	}
}

func float32Steps(z size, set *data.Set, w0 []float64) stepper {
	c := model.CNN{D: z.d, M: z.m, Q: 3, Lambda: 1e-5}
	net := model.NewNet[float32](c, set)
	w := make([]float32, len(w0))
	for i, v := range w0 {
		w[i] = float32(v)
	}
	g := make([]float32, len(w))
	opt := &optim.Adam32{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	return func(k int) {
		for range k {
			net.LossGrad(g, w)
			opt.Step(w, g)
		}
	}
}

// best returns the fastest CPU seconds per step of each stepper over
// rounds interleaved rounds of at least minRound each.
func best(steppers []stepper, rounds int, minRound time.Duration) []float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	out := make([]float64, len(steppers))
	k := make([]int, len(steppers))
	for i, s := range steppers { // calibrate steps per round on the wall clock (thread CPU time is counted in ticks)
		s(1) // first touch of the buffers
		n := 1
		for {
			t0 := time.Now()
			s(n)
			if el := time.Since(t0); el > minRound/4 || n > 1<<20 {
				k[i] = max(1, int(float64(n)*minRound.Seconds()/el.Seconds()))
				break
			}
			n *= 2
		}
		out[i] = math.Inf(1)
	}
	for range rounds {
		for i, s := range steppers {
			t0 := cpuTime()
			s(k[i])
			out[i] = min(out[i], (cpuTime()-t0)/float64(k[i]))
		}
	}
	return out
}

// cpuTime returns the CPU seconds (user and system) of the calling thread.
func cpuTime() float64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		panic(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func clockGHz() float64 {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "cpu MHz" {
			mhz, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return mhz / 1000
			}
		}
	}
	return 0
}

func main() {
	out := flag.String("out", "docs/scaling.png", "PNG to draw")
	rounds := flag.Int("rounds", 5, "interleaved timing rounds per size (the fastest counts)")
	minRound := flag.Duration("round", 200*time.Millisecond, "least duration of one round of one precision")
	ghz := flag.Float64("ghz", 0, "clock for the floor in GHz (0: from /proc/cpuinfo)")
	fmaRate := flag.Float64("fma-per-cycle", 2, "512-bit FMAs issued per cycle, for the floor")
	only := flag.String("sizes", "", "comma-separated size names to run (default all)")
	flag.Parse()
	if *ghz == 0 {
		*ghz = clockGHz()
	}
	if !(*ghz > 0) || !(*fmaRate > 0) || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "scaling: -ghz (or /proc/cpuinfo), -fma-per-cycle and -rounds must be positive")
		os.Exit(2)
	}
	fmt.Printf("kernels %s; floor at %.2f GHz, %g FMA/cycle\n", model.Kernel(), *ghz, *fmaRate)
	fmt.Printf("%-12s %8s %8s %6s %5s %12s %10s %10s %7s %9s %9s %9s %9s\n", "size", "d", "n", "s", "m", "work", "f64 µs", "f32 µs", "ratio", "f64 ns/W", "f32 ns/W", "floor64", "floor32")
	var pts [2]plotter.XYs
	var floor [2]plotter.XYs
	for _, z := range sizes {
		if *only != "" && !strings.Contains(","+*only+",", ","+z.name+",") {
			continue
		}
		pm := data.PatchModel{D: z.d, S: z.s, SigmaP: 0.1, Alpha: 0.2}
		set, err := pm.Train(z.n, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			fmt.Fprintln(os.Stderr, "scaling:", err)
			os.Exit(1)
		}
		w0 := model.CNN{D: z.d, M: z.m, Q: 3}.Init(0.01, rand.New(rand.NewPCG(1, 3)))
		t := best([]stepper{float64Steps(z, set, w0), float32Steps(z, set, w0)}, *rounds, *minRound)
		W := z.work()
		f64 := z.fmas() / (8 * *fmaRate * *ghz * 1e9)
		f32 := z.fmas() / (16 * *fmaRate * *ghz * 1e9)
		fmt.Printf("%-12s %8d %8d %6d %5d %12.4g %10.1f %10.1f %7.2f %9.3f %9.3f %9.1f %9.1f\n",
			z.name, z.d, z.n, z.s, z.m, W, t[0]*1e6, t[1]*1e6, t[1]/t[0], t[0]/W*1e9, t[1]/W*1e9, f64*1e6, f32*1e6)
		pts[0] = append(pts[0], plotter.XY{X: W, Y: t[0]})
		pts[1] = append(pts[1], plotter.XY{X: W, Y: t[1]})
		floor[0] = append(floor[0], plotter.XY{X: W, Y: f64})
		floor[1] = append(floor[1], plotter.XY{X: W, Y: f32})
	}
	if len(pts[0]) == 0 {
		fmt.Fprintln(os.Stderr, "scaling: no size selected")
		os.Exit(2)
	}
	if err := draw(*out, pts, floor, *ghz, *fmaRate); err != nil {
		fmt.Fprintln(os.Stderr, "scaling:", err)
		os.Exit(1)
	}
	fmt.Println("wrote", *out)
}

func draw(path string, pts, floor [2]plotter.XYs, ghz, rate float64) error {
	p := plot.New()
	p.Title.Text = "One full-batch Adam step"
	p.X.Label.Text = "work W = n·(s+1)·2m + 2m·d"
	p.Y.Label.Text = "seconds per step"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Add(plotter.NewGrid())
	p.Legend.Top, p.Legend.Left = false, false // bottom right, below the lines
	for i, name := range []string{"float64", "float32"} {
		line, points, err := plotter.NewLinePoints(pts[i])
		if err != nil {
			return err
		}
		col := plotutil.Color(i)
		line.Color, points.Color, points.Shape = col, col, plotutil.Shape(i)
		fl, err := plotter.NewLine(floor[i])
		if err != nil {
			return err
		}
		fl.Color, fl.Dashes = col, []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(line, points, fl)
		p.Legend.Add(name, line, points)
		p.Legend.Add(fmt.Sprintf("%s FMA floor (%g/cycle, %.1f GHz)", name, rate, ghz), fl)
	}
	return p.Save(6*vg.Inch, 4.2*vg.Inch, path)
}
