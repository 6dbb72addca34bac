package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
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

It listens on 127.0.0.1 unless --addr says otherwise, and answers only
requests for localhost or 127.0.0.1 (a web page of another site cannot reach
it through a rebound DNS name) that come from its own page (another site's
page cannot start runs or write files). To use it from another machine,
tunnel it: ssh -L 8080:127.0.0.1:8080 HOST, then open http://localhost:8080/.
Listening on any other address (--addr 0.0.0.0:8080) makes a one-time access
token, printed once in the address to open, that every request must carry;
--allow-host names the host names the page may be reached by.

At most one optimiser per CPU trains at a time; further runs wait in a queue
of at most --max-queue. --max-memory is one budget for the whole server: a
run reserves its estimate before it builds anything and waits until that
fits; one that can never fit is refused, as by adamgap run. Runs go on when
the page is closed or reloaded; the page reconnects to them. Stop with
Ctrl-C.`,
		Example: `  adamgap serve --open
  adamgap serve --root results --addr 127.0.0.1:9000
  adamgap serve --addr 0.0.0.0:8080 --allow-host lab-machine.example`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.MaxQueue < 1 {
				// The server would take 0 or less for its default.
				return usagef(cmd, "--max-queue=%d must be at least 1", opts.MaxQueue)
			}
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return usagef(cmd, "--addr=%q: %w (want host:port, e.g. 127.0.0.1:8080)", addr, err)
			}
			loopback := host != "" && explorer.IsLoopback(host)
			if !loopback {
				// Every interface, or one other than loopback: anyone who
				// can reach it could run and write files; a token says who
				// may. The names it may be reached by are allowed hosts.
				var b [24]byte
				rand.Read(b[:])
				opts.Token = hex.EncodeToString(b[:])
				opts.AllowHosts = append(opts.AllowHosts, reachableNames(host)...)
			}
			for _, h := range opts.AllowHosts {
				if strings.TrimSpace(h) == "" || strings.ContainsAny(h, "/ ") {
					return usagef(cmd, "--allow-host=%q must be a host name or address, without scheme or path", h)
				}
			}
			srv, err := explorer.New(opts)
			if err != nil {
				return usagef(cmd, "--root: %w", err)
			}
			defer srv.Close()
			if os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(explorer.SoftMemoryLimit(srv.MaxMemory()))
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usagef(cmd, "--addr: %w", err)
			}
			url := "http://" + ln.Addr().String() + "/"
			if !loopback {
				_, port, _ := net.SplitHostPort(ln.Addr().String())
				shown := host
				if shown == "" || net.ParseIP(shown) != nil && net.ParseIP(shown).IsUnspecified() {
					shown, _ = os.Hostname()
				}
				url = "http://" + net.JoinHostPort(shown, port) + "/?token=" + opts.Token
				fmt.Fprintf(cmd.ErrOrStderr(), "adamgap: WARNING: listening on %s, not loopback: anyone who can reach this machine and has the token can run jobs and write files under %s. Prefer the default address and an SSH tunnel (ssh -L 8080:127.0.0.1:8080 HOST).\n", ln.Addr(), srv.Root())
			}
			fmt.Fprintf(cmd.OutOrStdout(), "adamgap explorer on %s (root %s); Ctrl-C stops it\n", url, srv.Root())
			if open {
				openBrowser(cmd, url)
			}
			hs := explorer.HTTPServer(srv)
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
	cmd.Flags().StringSliceVar(&opts.AllowHosts, "allow-host", nil, "further host names the page may be reached by (the Host header; besides localhost and 127.0.0.1), e.g. a name of this machine behind a proxy")
	cmd.Flags().IntVar(&opts.MaxQueue, "max-queue", 16, "most runs and sweeps waiting for a slot or memory; more are refused (503) with the reason")
	maxMemoryFlag(cmd.Flags(), &opts.MaxMemory)
	return cmd
}

// reachableNames are the names and addresses a server listening on host
// may be reached by: host itself, or for every interface ("", 0.0.0.0,
// ::) the machine's name and the addresses of its interfaces.
func reachableNames(host string) []string {
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		return []string{host}
	}
	var names []string
	if h, err := os.Hostname(); err == nil {
		names = append(names, h)
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok {
				names = append(names, ipn.IP.String())
			}
		}
	}
	return names
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
