package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/data"
)

func TestTensorLayout(t *testing.T) {
	for _, c := range []CNN{{D: 1, M: 1, Q: 1}, {D: 5, M: 3, Q: 2}, {D: 7, M: 1, Q: 3}, {D: 2, M: 4, Q: 1}} {
		rng := rand.New(rand.NewPCG(uint64(c.D), uint64(c.M)))
		flat := make([]float64, c.Size())
		for e := range flat {
			flat[e] = rng.NormFloat64()
		}
		w := c.FromFlatTensor(flat)
		tensor := c.ToTensor(w)
		if len(tensor) != 2 {
			t.Fatalf("%+v: ToTensor has %d classes, want 2", c, len(tensor))
		}
		for jj, j := range []int{-1, 1} {
			if len(tensor[jj]) != c.M {
				t.Fatalf("%+v: ToTensor[%d] has %d rows, want m=%d", c, jj, len(tensor[jj]), c.M)
			}
			for r := range c.M {
				if len(tensor[jj][r]) != c.D {
					t.Fatalf("%+v: ToTensor[%d][%d] has %d entries, want d=%d", c, jj, r, len(tensor[jj][r]), c.D)
				}
				for k := range c.D {
					want := flat[(jj*c.M+r)*c.D+k]
					if got := tensor[jj][r][k]; got != want {
						t.Errorf("%+v: ToTensor[%d][%d][%d] = %v, want flat value %v", c, jj, r, k, got, want)
					}
					if got := w[c.At(j, r, k)]; got != want {
						t.Errorf("%+v: w[At(%d,%d,%d)] = %v, want %v", c, j, r, k, got, want)
					}
				}
			}
		}
		// At must be a bijection onto [0, Size).
		seen := make([]bool, c.Size())
		for _, j := range []int{-1, 1} {
			for r := range c.M {
				for k := range c.D {
					i := c.At(j, r, k)
					if i < 0 || i >= c.Size() || seen[i] {
						t.Fatalf("%+v: At(%d,%d,%d) = %d is out of range or repeated", c, j, r, k, i)
					}
					seen[i] = true
				}
			}
		}
	}
}

// TestInitTensorOrder checks that Init draws in (2, m, d) order, so the
// same seed gives the same tensor whatever the storage layout.
func TestInitTensorOrder(t *testing.T) {
	c := CNN{D: 6, M: 3, Q: 3}
	const sigma0 = 0.25
	w := c.Init(sigma0, rand.New(rand.NewPCG(4, 5)))
	rng := rand.New(rand.NewPCG(4, 5))
	flat := make([]float64, c.Size())
	for e := range flat {
		flat[e] = sigma0 * rng.NormFloat64()
	}
	if want := c.FromFlatTensor(flat); !slices.Equal(w, want) {
		t.Errorf("Init = %v, want the tensor-order draws %v", w, want)
	}
}

func TestErrorsAgreesWithLossGrad(t *testing.T) {
	for _, c := range gradCases() {
		t.Run(c.String(), func(t *testing.T) {
			cnn, _, _, set, w := c.problem()
			ev := NewNet[float64](cnn, set).LossGrad(nil, w)
			if got := cnn.Errors(w, set); got != ev.Errors {
				t.Errorf("Errors = %d, LossGrad counts %d", got, ev.Errors)
			}
		})
	}
	// A larger generated set where both counts are away from 0 and n.
	pm := data.PatchModel{D: 40, S: 8, SigmaP: 1, Alpha: 0.2}
	set, err := pm.Train(300, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	cnn := CNN{D: 40, M: 3, Q: 3}
	w := cnn.Init(0.5, rand.New(rand.NewPCG(3, 4)))
	ev := NewNet[float64](cnn, set).LossGrad(nil, w)
	if got := cnn.Errors(w, set); got != ev.Errors {
		t.Errorf("generated set: Errors = %d, LossGrad counts %d", got, ev.Errors)
	}
	if ev.Errors == 0 || ev.Errors == set.N() {
		t.Errorf("generated set: %d errors of %d; pick weights that make some but not all errors", ev.Errors, set.N())
	}
}

// TestTiesAreErrors: F_y = F_{−y} counts as an error in both counters.
func TestTiesAreErrors(t *testing.T) {
	cnn := CNN{D: 4, M: 2, Q: 2}
	x := [][][]float64{
		{{1, 0, 0, 0}, {-0.2, 0.5, 0, 0}},
		{{-1, 0, 0, 0}, {0.2, 0, 0.7, 0}},
		{{1, 0, 0, 0}, {-0.2, 0, 0, -0.3}},
		{{-1, 0, 0, 0}, {0.2, 0.1, 0, 0.4}},
	}
	y := []int8{1, -1, 1, -1}
	set := data.FromDense(x, y)
	tests := []struct {
		name string
		w    func() []float64
	}{
		{"zero weights", func() []float64 { return make([]float64, cnn.Size()) }},
		{"identical classes", func() []float64 {
			w := make([]float64, cnn.Size())
			rng := rand.New(rand.NewPCG(7, 7))
			for r := range cnn.M {
				for k := range cnn.D {
					v := rng.NormFloat64()
					w[cnn.At(-1, r, k)], w[cnn.At(1, r, k)] = v, v
				}
			}
			return w
		}},
	}
	for _, tt := range tests {
		w := tt.w()
		ev := NewNet[float64](cnn, set).LossGrad(nil, w)
		if ev.Errors != set.N() {
			t.Errorf("%s: LossGrad counts %d errors, want all %d (ties are errors)", tt.name, ev.Errors, set.N())
		}
		if got := cnn.Errors(w, set); got != set.N() {
			t.Errorf("%s: Errors = %d, want all %d (ties are errors)", tt.name, got, set.N())
		}
	}
}

// validateCase is a network and the text Validate's error must contain
// ("" for valid).
type validateCase struct {
	c    CNN
	want string
}

// checkValidate runs Validate on every case.
func checkValidate(t *testing.T, tests []validateCase) {
	t.Helper()
	for _, tt := range tests {
		err := tt.c.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", tt.c, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%+v: error %v, want one naming %q", tt.c, err, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	checkValidate(t, []validateCase{
		{CNN{D: 3, M: 2, Q: 1}, ""},
		{CNN{D: 0, M: 2, Q: 1}, "d=0"},
		{CNN{D: 3, M: 0, Q: 1}, "m=0"},
		{CNN{D: 3, M: 2, Q: 0}, "q=0"},
		{CNN{D: 3, M: 2, Q: 1, Lambda: -1}, "lambda=-1"},
		{CNN{D: 3, M: 2, Q: 1, Lambda: math.NaN()}, "lambda=NaN"},
	})
}
