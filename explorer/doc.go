// Package explorer is the web page of "adamgap serve": a local HTTP server
// whose page trains the paper's network live and shows what happens.
//
// The page (embedded with go:embed, nothing fetched from the internet)
// lets a person
//   - run one or more optimisers from the same W₀ on a configuration typed
//     into a form and watch Figure 2's curves and the loss and errors grow,
//     streamed as Server-Sent Events, then Table 1;
//   - see each neuron's weight on the feature against its largest weight on
//     the noise of its class at a chosen step (why Adam fails: its weights
//     align with noise);
//   - run a small grid of two configuration keys and watch the heat map of
//     the test-error gap of the first two optimisers fill in;
//   - browse the output folders and sweeps under a root folder;
//   - copy the adamgap command that reproduces a view, download its files,
//     and save a run as an ordinary output folder under the root.
//
// The form's fields are the rows of config.Keys (sent to the page by
// /api/defaults), and every configuration goes through config.Parse and
// config.Validate, the path of "adamgap run --config", so the page shows
// the CLI's messages beside the field each names (config.FieldError.Key);
// config.Estimate refuses, as "adamgap run --max-memory" does, what would
// need more memory than Options.MaxMemory.
// Training is experiment.Prepare and experiment.ExecuteRecorded; sweeps are
// package sweep. At most Options.MaxRuns optimisers train at once; other
// requests wait in a first-come queue of at most Options.MaxQueue and are
// told their place. Options.MaxMemory is one budget for the server: a run
// reserves its estimate before it builds anything, and a finished run keeps
// only what the page shows. Runs and sweeps belong to the server, not to
// the request that started them: their events are kept and replayed to a
// page that reconnects (GET /api/run/{id}/events, Last-Event-ID).
//
// The server is meant to be left running: it refuses cross-origin
// requests that change anything (http.CrossOriginProtection, JSON bodies
// only), requests for a Host that is not a loopback name or one of
// Options.AllowHosts (DNS rebinding), and, with Options.Token, requests
// without the token. Every file under the root is opened by one function
// (Server.open): no "..", no symbolic link out of the root, regular files
// only. HTTPServer sets read, write and idle timeouts.
package explorer
