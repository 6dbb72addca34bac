package model

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/data"
)

// TestMalformedSetPanics: every entry point that hands a set to the
// kernels refuses a malformed one with a message naming the field, before
// any kernel runs; an index equal to d, which the AVX-512 forward pass
// would read past the weights with, is the first case.
func TestMalformedSetPanics(t *testing.T) {
	cnn := CNN{D: 12, M: 3, Q: 3, Lambda: 1e-3}
	w := cnn.Init(0.1, rand.New(rand.NewPCG(1, 1)))
	for _, c := range []struct {
		name    string
		corrupt func(s *data.Set)
		want    string
		columns bool // only the column form is broken: Errors never reads it
	}{
		{"index = d", func(s *data.Set) { s.Idx[4] = int32(s.D) }, "Idx[4]=12 out of [0, d=12)", false},
		{"index far out", func(s *data.Set) { s.Idx[0] = 1 << 28 }, "Idx[0]=268435456", false},
		{"column patch out of range", func(s *data.Set) { s.ColPatch[0] = int32(2 * s.N()) }, "ColPatch[0]=16", true},
		{"columns not the rows' transpose", func(s *data.Set) { s.ColVal[1] = 7 }, "column form disagrees", true},
		{"d differs", func(s *data.Set) { s.D = 11; s.ColPtr = s.ColPtr[:12] }, "network d=12, data d=11", false},
	} {
		for _, entry := range []struct {
			name string
			call func(s *data.Set)
		}{
			{"NewNet", func(s *data.Set) { NewNet[float64](cnn, s) }},
			{"NewNet", func(s *data.Set) { NewNet[float32](cnn, s) }},
			{"Errors", func(s *data.Set) { cnn.Errors(w, s) }},
		} {
			if c.columns && entry.name == "Errors" {
				continue
			}
			t.Run(c.name+"/"+entry.name, func(t *testing.T) {
				set, err := data.PatchModel{D: 12, S: 4, SigmaP: 1, Alpha: 0.2}.Train(8, rand.New(rand.NewPCG(2, 2)))
				if err != nil {
					t.Fatal(err)
				}
				c.corrupt(set)
				defer func() {
					r := recover()
					msg, _ := r.(string)
					if !strings.HasPrefix(msg, "model: "+entry.name+": ") || !strings.Contains(msg, c.want) {
						t.Errorf("panic %v, want \"model: %s: …%s…\"", r, entry.name, c.want)
					}
				}()
				entry.call(set)
			})
		}
	}
}

// TestInvalidNetworkPanics: q = 0 (on which the AVX-512 activation would
// loop for ever) is refused where a workspace is built.
func TestInvalidNetworkPanics(t *testing.T) {
	set, err := data.PatchModel{D: 12, S: 4, SigmaP: 1, Alpha: 0.2}.Train(8, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if msg, _ := recover().(string); !strings.HasPrefix(msg, "model: NewNet: q=0 must be") {
			t.Errorf("panic %q, want \"model: NewNet: q=0 must be …\"", msg)
		}
	}()
	NewNet[float64](CNN{D: 12, M: 3, Q: 0}, set)
}

// BenchmarkValidate is the check of a set at the paper's test-set size (10⁴
// examples, s = 100): the row part that CNN.Errors runs each call, the whole
// check of a training set that size, and one CNN.Errors beside them.
func BenchmarkValidate(b *testing.B) {
	set, err := data.PatchModel{D: 1000, S: 100, SigmaP: 0.1, Alpha: 0.2}.Test(10000, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	cnn := CNN{D: 1000, M: 20, Q: 3}
	w := cnn.Init(0.01, rand.New(rand.NewPCG(1, 2)))
	b.Run("ValidateRows", func(b *testing.B) {
		for b.Loop() {
			if err := set.ValidateRows(); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A test set has no column form (data.Builder.BuildRows): the whole
	// check is that of a training set of the same size.
	full, err := data.PatchModel{D: 1000, S: 100, SigmaP: 0.1, Alpha: 0.2}.Train(10000, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Validate", func(b *testing.B) {
		for b.Loop() {
			if err := full.Validate(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Errors", func(b *testing.B) {
		for b.Loop() {
			cnn.Errors(w, set)
		}
	})
}
