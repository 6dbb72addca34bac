// Package progress is how adamgap's long computations (the paper's
// experiments, sweeps, Figure 1) say how far they have come: a Recorder
// receives an Update whenever a unit of work ends or there is something to
// log, as gonum/optimize's Recorder receives each location of an
// optimisation. Drawing it (a terminal bar, log lines, a web page) is the
// caller's business; the computations neither print nor draw.
//
// The logged rows of one training run go to the finer train.Recorder.
package progress

import "sync"

// Update is one report of a computation.
type Update struct {
	Task    string // what reports: "sweep", "figure1", "stochastic", …
	Unit    string // what Done and Total count: "runs", "steps"
	Done    int    // units finished, Skipped included
	Total   int    // units in all; 0 when not known
	Skipped int    // units that were already complete before this call (a resumed sweep)
	// Item names the unit that just finished and how it went ("" when the
	// update is not about one unit), for people; Failed says that it
	// failed. ID identifies that unit for programs where it has an
	// identity (a sweep run's id; "" otherwise): read it, not Item.
	Item   string
	Failed bool
	ID     string
	// Note is a complete line for a log ("" for none).
	Note string
}

// A Recorder is told of the progress of a computation. Record may be
// called from several goroutines at once (a Recorder must be safe for
// concurrent use) and should return quickly: the work waits for it.
type Recorder interface {
	Record(Update)
}

// RecorderFunc adapts a function to a Recorder.
type RecorderFunc func(Update)

// Record calls f(u).
func (f RecorderFunc) Record(u Update) { f(u) }

// Send gives u to r; a nil r receives nothing.
func Send(r Recorder, u Update) {
	if r != nil {
		r.Record(u)
	}
}

// Notef sends a log line to r.
func Notef(r Recorder, task, line string) { Send(r, Update{Task: task, Note: line}) }

// Counter counts finished units for a computation whose units end on
// several goroutines; each Step sends the count so far to R.
type Counter struct {
	R       Recorder
	Task    string
	Unit    string
	Total   int
	Skipped int

	mu   sync.Mutex
	done int
}

// Start sends the first update, with note: nothing done but the skipped
// units.
func (c *Counter) Start(note string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done = c.Skipped
	Send(c.R, Update{Task: c.Task, Unit: c.Unit, Done: c.done, Total: c.Total, Skipped: c.Skipped, Note: note})
}

// Step counts one finished unit and sends it with its item, failure and
// the note that note returns for the new count (note may be nil).
// It returns the count including this unit.
func (c *Counter) Step(item string, failed bool, note func(done, total int) string) int {
	return c.StepID("", item, failed, note)
}

// StepID is Step for a unit with an identity: the update carries id in
// its ID field.
func (c *Counter) StepID(id, item string, failed bool, note func(done, total int) string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done++
	u := Update{Task: c.Task, Unit: c.Unit, Done: c.done, Total: c.Total, Skipped: c.Skipped, Item: item, Failed: failed, ID: id}
	if note != nil {
		u.Note = note(c.done, c.Total)
	}
	Send(c.R, u)
	return c.done
}
