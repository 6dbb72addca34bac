package optim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/internal/kernel"
)

// kernelNames lists the Adam kernels of this build and CPU, portable first.
func kernelNames() []string {
	var names []string
	for _, name := range kernel.Paths() {
		if _, ok := kernelSets[name]; ok {
			names = append(names, name)
		}
	}
	return names
}

// rowCase draws weights of d rows of width wd, a gradient buffer that holds
// the gradient on a random subset of rows (and garbage elsewhere), and the
// same gradient filled in.
func rowCase(rng *rand.Rand, d, wd int, frac float64) (w, g []float64, r RowGrad) {
	w = make([]float64, d*wd)
	g = make([]float64, d*wd)
	r = RowGrad{Lambda: 1e-3, Width: wd}
	for i := range w {
		w[i] = rng.NormFloat64()
		g[i] = math.NaN() // never read where the row is not listed
	}
	for k := range d {
		if rng.Float64() < frac {
			r.Rows = append(r.Rows, int32(k))
			for i := k * wd; i < (k+1)*wd; i++ {
				g[i] = r.Lambda*w[i] + 0.1*rng.NormFloat64()
			}
		}
	}
	return w, g, r
}

// rowSteppers make the RowSteppers of the row-step tests, by name.
var rowSteppers = map[string]func() RowStepper[float64]{
	"adam":      func() RowStepper[float64] { return DefaultAdam(0.01) },
	"adamw":     func() RowStepper[float64] { return DefaultAdamW(0.01) },
	"adampaper": func() RowStepper[float64] { return DefaultAdamPaper(0.01) },
	"gd":        func() RowStepper[float64] { return &GD{LR: 0.3} },
}

// TestStepRowsMatchesFillStep: for Adam, AdamW, AdamPaper and GD, with each
// kernel, widths with and without a masked tail and row sets from none to
// all, StepRows gives the weights and moments of Fill then Step bit for bit
// over several steps, and reports the gradient finite.
func TestStepRowsMatchesFillStep(t *testing.T) {
	defer UseKernel(kern.name)
	for _, k := range kernelNames() {
		UseKernel(k)
		for name, mk := range rowSteppers {
			for _, wd := range []int{1, 6, 8, 13, 40, 100} {
				for _, frac := range []float64{0, 0.3, 1} {
					t.Run(fmt.Sprintf("%s/%s/wd=%d/frac=%g", k, name, wd, frac), func(t *testing.T) {
						rng := rand.New(rand.NewPCG(uint64(wd), uint64(frac*10)))
						const d = 9
						w, _, _ := rowCase(rng, d, wd, 0)
						wantW := slices.Clone(w)
						fused, plain := mk(), mk()
						for step := range 4 {
							_, g, r := rowCase(rng, d, wd, frac)
							full := slices.Clone(g)
							if !r.Fill(full, wantW) {
								t.Fatalf("step %d: Fill reports a non-finite gradient", step)
							}
							plain.Step(wantW, full)
							if !fused.StepRows(w, g, r) {
								t.Fatalf("step %d: StepRows reports a non-finite gradient", step)
							}
							if !slices.Equal(w, wantW) {
								t.Fatalf("step %d: weights differ from Fill+Step", step)
							}
						}
						if !slices.Equal(momentOf(fused), momentOf(plain)) {
							t.Error("second moments differ from Fill+Step")
						}
					})
				}
			}
		}
	}
}

// momentOf returns the second moment of an Adam-family optimiser.
func momentOf(o Optimizer) []float64 {
	switch o := o.(type) {
	case *Adam:
		return o.v
	case *AdamW:
		return o.v
	case *AdamPaper:
		return o.v
	case *GD:
		return nil // no state
	}
	panic("no moment")
}

// TestStepRowsNonFinite: a NaN or infinite gradient entry, in a listed row
// or in a λ·w row (an infinite weight), is reported by StepRows and Fill;
// NaN in an unlisted row of g is not read.
func TestStepRowsNonFinite(t *testing.T) {
	defer UseKernel(kern.name)
	tests := []struct {
		name   string
		listed bool    // put the bad value in a listed row of g, else in w
		bad    float64 // the bad value
		lane   int     // its column
	}{
		{"NaN in g", true, math.NaN(), 3},
		{"+Inf in g", true, math.Inf(1), 0},
		{"-Inf in g tail", true, math.Inf(-1), 12},
		{"Inf weight", false, math.Inf(1), 5},
		{"NaN weight tail", false, math.NaN(), 11},
	}
	for _, k := range kernelNames() {
		UseKernel(k)
		for _, tt := range tests {
			t.Run(k+"/"+tt.name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(3, 4))
				const d, wd = 5, 13
				w, g, r := rowCase(rng, d, wd, 0)
				r.Rows = []int32{1, 3}
				for _, row := range r.Rows {
					for i := int(row) * wd; i < int(row+1)*wd; i++ {
						g[i] = 0.5
					}
				}
				if tt.listed {
					g[3*wd+tt.lane] = tt.bad
				} else {
					w[2*wd+tt.lane] = tt.bad
				}
				if r.Fill(slices.Clone(g), w) {
					t.Error("Fill: finite")
				}
				wGD := slices.Clone(w)
				if DefaultAdam(0.1).StepRows(w, g, r) {
					t.Error("StepRows: finite")
				}
				if (&GD{LR: 0.1}).StepRows(wGD, g, r) {
					t.Error("GD StepRows: finite")
				}
			})
		}
	}
}

// TestRowGradRejectsBadRows: rows out of order, repeated or out of range
// are programmer errors.
func TestRowGradRejectsBadRows(t *testing.T) {
	for _, rows := range [][]int32{{2, 1}, {1, 1}, {-1}, {5}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("rows %v: no panic", rows)
				}
			}()
			w := make([]float64, 10)
			RowGrad{Lambda: 1, Width: 2, Rows: rows}.Fill(make([]float64, 10), w)
		}()
	}
}

// TestGDKernelsAgree: the AVX-512 update of gradient descent is the
// portable one bit for bit, for lengths around the kernel's blocks of 32
// and chunks of 8.
func TestGDKernelsAgree(t *testing.T) {
	if !slices.Contains(kernel.Paths(), kernel.AVX512) {
		t.Skip("no AVX-512")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 40, 77, 1000} {
		w, g := make([]float64, n), make([]float64, n)
		for i := range w {
			w[i], g[i] = rng.NormFloat64(), rng.NormFloat64()*1e3
		}
		want := slices.Clone(w)
		gdPortable(want, g, 0.0123)
		got := slices.Clone(w)
		gdAVX512(got, g[:n:n], 0.0123)
		if !slices.Equal(got, want) {
			t.Errorf("n=%d: AVX-512 GD differs from portable", n)
		}
	}
}
