package sweep

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress is told about a sweep as it runs. Finish may be called from
// several goroutines at once; res is nil when err is not.
type Progress interface {
	Start(total, skipped int)
	Finish(r Run, res *Result, err error)
	Close()
}

type nopProgress struct{}

func (nopProgress) Start(int, int)             {}
func (nopProgress) Finish(Run, *Result, error) {}
func (nopProgress) Close()                     {}

// NewProgress returns a progress bar with an ETA when terminal is true, and
// one plain line per finished run otherwise.
func NewProgress(w io.Writer, terminal bool) Progress {
	if terminal {
		return &barProgress{w: w}
	}
	return &lineProgress{w: w}
}

type lineProgress struct {
	w              io.Writer
	mu             sync.Mutex
	start          time.Time
	total, done    int
	skipped, fresh int
}

func (p *lineProgress) Start(total, skipped int) {
	p.start, p.total, p.done, p.skipped = time.Now(), total, skipped, skipped
	if skipped > 0 {
		fmt.Fprintf(p.w, "sweep: %d of %d runs already complete, %d to go\n", skipped, total, total-skipped)
	} else {
		fmt.Fprintf(p.w, "sweep: %d runs to go\n", total)
	}
}

func (p *lineProgress) Finish(r Run, res *Result, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.fresh++
	eta := time.Duration(float64(time.Since(p.start)) / float64(p.fresh) * float64(p.total-p.done)).Round(time.Second)
	fmt.Fprintf(p.w, "sweep: [%d/%d] %s %s: %s (ETA %s)\n", p.done, p.total, r.ID, r.Label(), outcome(res, err), eta)
}

func (p *lineProgress) Close() {}

// outcome is one run's result in a few words.
func outcome(res *Result, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	var parts []string
	for _, o := range res.Optimizers {
		switch {
		case o.Error != "":
			parts = append(parts, o.Optimizer+" failed: "+o.Error)
		case o.TestError != nil:
			parts = append(parts, fmt.Sprintf("%s test error %.4g", o.Optimizer, *o.TestError))
		}
	}
	return fmt.Sprintf("%s in %.1fs", strings.Join(parts, ", "), res.WallSeconds)
}

type barProgress struct {
	w   io.Writer
	mu  sync.Mutex
	bar *progressbar.ProgressBar
	bad []string
}

func (p *barProgress) Start(total, skipped int) {
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription("sweep"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetWidth(40),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
	if skipped > 0 {
		// Runs done before do not count towards the rate.
		p.bar.ChangeMax(total - skipped)
		p.bar.Describe(fmt.Sprintf("sweep (%d already complete)", skipped))
	}
	p.bar.RenderBlank()
}

func (p *barProgress) Finish(r Run, res *Result, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil || res.Failed() {
		p.bad = append(p.bad, fmt.Sprintf("%s %s: %s", r.ID, r.Label(), outcome(res, err)))
	}
	p.bar.Add(1)
}

func (p *barProgress) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Exit()
		fmt.Fprintln(p.w)
	}
	for _, b := range p.bad {
		fmt.Fprintln(p.w, "sweep: "+b)
	}
}
