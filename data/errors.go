package data

import (
	"errors"

	"github.com/adamgap/adamgap/internal/npzfile"
)

// ErrInvalid is wrapped by every error about a parameter out of its range:
// "data: s=0 must be at least 1" (as every package's ErrInvalid, its
// message is the package's name).
var ErrInvalid = errors.New("data")

// ErrShape is wrapped by every error about an array of the wrong shape or
// content read from a file.
var ErrShape = npzfile.ErrShape
