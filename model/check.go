package model

import (
	"fmt"
	"strings"

	"github.com/adamgap/adamgap/data"
)

// mustFit panics, naming the caller, unless the network is valid
// (CNN.Validate), the set is well formed (data.Set.Validate) and their
// dimensions agree. The assembly kernels index the weights and the
// pre-activations with the set's indices and do no bounds checks of their
// own, so every entry point that hands a set to them calls mustFit first:
// a malformed set is then a panic with a message, not a read outside an
// array. A network or a set that came from a user's file has been
// validated with an error before it gets here, so the panic marks a
// programmer error.
func mustFit(caller string, c CNN, set *data.Set) {
	mustFitRows(caller, c, set)
	if err := set.Validate(); err != nil {
		panic(fmt.Sprintf("model: %s: %v", caller, err))
	}
}

// mustFitRows is mustFit for a caller that runs the forward pass only: it
// checks the set's labels and row form (data.Set.ValidateRows), a
// sequential pass cheap beside the forward pass itself.
func mustFitRows(caller string, c CNN, set *data.Set) {
	if err := c.Validate(); err != nil {
		// "model: NewNet: q=0 must be …", not "model: …: model: q=0 …".
		panic(fmt.Sprintf("model: %s: %s", caller, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": ")))
	}
	if c.D != set.D {
		panic(fmt.Sprintf("model: %s: network d=%d, data d=%d", caller, c.D, set.D))
	}
	if err := set.ValidateRows(); err != nil {
		panic(fmt.Sprintf("model: %s: %v", caller, err))
	}
}
