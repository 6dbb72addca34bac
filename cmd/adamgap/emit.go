package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/cmd/adamgap/internal/outfile"
	"github.com/adamgap/adamgap/cmd/adamgap/internal/termprogress"
	"github.com/adamgap/adamgap/convnet"
	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/paper"
	"github.com/adamgap/adamgap/progress"
)

// tableReport is the report of a reproduce subcommand: a table for the
// terminal, and JSON for a file beside it.
type tableReport interface{ Table() string }

// emit prints rep's table and writes rep as JSON to dir/name, even when
// runErr says the computation stopped early, so nothing computed is lost.
// It returns runErr, or else the write error. A complete report removes
// the partial one an earlier, interrupted call left (see emitPartial).
func emit(cmd *cobra.Command, dir, name string, rep tableReport, runErr error) error {
	if cmd.Context().Err() != nil {
		return emitPartial(cmd, dir, name, rep, runErr)
	}
	fmt.Fprint(cmd.OutOrStdout(), rep.Table())
	werr := outfile.JSON(filepath.Join(dir, name), rep)
	if werr == nil {
		if err := os.Remove(filepath.Join(dir, partialName(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			werr = err
		}
	}
	if werr == nil {
		fmt.Fprintf(cmd.OutOrStdout(), "\nResults in %s\n", filepath.Join(dir, name))
	}
	if runErr != nil {
		if werr != nil {
			return errors.Join(runErr, werr)
		}
		return runErr
	}
	return werr
}

// prepareOut makes sure, before an experiment computes anything, that its
// report can be written to the folder dir: it creates the folder (created
// says so) and writes and removes a probe file in it. An experiment of
// minutes used to fail only when it wrote its report.
func prepareOut(cmd *cobra.Command, dir string) (created bool, err error) {
	if err := outNotFile(cmd, dir); err != nil {
		return false, err
	}
	_, err = os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false, fmt.Errorf("--out: could not create the output folder: %w", err)
		}
		created = true
	case err != nil:
		return false, fmt.Errorf("--out: %w", err)
	}
	probe, err := os.CreateTemp(dir, ".adamgap-probe-*")
	if err != nil {
		if created {
			os.Remove(dir)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) { // not the probe's name: the user never gave it
			err = pe.Err
		}
		return false, fmt.Errorf("--out: the output folder %s is not writable: %w", dir, err)
	}
	probe.Close()
	return created, os.Remove(probe.Name())
}

// outNotFile is the usage error of an --out that names an existing file
// (not a folder), nil for any other path; checked before anything runs.
func outNotFile(cmd *cobra.Command, dir string) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return usagef(cmd, "--out %s is a file, not a folder", dir)
	}
	return nil
}

// partialName is the file of an interrupted experiment's report:
// NAME.partial.json for NAME.json.
func partialName(name string) string {
	return strings.TrimSuffix(name, ".json") + ".partial.json"
}

// emitPartial writes the report of an experiment that a signal stopped
// (what it computed before) to NAME.partial.json, never to NAME.json, which
// may hold a complete report of an earlier call; its first key, "partial",
// says why it is partial. The error says where it is.
func emitPartial(cmd *cobra.Command, dir, name string, rep tableReport, runErr error) error {
	why := fmt.Sprintf("interrupted (%v): this report holds only what was computed before; %s is the complete one", context.Cause(cmd.Context()), name)
	if runErr != nil {
		why = fmt.Sprintf("%v: this report holds only what was computed before; %s is the complete one", runErr, name)
		// An experiment that returns the bare context error ("context
		// canceled: …") does not say what stopped it: the cause does.
		if cause := context.Cause(cmd.Context()); cause != nil && !strings.Contains(runErr.Error(), cause.Error()) {
			why = fmt.Sprintf("%v (%v): this report holds only what was computed before; %s is the complete one", cause, runErr, name)
		}
	}
	var b bytes.Buffer
	err := outfile.Encode(&b, rep)
	if err == nil && bytes.HasPrefix(b.Bytes(), []byte("{")) {
		head, _ := json.Marshal(why)
		path := filepath.Join(dir, partialName(name))
		text := append([]byte("{\n  \"partial\": "+string(head)+","), b.Bytes()[1:]...)
		fmt.Fprint(cmd.OutOrStdout(), "Partial results (interrupted):\n"+rep.Table())
		if err = os.MkdirAll(dir, 0o755); err == nil {
			err = atomicfile.WriteBytes(path, text)
		}
		if err == nil {
			return fmt.Errorf("interrupted; %s was not written (nor replaced); what was computed is in %s: %w", filepath.Join(dir, name), path, context.Cause(cmd.Context()))
		}
	}
	return fmt.Errorf("interrupted; %s was not written (nor replaced), and the partial report could not be (%v): %w", filepath.Join(dir, name), err, context.Cause(cmd.Context()))
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
	created, err := prepareOut(cmd, dir)
	if err != nil {
		return err
	}
	rep, err := withProgress(cmd, f, o)
	var none R
	if rep == none && created {
		os.Remove(dir) // nothing to write: leave no empty folder behind
	}
	if ctx := cmd.Context(); ctx.Err() != nil {
		// An interrupted experiment's results go to NAME.partial.json:
		// they must not replace a complete report of an earlier call.
		if rep == none {
			return fmt.Errorf("interrupted; %s was not written (nor replaced): %w", filepath.Join(dir, name), context.Cause(ctx))
		}
		return emitPartial(cmd, dir, name, rep, err)
	}
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
