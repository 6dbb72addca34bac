package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/internal/atomicfile"
)

// tableReport is the result of a reproduce subcommand: a table for the
// terminal and a JSON file beside it.
type tableReport interface {
	table() string
	writeJSON(w io.Writer) error
}

// emit prints rep's table and writes its JSON to dir/name atomically, even
// when runErr says the computation stopped early, so nothing computed is
// lost. It returns runErr, or else the write error.
func emit(cmd *cobra.Command, dir, name string, rep tableReport, runErr error) error {
	fmt.Fprint(cmd.OutOrStdout(), rep.table())
	werr := os.MkdirAll(dir, 0o755)
	if werr == nil {
		werr = atomicfile.Write(filepath.Join(dir, name), rep.writeJSON)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "\nResults in %s\n", filepath.Join(dir, name))
	if runErr != nil {
		return runErr
	}
	return werr
}
