package explorer

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// logEvent is one Server-Sent Event of a run or sweep; its id is its place in
// the log, from 1.
type logEvent struct {
	id   int
	name string
	data []byte
}

// eventLog is everything a run or sweep has said, in order: the page
// replays it from the start after a reload, or from the event after
// Last-Event-ID when its connection drops. It outlives the request that
// started the work.
type eventLog struct {
	mu      sync.Mutex
	events  []logEvent
	bytes   int64
	closed  bool
	changed chan struct{} // closed and replaced on every change
}

func newEventLog() *eventLog { return &eventLog{changed: make(chan struct{})} }

// add appends an event whose data is v as JSON. A value that JSON cannot
// write gives an "error" event with the encoder's message.
func (l *eventLog) add(name string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		name = "error"
		b, _ = json.Marshal(map[string]string{"error": "explorer: could not write a " + name + " event: " + err.Error()})
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.events = append(l.events, logEvent{id: len(l.events) + 1, name: name, data: b})
	l.bytes += int64(len(b)) + int64(len(name)) + 48
	close(l.changed)
	l.changed = make(chan struct{})
}

// close ends the log: watchers end their streams after its last event.
func (l *eventLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.closed = true
		close(l.changed)
	}
}

// since returns the events after the id after, whether the log is closed,
// and a channel closed at its next change.
func (l *eventLog) since(after int) ([]logEvent, bool, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	after = max(0, min(after, len(l.events)))
	return l.events[after:len(l.events):len(l.events)], l.closed, l.changed
}

func (l *eventLog) size() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bytes
}

// heartbeat is how often an idle stream sends a comment, so that a
// connection whose reader has gone is noticed (its write fails).
var heartbeat = 15 * time.Second

// lastEventID is where a stream resumes: the Last-Event-ID header (sent by
// a reconnecting client) or ?after=; 0 replays from the start.
func lastEventID(r *http.Request) int {
	for _, v := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("after")} {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
			return n
		}
	}
	return 0
}

// serveLog streams the log's events after the id after as Server-Sent
// Events until the log closes or the client goes. The request was read:
// its read deadline is lifted (the server's ReadTimeout would otherwise
// end the stream), and each write must finish within the write timeout.
func serveLog(w http.ResponseWriter, r *http.Request, l *eventLog, after int) {
	if _, ok := w.(http.Flusher); !ok {
		fail(w, http.StatusInternalServerError, errors.New("explorer: the connection cannot stream"))
		return
	}
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		evs, closed, changed := l.since(after)
		if len(evs) > 0 {
			rc.SetWriteDeadline(time.Now().Add(timeouts.Write))
			for _, ev := range evs {
				if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", ev.id, ev.name, ev.data); err != nil {
					return
				}
				after = ev.id
			}
			if rc.Flush() != nil {
				return
			}
			continue
		}
		if closed {
			return
		}
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-tick.C:
			rc.SetWriteDeadline(time.Now().Add(timeouts.Write))
			if _, err := fmt.Fprint(w, ": still here\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}
