// Command adamgap reproduces and extends Zou, Cao, Li and Gu, "Understanding
// the Generalization of Adam in Learning Neural Networks with Proper
// Regularization": Adam and gradient descent trained from the same start on
// the paper's image-like data. Run "adamgap --help" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode prints err and maps it to the process exit status: 0 for
// success, 2 for usage errors, 1 for everything else.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "adamgap: %v\n", err)
	var u usageError
	if errors.As(err, &u) {
		fmt.Fprintf(stderr, "Try: adamgap %s --help\n", u.cmd)
		return 2
	}
	return 1
}
