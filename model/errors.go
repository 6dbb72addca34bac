package model

import (
	"errors"

	"github.com/adamgap/adamgap/internal/npzfile"
)

// ErrInvalid is wrapped by every error about a parameter out of its range:
// "model: m=0 must be at least 1" (as every package's ErrInvalid, its
// message is the package's name).
var ErrInvalid = errors.New("model")

// ErrShape is wrapped by errors about weights of the wrong shape.
var ErrShape = npzfile.ErrShape
