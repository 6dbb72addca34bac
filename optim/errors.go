package optim

import (
	"errors"
	"fmt"
)

// ErrDiverged is wrapped by the error of every training run whose loss or
// gradient became NaN or infinite, whatever trains it (train.Loop on the
// CNN, convex.Runner on the linear model): test for it with
// errors.Is(err, optim.ErrDiverged). train.ErrDiverged and
// convex.ErrDiverged are this same value.
var ErrDiverged = errors.New("diverged")

// A KeyError is a value of one key of an optimizers entry of config.yaml
// that is not allowed: Key is "name", a parameter ("lr") or "schedule.KEY"
// ("schedule.kind", "schedule.gamma"), so that a caller can point at the
// field (config.FieldError) without reading the message, which is Err's.
type KeyError struct {
	Key string
	Err error
}

func (e *KeyError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *KeyError) Unwrap() error { return e.Err }

// keyErrorf is a *KeyError for key with the message of format, wrapping
// ErrInvalid.
func keyErrorf(key, format string, args ...any) error {
	return &KeyError{Key: key, Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)}
}
