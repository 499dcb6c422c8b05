package delivery

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// ErrBusy is returned by [Limiter.Acquire] when every slot is taken and as
// many callers as the limiter allows are already waiting.
var ErrBusy = errors.New("endpoint busy: every request slot taken and its wait queue full")

// Limiter bounds the requests in flight to one endpoint. When it is full,
// Acquire waits (back-pressure on the caller) in arrival order, up to a
// bounded number of waiters: a caller beyond them gets [ErrBusy] at once,
// so a slow endpoint cannot hold the caller's capacity. A nil *Limiter is
// unbounded. It is safe for concurrent use.
type Limiter struct {
	slots   chan struct{}
	maxWait int64 // 0: no bound on waiters
	waiting atomic.Int64
}

// NewLimiter returns a limiter of n slots with at most maxWait callers
// waiting for one (0: no bound), or nil (unbounded) when n is not
// positive.
func NewLimiter(n, maxWait int) *Limiter {
	if n <= 0 {
		return nil
	}
	return &Limiter{slots: make(chan struct{}, n), maxWait: int64(max(maxWait, 0))}
}

// Acquire takes a slot, waiting until one is free or ctx is done (then it
// returns an error wrapping the context's cause). It returns [ErrBusy]
// without waiting when the wait queue is full.
func (l *Limiter) Acquire(ctx context.Context) error {
	if l == nil {
		return nil
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	default:
	}
	if n := l.waiting.Add(1); l.maxWait > 0 && n > l.maxWait {
		l.waiting.Add(-1)
		return ErrBusy
	}
	defer l.waiting.Add(-1)
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for a concurrency slot: %w", context.Cause(ctx))
	}
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

// MaxWaiting returns the bound on waiters (0: none).
func (l *Limiter) MaxWaiting() int {
	if l == nil {
		return 0
	}
	return int(l.maxWait)
}
