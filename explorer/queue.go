package explorer

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// queue hands out slots and memory, first come first served: a request
// for k slots and b bytes waits until every earlier request has been
// served, k slots are free and b bytes fit under the memory limit with
// what the running and the kept finished runs hold. One slot is one
// optimiser training on one core. At most maxWait requests wait; one more
// is refused (QueueFullError).
type queue struct {
	mu      sync.Mutex
	size    int
	free    int
	limit   int64 // bytes: Options.MaxMemory
	used    int64 // bytes reserved by running work and kept by finished runs
	maxWait int
	waiting []*waiter
	changed chan struct{} // closed and replaced whenever the queue moves
	// reclaim, when set, is asked (without the lock) to give back memory
	// kept by finished runs when the first in line waits on memory alone.
	reclaim func()
}

type waiter struct {
	n     int
	bytes int64
	ready chan struct{}
}

// QueueFullError is the answer to a request that finds the queue full.
type QueueFullError struct{ Waiting int }

func (e *QueueFullError) Error() string {
	return fmt.Sprintf("explorer: the server is busy: %d runs and sweeps are waiting already, the most it queues (adamgap serve --max-queue); try again when one has finished", e.Waiting)
}

func newQueue(size int, limit int64, maxWait int) *queue {
	return &queue{size: size, free: size, limit: limit, maxWait: maxWait, changed: make(chan struct{})}
}

// join puts a request for n slots (at most the queue's size) and bytes of
// memory at the end of the line, or refuses it when maxWait requests are
// waiting already. The waiter is served by wait.
func (q *queue) join(n int, bytes int64) (*waiter, error) {
	n = max(1, min(n, q.size))
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) >= q.maxWait {
		return nil, &QueueFullError{Waiting: len(q.waiting)}
	}
	w := &waiter{n: n, bytes: bytes, ready: make(chan struct{})}
	q.waiting = append(q.waiting, w)
	q.grant()
	return w, nil
}

// wait waits until w is served, telling position its place in the line
// (1 = next) whenever it changes. On ctx's end it leaves the line (or
// gives back what it was just given) and returns ctx's error.
func (q *queue) wait(ctx context.Context, w *waiter, position func(int)) error {
	last := 0
	q.mu.Lock()
	for {
		select {
		case <-w.ready:
			q.mu.Unlock()
			return nil
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
			return nil
		case <-changed:
			q.mu.Lock()
		case <-ctx.Done():
			q.mu.Lock()
			select {
			case <-w.ready: // served just now: give it back
				q.free += w.n
				q.used -= w.bytes
			default:
				q.waiting = slices.DeleteFunc(q.waiting, func(o *waiter) bool { return o == w })
			}
			q.grant()
			q.moved()
			q.mu.Unlock()
			return ctx.Err()
		}
	}
}

// acquire is join and wait: it returns the number of slots held, to be
// given back with release.
func (q *queue) acquire(ctx context.Context, n int, position func(int)) (int, error) {
	w, err := q.join(n, 0)
	if err != nil {
		return 0, err
	}
	if err := q.wait(ctx, w, position); err != nil {
		return 0, err
	}
	return w.n, nil
}

// release gives back n slots.
func (q *queue) release(n int) { q.settle(n, 0, 0) }

// settle gives back n slots and the reserved bytes, and keeps kept bytes
// (what a finished run holds for the page) until unkeep.
func (q *queue) settle(n int, reserved, kept int64) {
	q.mu.Lock()
	q.free += n
	q.used += kept - reserved
	q.grant()
	q.mu.Unlock()
}

// unkeep gives back bytes kept by a finished run that is forgotten.
func (q *queue) unkeep(bytes int64) { q.settle(0, bytes, 0) }

// busy returns the slots in use and the requests waiting.
func (q *queue) busy() (used, waiting int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.size - q.free, len(q.waiting)
}

// memory returns the bytes reserved and kept, and the limit.
func (q *queue) memory() (used, limit int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.used, q.limit
}

// grant serves waiting requests in order while slots and memory suffice;
// q.mu held.
func (q *queue) grant() {
	served := false
	for len(q.waiting) > 0 && q.free >= q.waiting[0].n {
		w := q.waiting[0]
		if q.used+w.bytes > q.limit && q.used > 0 {
			// A request larger than the limit was refused before it joined
			// (checkBudget); with nothing held it may go.
			if q.reclaim != nil {
				go q.reclaim()
			}
			break
		}
		q.waiting = q.waiting[1:]
		q.free -= w.n
		q.used += w.bytes
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
