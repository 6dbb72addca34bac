package data

import (
	"errors"

	"github.com/adamgap/adamgap/internal/npzfile"
)

// ErrInvalid is wrapped by every error about a parameter out of its range.
var ErrInvalid = errors.New("invalid parameter")

// ErrShape is wrapped by every error about an array of the wrong shape or
// content read from a file.
var ErrShape = npzfile.ErrShape
