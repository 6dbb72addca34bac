package optim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/internal/cputime"
	"github.com/adamgap/adamgap/internal/testenv"
)

func f32s(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// TestStep32ByHand: the float32 forms take the hand-computed steps of
// stepTests to float32 rounding.
func TestStep32ByHand(t *testing.T) {
	ran := 0
	for _, tt := range stepTests {
		if tt.spec.Check32() != nil {
			continue
		}
		ran++
		t.Run(tt.name, func(t *testing.T) {
			o := tt.spec.New32()
			w := f32s(w0)
			for s, want := range [][]float64{tt.w1, tt.w2} {
				o.Step(w, f32s([][]float64{g1, g2}[s]))
				for i := range w {
					if d := math.Abs(float64(w[i]) - want[i]); d > 1e-6*math.Max(1, math.Abs(want[i])) {
						t.Errorf("step %d coordinate %d: %v, want %v", s+1, i, w[i], want[i])
					}
				}
			}
		})
	}
	if ran != len(Names32()) {
		t.Errorf("%d of the %d float32 optimisers have hand-computed steps", ran, len(Names32()))
	}
}

// TestStep32FollowsFloat64: over 200 steps on random gradients the float32
// trajectory stays within float32 rounding of the float64 one.
func TestStep32FollowsFloat64(t *testing.T) {
	for _, name := range Names32() {
		t.Run(name, func(t *testing.T) {
			spec, _ := Default(name)
			spec.LR = 1e-2
			o64, o32 := spec.New(), spec.New32()
			rng := rand.New(rand.NewPCG(3, 4))
			w := make([]float64, 64)
			for i := range w {
				w[i] = float64(float32(rng.NormFloat64()))
			}
			w32 := f32s(w)
			g := make([]float64, len(w))
			for range 200 {
				for i := range g {
					g[i] = float64(float32(rng.NormFloat64() + w[i]))
				}
				o64.Step(w, g)
				o32.Step(w32, f32s(g))
			}
			for i := range w {
				if d := math.Abs(float64(w32[i]) - w[i]); d > 1e-5*math.Max(1, math.Abs(w[i])) {
					t.Errorf("coordinate %d: float32 %v, float64 %v", i, w32[i], w[i])
				}
			}
		})
	}
}

// TestStep32Kernels: the AVX-512 and Go float32 updates are bit-identical.
func TestStep32Kernels(t *testing.T) {
	if !slices.Contains(kernelNames(), "avx512") {
		t.Skip("no AVX-512 kernels in this build or on this CPU")
	}
	defer UseKernel(kern.name)
	for _, name := range Names32() {
		spec, _ := Default(name)
		spec.LR = 1e-2
		var out [2][]float32
		for k, kern := range []string{"portable", "avx512"} {
			UseKernel(kern)
			o := spec.New32()
			rng := rand.New(rand.NewPCG(7, 8))
			w := make([]float32, 101)
			for i := range w {
				w[i] = float32(rng.NormFloat64())
			}
			g := make([]float32, len(w))
			for range 50 {
				for i := range g {
					g[i] = float32(rng.NormFloat64()) + w[i]
				}
				o.Step(w, g)
			}
			out[k] = w
		}
		if !slices.Equal(out[0], out[1]) {
			t.Errorf("%s: portable and avx512 float32 steps differ", name)
		}
	}
}

// TestCheck32: every optimiser without a float32 form is refused with an
// error naming it and the dtype.
func TestCheck32(t *testing.T) {
	for _, name := range Names() {
		spec, _ := Default(name)
		err := spec.Check32()
		_, has := kinds32[name]
		switch {
		case has && err != nil:
			t.Errorf("%s: %v", name, err)
		case !has && (err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `"`+name+`"`) || !strings.Contains(err.Error(), "float32")):
			t.Errorf("%s: error %v, want one naming the optimizer and float32", name, err)
		}
	}
}

// TestAgainstPyTorch32: Adam32 and GD32 take torch.optim's float32 steps
// bit for bit (same operations, same roundings).
func TestAgainstPyTorch32(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Python and PyTorch")
	}
	testenv.NeedPython(t, "torch")
	const steps = 25
	// 20 coordinates: 16 through the AVX-512 kernel where it runs, 4 through
	// the Go loop.
	w0 := []float64{0.3, -0.2, 0.1, 0, 1, -0.7, 3e-4, -2e-5, 0.5, 0.25, -1e-3, 2, -0.4, 0.05, 0.6, -0.9, 1e-6, 0.8, -0.1, 0.3}
	grads := make([][]float64, steps)
	for s := range grads {
		g := make([]float64, len(w0))
		for i := range g {
			g[i] = float64(float32(math.Sin(float64(7*s+3*i+1)) * math.Exp(-0.3*float64((s+i)%4)) * math.Pow(10, -float64(i%5))))
		}
		g[3] = 0
		grads[s] = g
	}
	type run struct {
		Name   string         `json:"name"`
		Class  string         `json:"class"`
		Kwargs map[string]any `json:"kwargs"`
		ours   Spec
	}
	runs := []run{
		{Name: "adam", Class: "Adam", Kwargs: map[string]any{"lr": 0.01}, ours: Spec{Name: "adam", LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}},
		{Name: "adam-paper-lr", Class: "Adam", Kwargs: map[string]any{"lr": 5e-5}, ours: Spec{Name: "adam", LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}},
		{Name: "gd", Class: "SGD", Kwargs: map[string]any{"lr": 0.02}, ours: Spec{Name: "gd", LR: 0.02}},
	}
	w0f := make([]float64, len(w0))
	for i, v := range w0 {
		w0f[i] = float64(float32(v))
	}
	want := torchFamily(t, map[string]any{"w0": w0f, "grads": grads, "runs": runs, "dtype": "float32"})
	for _, r := range runs {
		t.Run(r.Name, func(t *testing.T) {
			o := r.ours.New32()
			w := f32s(w0f)
			for s, g := range grads {
				o.Step(w, f32s(g))
				for i := range w {
					if float64(w[i]) != want[r.Name][s][i] {
						t.Fatalf("step %d coordinate %d: ours %.9g, PyTorch %.9g", s+1, i, w[i], want[r.Name][s][i])
					}
				}
			}
		})
	}
}

