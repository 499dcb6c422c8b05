package delivery

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// ErrBusy is returned by [Limiter.Acquire] when the endpoint is saturated:
// no slot freed up within the limiter's wait bound, or the wait queue is
// full while it is saturated.
const ErrBusy = constError("endpoint busy: no request slot freed up in time")

// Limiter bounds the requests in flight to one endpoint. When it is full,
// Acquire waits (back-pressure on the caller) in arrival order.
//
// Waiting is bounded in time and, once the endpoint is saturated, in
// number: a caller that waits longer than the wait bound gets [ErrBusy]
// and marks the endpoint saturated for as long again; while it is, callers
// beyond the bound on waiters get ErrBusy at once. An endpoint that works
// through its queue in time never refuses anyone, however long the queue;
// one that answers too slowly for its traffic holds at most its slots plus
// the bounded waiters of its callers' capacity. A nil *Limiter is
// unbounded. It is safe for concurrent use.
type Limiter struct {
	slots     chan struct{}
	maxWait   int64         // bound on waiters while saturated; 0: none
	waitFor   time.Duration // bound on one wait; 0: none
	waiting   atomic.Int64
	saturated atomic.Int64 // unix nanoseconds until which the endpoint counts as saturated
}

// NewLimiter returns a limiter of n slots whose callers wait at most
// waitFor (0: without bound), at most maxWait of them while the endpoint
// is saturated (0: no bound); or nil (unbounded) when n is not positive.
func NewLimiter(n, maxWait int, waitFor time.Duration) *Limiter {
	if n <= 0 {
		return nil
	}
	return &Limiter{slots: make(chan struct{}, n), maxWait: int64(max(maxWait, 0)), waitFor: max(waitFor, 0)}
}

// Acquire takes a slot, waiting until one is free, ctx is done (then it
// returns an error wrapping the context's cause), or the endpoint proves
// saturated ([ErrBusy]).
func (l *Limiter) Acquire(ctx context.Context) error {
	if l == nil {
		return nil
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	default:
	}
	n := l.waiting.Add(1)
	defer l.waiting.Add(-1)
	if l.maxWait > 0 && n > l.maxWait && l.Saturated() {
		return ErrBusy
	}
	var expired <-chan time.Time
	if l.waitFor > 0 {
		t := time.NewTimer(l.waitFor)
		defer t.Stop()
		expired = t.C
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for a concurrency slot: %w", context.Cause(ctx))
	case now := <-expired:
		l.saturated.Store(now.Add(l.waitFor).UnixNano())
		return ErrBusy
	}
}

// Saturated reports whether a caller gave up waiting within the last wait
// bound.
func (l *Limiter) Saturated() bool {
	return l != nil && time.Now().UnixNano() < l.saturated.Load()
}

// TryAcquire takes a slot if one is free.
func (l *Limiter) TryAcquire() bool {
	if l == nil {
		return true
	}
	select {
	case l.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// Release frees a slot taken by Acquire or TryAcquire.
func (l *Limiter) Release() {
	if l != nil {
		<-l.slots
	}
}

// InFlight returns the number of slots taken.
func (l *Limiter) InFlight() int {
	if l == nil {
		return 0
	}
	return len(l.slots)
}

// Waiting returns the number of callers waiting for a slot.
func (l *Limiter) Waiting() int {
	if l == nil {
		return 0
	}
	return int(l.waiting.Load())
}

// Cap returns the number of slots (0: unbounded).
func (l *Limiter) Cap() int {
	if l == nil {
		return 0
	}
	return cap(l.slots)
}

// same reports whether l has the given bounds.
func (l *Limiter) same(n, maxWait int, waitFor time.Duration) bool {
	if l == nil {
		return n <= 0
	}
	return cap(l.slots) == n && l.maxWait == int64(max(maxWait, 0)) && l.waitFor == max(waitFor, 0)
}
