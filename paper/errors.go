package paper

import "errors"

// ErrInvalid is wrapped by every error about an option out of its range:
// "paper: lambda=-1 must be a finite number > 0 (strong convexity)". The
// option is named as the adamgap command's flag (lambda, cnn-steps, …).
var ErrInvalid = errors.New("paper")
