package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/adamgap/adamgap/internal/kernel"
	"github.com/adamgap/adamgap/model"
	"github.com/spf13/cobra"
)

// commands are the subcommands of adamgap, one file each (reproduce lists
// its own in reproduce.go); a new one is one more entry here.
var commands = []func() *cobra.Command{
	newRunCmd,
	newReproduceCmd,
	newSweepCmd,
	newCheckCmd,
	newServeCmd,
	newVersionCmd,
}

// usageError marks a mistake in how a command was called. exitCode prints
// "Try: " and try, or, when try is empty, "Try: CMD --help".
type usageError struct {
	cmd string
	err error
	try string
}

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// run executes the CLI with args, writing to stdout and stderr; main maps its
// error to an exit code. Tests drive the whole CLI through it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	// A kernel path that ADAMGAP_KERNELS names but this CPU cannot run, or
	// an unknown one, stops every command (--help aside) before it starts.
	// It is a usage error: how the command was called, not what it did.
	if err := kernelsErr(); err != nil && !helpOnly(args) {
		paths := kernel.Paths()
		return usageError{cmd: "adamgap", err: err, try: fmt.Sprintf("unset %s (the best path, %s), or set it to one of %s",
			kernel.Env, paths[len(paths)-1], strings.Join(paths, ", "))}
	}
	root := &cobra.Command{
		Use:   "adamgap",
		Short: "Adam vs gradient descent on the image-like data of Zou, Cao, Li & Gu",
		Long: `adamgap trains the two-layer CNN of Zou, Cao, Li & Gu ("Understanding the
Generalization of Adam in Learning Neural Networks with Proper Regularization")
with Adam, gradient descent and other optimisers from the same start, and shows
how Adam memorises noise while GD learns the feature.`,
		Example: `  adamgap reproduce                    # Table 1 and Figure 2 of the paper, into results/table1
  adamgap run --optimizer adam --alpha 0.3 --out runs/a`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// --version is a flag of ours, not cobra's Version: cobra prints a
		// version through text/template, whose reflect.MethodByName keeps
		// every exported method of the binary (issue 20 item 9: 7 MB, all of
		// gonum's BLAS and LAPACK).
		RunE: func(c *cobra.Command, _ []string) error {
			if v, _ := c.Flags().GetBool("version"); v {
				_, err := io.WriteString(c.OutOrStdout(), versionText())
				return err
			}
			return c.Help()
		},
	}
	root.Flags().BoolP("version", "v", false, "print the version, the Go toolchain and the kernel path (as adamgap version)")
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetContext(ctx)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{cmd: c.CommandPath(), err: err}
	})
	for _, c := range commands {
		root.AddCommand(c())
	}
	cmd, err := root.ExecuteC()
	if err != nil && (isUsage(err) || isInvalidValue(err)) {
		var u usageError
		if !errors.As(err, &u) {
			err = usageError{cmd: cmd.CommandPath(), err: err}
		}
	}
	return err
}

// kernelsErr is the error of the ADAMGAP_KERNELS the process started with;
// tests replace it, as the path is chosen once, at start-up.
var kernelsErr = model.KernelsErr

// helpOnly reports whether args ask only for help.
func helpOnly(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "help" {
			return true
		}
	}
	return len(args) == 0
}

// isUsage recognises cobra's own messages about unknown commands and
// arguments.
func isUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "accepts ", "requires ", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func usagef(cmd *cobra.Command, format string, args ...any) error {
	return usageError{cmd: cmd.CommandPath(), err: fmt.Errorf(format, args...)}
}
