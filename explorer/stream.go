package explorer

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// eventStream writes Server-Sent Events and flushes each one.
type eventStream struct {
	mu sync.Mutex
	w  http.ResponseWriter
	rc *http.ResponseController
}

func newEventStream(w http.ResponseWriter) (*eventStream, error) {
	if _, ok := w.(http.Flusher); !ok {
		return nil, errors.New("explorer: the connection cannot stream")
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	return &eventStream{w: w, rc: http.NewResponseController(w)}, nil
}

// send writes one event whose data is v as JSON. Errors (a closed
// connection) are ignored: the request's context says so to the run.
func (es *eventStream) send(event string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	es.mu.Lock()
	defer es.mu.Unlock()
	fmt.Fprintf(es.w, "event: %s\ndata: %s\n\n", event, b)
	es.rc.Flush()
}
