package optim

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// kinds32 builds the optimisers that have a float32 form.
var kinds32 = map[string]func(Spec) Stepper[float32]{
	"adam": func(s Spec) Stepper[float32] { return &Adam32{LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps} },
	"gd":   func(s Spec) Stepper[float32] { return &GD32{LR: s.LR} },
}

// Names32 returns the names of the optimisers with a float32 form, sorted.
func Names32() []string {
	return slices.Sorted(maps.Keys(kinds32))
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
func (s Spec) New32() Stepper[float32] {
	if err := s.Check32(); err != nil {
		panic("optim: New32: " + err.Error())
	}
	return kinds32[s.Name](s)
}
