// Command adamgap reproduces and extends Zou, Cao, Li and Gu, "Understanding
// the Generalization of Adam in Learning Neural Networks with Proper
// Regularization": Adam and gradient descent trained from the same start on
// the paper's image-like data. Run "adamgap --help" for the commands.
package main

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/convex"
	"github.com/adamgap/adamgap/convnet"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/outdir"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
	"github.com/adamgap/adamgap/paper"
	"github.com/adamgap/adamgap/sweep"
	"github.com/adamgap/adamgap/theory"
)

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		cancel(signalError{sig})
		fmt.Fprintf(os.Stderr, "adamgap: %s: stopping (send it again to quit at once)\n", signalName(sig))
		sig = <-sigs
		fmt.Fprintf(os.Stderr, "adamgap: %s again: quitting\n", signalName(sig))
		os.Exit(signalCode(sig))
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(exitCode(ctx, err, os.Stderr))
}

// signalError is the cause of the cancellation of the command's context
// when a signal arrives.
type signalError struct{ sig os.Signal }

func (s signalError) Error() string { return "interrupted by " + signalName(s.sig) }

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// signalCode is the shell's exit status for a process ended by sig:
// 128 + its number (130 for SIGINT, 143 for SIGTERM).
func signalCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// exitCode prints err and maps it to the process exit status: 0 for
// success, 2 for usage errors (an unknown flag or command, a value that is
// not a number, or one out of its range: run marks them all usageError,
// printed with a "Try: … --help" line), configurations over the memory
// limit and an --out that holds another run,
// 130 or 143 when SIGINT or SIGTERM stopped the command (the message then
// says so instead of "context canceled"), 1 for everything else.
func exitCode(ctx context.Context, err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var sig signalError
	if errors.As(context.Cause(ctx), &sig) {
		msg := strings.ReplaceAll(err.Error(), context.Canceled.Error(), sig.Error())
		if !strings.Contains(msg, sig.Error()) {
			msg += " (" + sig.Error() + ")"
		}
		fmt.Fprintf(stderr, "adamgap: %s\n", msg)
		return signalCode(sig.sig)
	}
	fmt.Fprintf(stderr, "adamgap: %s\n", message(err))
	var u usageError
	if errors.As(err, &u) {
		if u.try != "" {
			fmt.Fprintf(stderr, "Try: %s\n", u.try)
		} else {
			fmt.Fprintf(stderr, "Try: %s --help\n", u.cmd)
		}
		return 2
	}
	if errors.Is(err, config.ErrTooLarge) || errors.Is(err, outdir.ErrExists) {
		return 2
	}
	return 1
}

// invalidValue holds every package's ErrInvalid: an error that wraps one
// is about a value out of its range, which the command line treats as a
// usage error. Their messages are the package names ("config", "optim",
// …), which message leaves out.
var invalidValue = []error{config.ErrInvalid, optim.ErrInvalid, model.ErrInvalid, data.ErrInvalid,
	convnet.ErrInvalid, convex.ErrInvalid, theory.ErrInvalid, paper.ErrInvalid}

// malformedInput holds the errors of an input file whose content is wrong,
// which the command line treats as a usage error, as it does a
// configuration file with a bad key: a data.npz or weights.npz that is not
// an NPZ archive (zip.ErrFormat), lacks an array or holds one of the wrong
// shape or dtype (data.ErrShape, whose message "wrong array shape" message
// leaves out), a sweep specification that does not parse or names an
// unknown key (sweep.ErrSpec).
var malformedInput = []error{data.ErrShape, zip.ErrFormat, sweep.ErrSpec}

// isInvalidValue reports whether err is about a value out of its range or
// a malformed input file, not a file that could not be read (exit 1, as
// any other failure).
func isInvalidValue(err error) bool {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return false
	}
	for _, s := range append(invalidValue[:len(invalidValue):len(invalidValue)], malformedInput...) {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// message is err as the user reads it. A usage error or a value out of
// range reads "alpha=-1 must be a finite number >= 0", without the
// "config: " of the package that checked the value (the library's errors
// keep it, for programs that wrap several packages), also where a flag's
// parser quoted it ("--optimizer: optimizer=\"foo\" is unknown; …"); so
// does any other error that wraps a package's ErrInvalid (a configuration
// file that cannot be read: "could not read \"c.yaml\": …").
func message(err error) string {
	msg := err.Error()
	for _, s := range append(invalidValue[:len(invalidValue):len(invalidValue)], data.ErrShape) {
		prefix := s.Error() + ": "
		msg = strings.TrimPrefix(msg, prefix)
		msg = strings.ReplaceAll(msg, ": "+prefix, ": ")
	}
	return msg
}
