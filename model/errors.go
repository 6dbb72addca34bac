package model

import (
	"errors"

	"github.com/adamgap/adamgap/internal/npzfile"
)

// ErrInvalid is wrapped by every error about a parameter out of its range.
var ErrInvalid = errors.New("invalid parameter")

// ErrShape is wrapped by errors about weights of the wrong shape.
var ErrShape = npzfile.ErrShape
