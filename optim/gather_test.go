package optim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// gatherCase draws a RowGrad of d rows of width wd whose listed rows (a
// fraction frac) are described by a Gather over nz rows of dz, up to 8
// entries a row, with Write the Go loop of the description (the rounded
// products added in order, as model's gather kernels compute them).
func gatherCase(rng *rand.Rand, d, wd, nz int, frac float64) RowGrad {
	gt := &RowGather{Ptr: []int32{0}, DZ: make([]float64, nz*wd)}
	for i := range gt.DZ {
		gt.DZ[i] = rng.NormFloat64()
	}
	r := RowGrad{Lambda: 1e-3, Width: wd, Gather: gt}
	for k := range d {
		if rng.Float64() >= frac {
			continue
		}
		r.Rows = append(r.Rows, int32(k))
		for range rng.IntN(9) {
			gt.Ent = append(gt.Ent, int32(rng.IntN(nz)))
			gt.Val = append(gt.Val, rng.NormFloat64())
		}
		gt.Ptr = append(gt.Ptr, int32(len(gt.Ent)))
	}
	rows := r.Rows
	gt.Write = func(g, w []float64) {
		for ri, k := range rows {
			for c := range wd {
				i := int(k)*wd + c
				x := float64(r.Lambda * w[i])
				for e := gt.Ptr[ri]; e < gt.Ptr[ri+1]; e++ {
					x += float64(gt.Val[e] * gt.DZ[int(gt.Ent[e])*wd+c])
				}
				g[i] = x
			}
		}
	}
	return r
}

// TestStepRowsGather: for Adam, AdamW, AdamPaper and GD on every kernel
// path, StepRows from a RowGrad with a Gather (computed in the step on
// AVX-512, written first elsewhere) gives the weights and moments of Fill
// then Step bit for bit, over several steps, widths with and without a
// masked block and row sets from none to all.
func TestStepRowsGather(t *testing.T) {
	defer UseKernel(kern.name)
	for _, k := range kernelNames() {
		UseKernel(k)
		for name, mk := range rowSteppers {
			for _, wd := range []int{1, 13, 40, 41, 100} {
				for _, frac := range []float64{0, 0.4, 1} {
					t.Run(fmt.Sprintf("%s/%s/wd=%d/frac=%g", k, name, wd, frac), func(t *testing.T) {
						rng := rand.New(rand.NewPCG(uint64(wd), uint64(frac*10)))
						const d, nz = 11, 7
						w := make([]float64, d*wd)
						for i := range w {
							w[i] = rng.NormFloat64()
						}
						wantW := slices.Clone(w)
						fused, plain := mk(), mk()
						for step := range 4 {
							r := gatherCase(rng, d, wd, nz, frac)
							full := make([]float64, len(w))
							if !r.Fill(full, wantW) {
								t.Fatalf("step %d: Fill reports a non-finite gradient", step)
							}
							plain.Step(wantW, full)
							g := make([]float64, len(w))
							for i := range g {
								g[i] = math.NaN() // must be written before it is read
							}
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

// TestStepRowsGatherNonFinite: an infinite or NaN entry of dz that a listed
// row reads, or an infinite weight, is reported by StepRows on every path.
func TestStepRowsGatherNonFinite(t *testing.T) {
	defer UseKernel(kern.name)
	for _, k := range kernelNames() {
		UseKernel(k)
		for _, bad := range []float64{math.Inf(1), math.NaN()} {
			for _, inW := range []bool{false, true} {
				rng := rand.New(rand.NewPCG(5, 6))
				const d, wd, nz = 6, 40, 3
				r := gatherCase(rng, d, wd, nz, 1)
				w := make([]float64, d*wd)
				if inW {
					w[3*wd+17] = bad
				} else {
					// a patch that some row reads
					for ri := range r.Rows {
						if a, b := r.Gather.Ptr[ri], r.Gather.Ptr[ri+1]; b > a {
							r.Gather.DZ[int(r.Gather.Ent[a])*wd+29] = bad
							break
						}
					}
				}
				if DefaultAdam(0.1).StepRows(w, make([]float64, len(w)), r) {
					t.Errorf("%s: %v (in w: %v): StepRows reports finite", k, bad, inW)
				}
			}
		}
	}
}

// TestRowGatherRejectsBad: a Ptr of the wrong length or decreasing, or a
// patch index out of DZ, is a programmer error (a panic, not a read out of
// bounds) on the path that reads the description.
func TestRowGatherRejectsBad(t *testing.T) {
	defer UseKernel(kern.name)
	if !UseKernel("avx512") {
		t.Skip("no AVX-512 path: the description is only read through Write")
	}
	for name, spoil := range map[string]func(gt *RowGather){
		"short Ptr":      func(gt *RowGather) { gt.Ptr = gt.Ptr[:len(gt.Ptr)-1] },
		"decreasing Ptr": func(gt *RowGather) { gt.Ptr[1], gt.Ptr[2] = 5, 1 },
		"Ptr past Ent":   func(gt *RowGather) { gt.Ptr[len(gt.Ptr)-1] = int32(len(gt.Ent) + 1) },
		"patch too big":  func(gt *RowGather) { gt.Ent[len(gt.Ent)-1] = 3 },
		"negative patch": func(gt *RowGather) { gt.Ent[0] = -1 },
	} {
		rng := rand.New(rand.NewPCG(7, 8))
		const d, wd, nz = 6, 40, 3
		r := gatherCase(rng, d, wd, nz, 1)
		for len(r.Gather.Ent) < 2 {
			r = gatherCase(rng, d, wd, nz, 1)
		}
		spoil(r.Gather)
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			w := make([]float64, d*wd)
			DefaultAdam(0.1).StepRows(w, make([]float64, len(w)), r)
		}()
	}
}

// gatherObjective is a RowObjective whose rows come as a Gather.
type gatherObjective struct {
	rng   *rand.Rand
	d, wd int
}

func (o gatherObjective) Grad(g, w []float64, t int) Value { panic("not used") }

func (o gatherObjective) GradRows(g, w []float64, t int) (Value, RowGrad) {
	return Value{Loss: 1}, gatherCase(o.rng, o.d, o.wd, 4, 0.5)
}

// TestMinimizeGatherForeignStepper: Minimize writes a Gather's rows into g
// before the step of a RowStepper of another package (foreignRows, which
// does not carry this package's marker), so that it never sees a Gather.
func TestMinimizeGatherForeignStepper(t *testing.T) {
	var s RowStepper[float64] = foreignRows{a: DefaultAdam(0.01), t: t}
	if _, ok := s.(gatherStepper); ok {
		t.Fatal("foreignRows carries the marker")
	}
	w := make([]float64, 5*8)
	obj := gatherObjective{rand.New(rand.NewPCG(1, 2)), 5, 8}
	if err := Minimize(t.Context(), Objective[float64](obj), Stepper[float64](s), w, Settings[float64]{Steps: 3, LR: 0.01}); err != nil {
		t.Fatal(err)
	}
}

// foreignRows wraps an Adam without embedding it (no promoted methods).
type foreignRows struct {
	a *Adam
	t *testing.T
}

func (f foreignRows) Step(w, g []float64) { f.a.Step(w, g) }

func (f foreignRows) StepRows(w, g []float64, r RowGrad) bool {
	if r.Gather != nil {
		f.t.Error("Minimize passed a Gather to a RowStepper of another package")
	}
	return f.a.StepRows(w, g, r)
}
