package optim

import "errors"

// ErrDiverged is wrapped by the error of every training run whose loss or
// gradient became NaN or infinite, whatever trains it (train.Loop on the
// CNN, convex.Runner on the linear model): test for it with
// errors.Is(err, optim.ErrDiverged). train.ErrDiverged and
// convex.ErrDiverged are this same value.
var ErrDiverged = errors.New("diverged")
