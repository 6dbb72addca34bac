package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/adamgap/adamgap/internal/kernel"
	"github.com/adamgap/adamgap/model"
	"github.com/spf13/cobra"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the Go toolchain and the kernel path in use",
		Long: `Print adamgap's version (module version and VCS revision), the Go toolchain
and platform, and the kernel path its hot loops run ("portable", "avx2",
"avx512" or, on arm64, "neon"): the best this CPU runs, or the one ADAMGAP_KERNELS names. The same
text is printed by adamgap --version.`,
		Example: `  adamgap version
  ADAMGAP_KERNELS=portable adamgap version   # what the portable Go loops would run
  GODEBUG=cpu.avx512f=off adamgap version    # as on a CPU without AVX-512`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := io.WriteString(c.OutOrStdout(), versionText())
			return err
		},
	}
}

// versionText is what version and --version print.
func versionText() string {
	var b strings.Builder
	version, rev := "(devel)", ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		var modified bool
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" && modified {
			rev += " (modified)"
		}
	}
	fmt.Fprintf(&b, "adamgap %s", version)
	if rev != "" {
		fmt.Fprintf(&b, " revision %s", rev)
	}
	fmt.Fprintf(&b, "\n%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	how := "the best this CPU runs"
	if env := os.Getenv(kernel.Env); env != "" {
		how = kernel.Env + "=" + env
	}
	fmt.Fprintf(&b, "kernels: %s (%s; this build and CPU run %s)\n", model.Kernel(), how, strings.Join(kernel.Paths(), ", "))
	return b.String()
}
