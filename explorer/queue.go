package explorer

import (
	"context"
	"slices"
	"sync"
)

// queue hands out up to size slots, first come first served: a request
// for k slots waits until every earlier request has been served and k are
// free. One slot is one optimiser training on one core.
type queue struct {
	mu      sync.Mutex
	size    int
	free    int
	waiting []*waiter
	changed chan struct{} // closed and replaced whenever the queue moves
}

type waiter struct {
	n     int
	ready chan struct{}
}

func newQueue(size int) *queue {
	return &queue{size: size, free: size, changed: make(chan struct{})}
}

// acquire waits for n slots (at most the queue's size), telling position
// its place in the line (1 = next) whenever it changes while it waits. It
// returns the number of slots held, to be given back with release, or
// ctx's error.
func (q *queue) acquire(ctx context.Context, n int, position func(int)) (int, error) {
	n = max(1, min(n, q.size))
	w := &waiter{n: n, ready: make(chan struct{})}
	q.mu.Lock()
	q.waiting = append(q.waiting, w)
	q.grant()
	last := 0
	for {
		select {
		case <-w.ready:
			q.mu.Unlock()
			return n, nil
		default:
		}
		pos := slices.Index(q.waiting, w) + 1
		changed := q.changed
		q.mu.Unlock()
		if pos != last && position != nil {
			position(pos)
			last = pos
		}
		select {
		case <-w.ready:
			return n, nil
		case <-changed:
			q.mu.Lock()
		case <-ctx.Done():
			q.mu.Lock()
			select {
			case <-w.ready: // served just now: give the slots back
				q.free += n
			default:
				q.waiting = slices.DeleteFunc(q.waiting, func(o *waiter) bool { return o == w })
			}
			q.grant()
			q.moved()
			q.mu.Unlock()
			return 0, ctx.Err()
		}
	}
}

// release gives back n slots.
func (q *queue) release(n int) {
	q.mu.Lock()
	q.free += n
	q.grant()
	q.mu.Unlock()
}

// busy returns the slots in use and the requests waiting.
func (q *queue) busy() (used, waiting int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.size - q.free, len(q.waiting)
}

// grant serves waiting requests in order while slots are free; q.mu held.
func (q *queue) grant() {
	served := false
	for len(q.waiting) > 0 && q.free >= q.waiting[0].n {
		w := q.waiting[0]
		q.waiting = q.waiting[1:]
		q.free -= w.n
		close(w.ready)
		served = true
	}
	if served {
		q.moved()
	}
}

func (q *queue) moved() {
	close(q.changed)
	q.changed = make(chan struct{})
}
