package optim

import (
	"fmt"
	"slices"
	"strings"
)

// Optimizer32 updates float32 weights in place given the gradient at those
// weights, as Optimizer does for float64. Implementations keep their state
// in float32 and size it on the first call; Step32 panics if len(w) !=
// len(g) or the length changes.
type Optimizer32 interface {
	Step32(w, g []float32)
}

// kinds32 builds the optimisers that have a float32 form.
var kinds32 = map[string]func(Spec) Optimizer32{
	"adam": func(s Spec) Optimizer32 { return &Adam32{LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps} },
	"gd":   func(s Spec) Optimizer32 { return &GD32{LR: s.LR} },
}

// Names32 returns the names of the optimisers with a float32 form, sorted.
func Names32() []string {
	names := make([]string, 0, len(kinds32))
	for n := range kinds32 {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Check32 reports whether the optimiser has a float32 form, as an error
// naming the optimiser, the dtype and those that have one.
func (s Spec) Check32() error {
	if _, ok := kinds32[s.Name]; !ok {
		return fmt.Errorf("%w: optimizer=%q has no float32 form (dtype=float32 supports %s); use dtype=float64", ErrInvalid, s.Name, strings.Join(Names32(), ", "))
	}
	return nil
}

// New32 builds the float32 form of the optimiser; the Spec must be valid
// and Check32 must pass.
func (s Spec) New32() Optimizer32 {
	if err := s.Check32(); err != nil {
		panic("optim: New32: " + err.Error())
	}
	return kinds32[s.Name](s)
}

func checkLen32(w, g []float32, state int) {
	if len(w) != len(g) || (state != 0 && state != len(w)) {
		panic("optim: Step32: weights, gradient and state differ in length")
	}
}