// rowCase32 is rowCase in float32, with λ given, a −0 and a +0 weight
// (their λ·w is +0 either way, as the float32 objective's decay gives it)
// and moments left to the steps.
func rowCase32(rng *rand.Rand, d, wd int, frac, lambda float64) (w, g []float32, r RowGrad) {
	w64, g64, r := rowCase(rng, d, wd, frac)
	r.Lambda = lambda
	w, g = f32s(w64), f32s(g64)
	w[0], w[len(w)-1] = float32(math.Copysign(0, -1)), 0
	return w, g, r
}

// TestStepRows32MatchesFillStep: Adam32.StepRows gives, on every kernel
// path, widths with and without a masked tail, row sets from none to all
// and λ = 0 or not, the weights and moments of fill then Step bit for bit
// (−0 apart from +0) over several steps, and reports the gradient finite.
func TestStepRows32MatchesFillStep(t *testing.T) {
	defer UseKernel(kern.name)
	bits := func(x []float32) []uint32 {
		out := make([]uint32, len(x))
		for i, v := range x {
			out[i] = math.Float32bits(v)
		}
		return out
	}
	for _, k := range kernelNames() {
		UseKernel(k)
		for _, wd := range []int{1, 6, 13, 16, 40, 100} {
			for _, frac := range []float64{0, 0.3, 1} {
				for _, lambda := range []float64{0, 1e-3} {
					t.Run(fmt.Sprintf("%s/wd=%d/frac=%g/lambda=%g", k, wd, frac, lambda), func(t *testing.T) {
						rng := rand.New(rand.NewPCG(uint64(wd), uint64(frac*10)))
						const d = 9
						w, _, _ := rowCase32(rng, d, wd, 0, lambda)
						wantW := slices.Clone(w)
						fused := &Adam32{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
						plain := *fused
						for step := range 4 {
							_, g, r := rowCase32(rng, d, wd, frac, lambda)
							full := slices.Clone(g)
							if !fill(r, full, wantW) {
								t.Fatalf("step %d: fill reports a non-finite gradient", step)
							}
							plain.Step(wantW, full)
							if !fused.StepRows(w, g, r) {
								t.Fatalf("step %d: StepRows reports a non-finite gradient", step)
							}
							if !slices.Equal(bits(w), bits(wantW)) {
								t.Fatalf("step %d: weights differ from fill+Step", step)
							}
						}
						if !slices.Equal(bits(fused.m), bits(plain.m)) || !slices.Equal(bits(fused.v), bits(plain.v)) {
							t.Error("moments differ from fill+Step")
						}
					})
				}
			}
		}
	}
}

// TestStepRows32NonFinite: a NaN or infinite gradient entry, in a listed
// row (g) or an unlisted one (a weight), is reported by Adam32.StepRows on
// every kernel path, in a whole block of 16 and in a masked tail; NaN in
// an unlisted row of g is not read.
func TestStepRows32NonFinite(t *testing.T) {
	defer UseKernel(kern.name)
	for _, k := range kernelNames() {
		UseKernel(k)
		for _, listed := range []bool{true, false} {
			for _, lane := range []int{0, 5, 17, 39} {
				for _, bad := range []float64{math.NaN(), math.Inf(1)} {
					rng := rand.New(rand.NewPCG(3, 4))
					const d, wd = 5, 40
					w, g, r := rowCase32(rng, d, wd, 0, 1e-3)
					r.Rows = []int32{1, 3}
					for _, row := range r.Rows {
						for i := int(row) * wd; i < int(row+1)*wd; i++ {
							g[i] = 0.5
						}
					}
					o := &Adam32{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
					if !o.StepRows(slices.Clone(w), slices.Clone(g), r) {
						t.Fatalf("%s: finite case reported non-finite", k)
					}
					if listed {
						g[3*wd+lane] = float32(bad)
					} else {
						w[2*wd+lane] = float32(bad)
					}
					if o.StepRows(w, g, r) {
						t.Errorf("%s listed=%v lane %d %v: StepRows reports a finite gradient", k, listed, lane, bad)
					}
				}
			}
		}
	}
}

// BenchmarkAdam32 is Adam32 at the paper's size (d = 1000 rows of 40
// weights): Step on a whole gradient, and StepRows with 40% of the rows
// listed at random (a batch of 2: short runs) and with all of them (one
// run, Step's work); thread CPU time.
func BenchmarkAdam32(b *testing.B) {
	const d, wd = 1000, 40
	rng := rand.New(rand.NewPCG(1, 2))
	w, g, r := rowCase32(rng, d, wd, 0.4, 1e-5)
	for i := range g {
		g[i] = 0.01 * float32(rng.NormFloat64())
	}
	all := RowGrad{Lambda: r.Lambda, Width: wd}
	for k := range d {
		all.Rows = append(all.Rows, int32(k))
	}
	o := &Adam32{LR: 5e-5, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	b.Run("Step", func(b *testing.B) { cputime.Loop(b, func() { o.Step(w, g) }) })
	b.Run("StepRows/frac=0.4", func(b *testing.B) { cputime.Loop(b, func() { o.StepRows(w, g, r) }) })
	b.Run("StepRows/frac=1", func(b *testing.B) { cputime.Loop(b, func() { o.StepRows(w, g, all) }) })
}
