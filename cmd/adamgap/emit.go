package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/cmd/adamgap/internal/outfile"
	"github.com/adamgap/adamgap/cmd/adamgap/internal/termprogress"
	"github.com/adamgap/adamgap/convnet"
	"github.com/adamgap/adamgap/paper"
	"github.com/adamgap/adamgap/progress"
)

// tableReport is the report of a reproduce subcommand: a table for the
// terminal, and JSON for a file beside it.
type tableReport interface{ Table() string }

// emit prints rep's table and writes rep as JSON to dir/name, even when
// runErr says the computation stopped early, so nothing computed is lost.
// It returns runErr, or else the write error.
func emit(cmd *cobra.Command, dir, name string, rep tableReport, runErr error) error {
	fmt.Fprint(cmd.OutOrStdout(), rep.Table())
	werr := outfile.JSON(filepath.Join(dir, name), rep)
	fmt.Fprintf(cmd.OutOrStdout(), "\nResults in %s\n", filepath.Join(dir, name))
	if runErr != nil {
		return runErr
	}
	return werr
}

// optionError turns a bad option of package paper (or of convnet, for
// Figure 1) into a usage error naming the flag.
func optionError(cmd *cobra.Command, err error) error {
	// paper's own options say "paper: NAME=…"; another package's errors
	// that paper marks as ErrInvalid too keep their message.
	own := paper.ErrInvalid.Error() + ": "
	switch {
	case errors.Is(err, paper.ErrInvalid) && strings.HasPrefix(err.Error(), own):
		return usagef(cmd, "--%s", strings.TrimPrefix(err.Error(), own))
	case errors.Is(err, convnet.ErrInvalid):
		return usagef(cmd, "%s", strings.TrimPrefix(err.Error(), convnet.ErrInvalid.Error()+": "))
	}
	return err
}

// runReport runs experiment f of package paper with options o (a bad
// option is a usage error), then writes its report with emit to dir/name,
// then lets also (if not nil) write what else the report holds (figures,
// a run folder): the JSON is on disk before anything that could fail.
func runReport[O any, R interface {
	comparable
	tableReport
}](cmd *cobra.Command, f func(context.Context, O, progress.Recorder) (R, error), o O, dir, name string, also func(R) error) error {
	rep, err := withProgress(cmd, f, o)
	if ctx := cmd.Context(); ctx.Err() != nil {
		// An interrupted experiment reports nothing: its partial results
		// would replace a complete report of an earlier call.
		return fmt.Errorf("interrupted; %s was not written (nor replaced): %w", filepath.Join(dir, name), context.Cause(ctx))
	}
	var none R
	if rep == none {
		return optionError(cmd, err)
	}
	// The numbers first: a figure that fails (or panics) later loses
	// nothing computed.
	err = emit(cmd, dir, name, rep, err)
	if also != nil {
		if werr := also(rep); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

// withProgress runs experiment f of package paper with options o, its
// progress drawn on cmd's stderr.
func withProgress[O, R any](cmd *cobra.Command, f func(context.Context, O, progress.Recorder) (R, error), o O) (R, error) {
	prog := progressOn(cmd)
	defer prog.Close()
	return f(cmd.Context(), o, prog)
}

// parseList parses a comma-separated list of what (e.g. "a number") with
// parse; "" or blanks only is an empty list.
func parseList[T any](s, what string, parse func(string) (T, error)) ([]T, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []T
	for _, f := range strings.Split(s, ",") {
		v, err := parse(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%q is not %s", f, what)
		}
		out = append(out, v)
	}
	return out, nil
}

// progressOn returns the progress printer of cmd's stderr: a bar on a
// terminal, log lines otherwise. Close it when the work is done.
func progressOn(cmd *cobra.Command) *termprogress.Printer {
	w := cmd.ErrOrStderr()
	return termprogress.New(w, termprogress.IsTerminal(w))
}
