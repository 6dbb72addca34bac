// Package termprogress draws the progress.Updates of adamgap's computations
// on a terminal (a progress bar with an ETA) or as log lines (when stderr
// is a file or a pipe).
package termprogress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/adamgap/adamgap/progress"
)

// IsTerminal reports whether w is a terminal.
func IsTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Printer is a progress.Recorder that writes to w: a bar for the counted
// units when bar is true, else one line per finished item and one at every
// tenth of units without items. Notes are printed as they come, except
// counted ones while a bar is drawn. Close ends the bar and lists the
// failed items.
type Printer struct {
	w   io.Writer
	bar bool

	mu     sync.Mutex
	start  time.Time
	pbar   *progressbar.ProgressBar
	failed []string
	tenths map[string]int // per task, the last tenth printed
}

// New returns a Printer on w; bar asks for a progress bar (see IsTerminal).
func New(w io.Writer, bar bool) *Printer { return &Printer{w: w, bar: bar, tenths: map[string]int{}} }

// Record implements progress.Recorder.
func (p *Printer) Record(u progress.Update) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.start.IsZero() {
		p.start = time.Now()
	}
	if p.bar && u.Total > 0 {
		p.drawBar(u)
		return
	}
	switch {
	case u.Note != "":
		if p.pbar != nil {
			p.pbar.Clear() // the bar is drawn again at its next update
		}
		fmt.Fprintln(p.w, u.Note)
	case u.Item != "":
		fresh := u.Done - u.Skipped
		eta := time.Duration(float64(time.Since(p.start)) / float64(fresh) * float64(u.Total-u.Done)).Round(time.Second)
		fmt.Fprintf(p.w, "%s: [%d/%d] %s (ETA %s)\n", u.Task, u.Done, u.Total, u.Item, eta)
	case u.Total > 0 && u.Done > u.Skipped && u.Done*10/u.Total > p.tenths[u.Task]:
		p.tenths[u.Task] = u.Done * 10 / u.Total
		el := time.Since(p.start)
		eta := time.Duration(float64(el) / float64(u.Done-u.Skipped) * float64(u.Total-u.Done)).Round(time.Second)
		fmt.Fprintf(p.w, "%s: %d/%d %s (%d%%), %s elapsed, ETA %s\n", u.Task, u.Done, u.Total, u.Unit, 100*u.Done/u.Total, el.Round(time.Second), eta)
	}
}

func (p *Printer) drawBar(u progress.Update) {
	if p.pbar == nil {
		desc := u.Task
		if u.Skipped > 0 {
			desc = fmt.Sprintf("%s (%d already complete)", u.Task, u.Skipped)
		}
		// Units done before do not count towards the rate.
		p.pbar = progressbar.NewOptions(u.Total-u.Skipped,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(desc),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(u.Unit),
			progressbar.OptionFullWidth(),
			progressbar.OptionThrottle(200*time.Millisecond),
		)
		p.pbar.RenderBlank()
	}
	if u.Failed {
		p.failed = append(p.failed, u.Task+": "+u.Item)
	}
	p.pbar.Set(u.Done - u.Skipped)
}

// Close ends the bar, if one was drawn, and prints the failed items.
func (p *Printer) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pbar != nil {
		p.pbar.Exit()
		fmt.Fprintln(p.w)
	}
	for _, f := range p.failed {
		fmt.Fprintln(p.w, f)
	}
}
