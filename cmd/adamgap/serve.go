package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/adamgap/adamgap/explorer"
)

func newServeCmd() *cobra.Command {
	opts := explorer.DefaultOptions()
	var (
		addr string
		open bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "A web page to run Adam and GD live, see their weights, sweep and browse results",
		Long: `Serve starts the explorer, a local web page (everything embedded, nothing
fetched from the internet) where you set the data, network and optimisers,
press Run and watch Figure 2's curves and the errors grow while training runs,
then read Table 1; see each neuron's weight on the feature against the noise;
run a small grid and watch the heat map of the Adam − GD gap fill in; open
the output folders and sweeps under --root; copy the adamgap command of what
you see and save a run as an ordinary output folder under --root.

It listens on 127.0.0.1 unless --addr says otherwise. At most one optimiser
per CPU trains at a time; further runs wait in a queue. A configuration whose
estimated memory exceeds --max-memory is refused, as by adamgap run. Stop
with Ctrl-C.`,
		Example: `  adamgap serve --open
  adamgap serve --root results --addr 127.0.0.1:9000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			srv, err := explorer.New(opts)
			if err != nil {
				return usagef(cmd, "--root: %w", err)
			}
			defer srv.Close()
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usagef(cmd, "--addr: %w", err)
			}
			url := "http://" + ln.Addr().String() + "/"
			fmt.Fprintf(cmd.OutOrStdout(), "adamgap explorer on %s (root %s); Ctrl-C stops it\n", url, srv.Root())
			if open {
				openBrowser(cmd, url)
			}
			hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-cmd.Context().Done():
				srv.Close() // stop the runs, so that their streams end
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
					return err
				}
				return nil
			}
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	cmd.Flags().StringVar(&opts.Root, "root", opts.Root, "folder of the output folders and sweeps to browse, where runs are saved and sweeps written")
	cmd.Flags().BoolVar(&open, "open", false, "open the page in the default browser")
	maxMemoryFlag(cmd.Flags(), &opts.MaxMemory)
	return cmd
}

// openBrowser asks the desktop to open url; failing that, it says so.
func openBrowser(cmd *cobra.Command, url string) {
	name, args := "xdg-open", []string{url}
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
	}
	if err := exec.Command(name, args...).Start(); err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "adamgap: could not open a browser (%v); open %s yourself\n", err, url)
	}
}
