package paper

import (
	"errors"
	"fmt"
	"math"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/convex"
	"github.com/adamgap/adamgap/convnet"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/theory"
)

// ErrInvalid is wrapped by every error about an option out of its range:
// "paper: lambda=-1 must be a finite number > 0 (strong convexity)". The
// option is named as the adamgap command's flag (lambda, cnn-steps, …).
// An option that is a configuration of another package (Table1Options.Config,
// CheckOptions.Config, Figure1's network) is checked by that package: its
// error keeps its own message and wraps both its package's ErrInvalid and
// this one.
var ErrInvalid = errors.New("paper")

// maxSteps bounds the optimiser steps an option may ask for (steps derived
// from epochs or from steps-eta/η), so that the count cannot overflow:
// config's own bound.
const maxSteps = config.MaxSteps

// invalidError is an error of another package about a value out of range,
// marked as ErrInvalid too; its message is the other package's.
type invalidError struct{ err error }

func (e invalidError) Error() string   { return e.err.Error() }
func (e invalidError) Unwrap() []error { return []error{ErrInvalid, e.err} }

// asInvalid returns err marked as ErrInvalid when it is another package's
// error about a value out of range (config, optim, model, data, convnet,
// convex, theory), else err itself.
func asInvalid(err error) error {
	if err == nil || errors.Is(err, ErrInvalid) {
		return err
	}
	for _, sentinel := range []error{config.ErrInvalid, optim.ErrInvalid, model.ErrInvalid, data.ErrInvalid, convnet.ErrInvalid, convex.ErrInvalid, theory.ErrInvalid} {
		if errors.Is(err, sentinel) {
			return invalidError{err}
		}
	}
	return err
}

// checkJobs returns an error wrapping ErrInvalid for a negative job count
// (0 means one per CPU).
func checkJobs(jobs int) error { return atLeast("jobs", jobs, 0, "0: one per CPU") }

// The checks of the options. Each returns nil or an error wrapping
// ErrInvalid that names the option (as the command's flag), its value and
// what is allowed, with note in parentheses when there is one; firstOf
// returns the first error of a list of them.

// invalidf returns "paper: " and the message, wrapping ErrInvalid.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// unless returns invalidf(format, args...) unless ok.
func unless(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return invalidf(format, args...)
}

// atLeast checks v ≥ lo ("at least lo", or ">= 0").
func atLeast(name string, v, lo int, note string) error {
	bound := fmt.Sprintf("at least %d", lo)
	if lo == 0 {
		bound = ">= 0"
	}
	return unless(v >= lo, "%s=%d must be %s%s", name, v, bound, paren(note))
}

// positive checks that v is a finite number > 0.
func positive(name string, v float64, note string) error {
	return unless(v > 0 && !math.IsInf(v, 0), "%s=%v must be a finite number > 0%s", name, v, paren(note))
}

// nonNegative checks that v is a finite number ≥ 0.
func nonNegative(name string, v float64) error {
	return unless(v >= 0 && !math.IsInf(v, 0), "%s=%v must be a finite number >= 0", name, v)
}

func paren(note string) string {
	if note == "" {
		return ""
	}
	return " (" + note + ")"
}

// firstOf returns the first error of errs that is not nil.
func firstOf(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
