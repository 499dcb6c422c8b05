package delivery

import (
	"context"
	"fmt"
)

// Limiter bounds the requests in flight to one endpoint. When it is full,
// Acquire waits (back-pressure on the caller) in arrival order; nothing is
// ever dropped. A nil *Limiter is unbounded. It is safe for concurrent use.
type Limiter struct {
	slots chan struct{}
}

// NewLimiter returns a limiter of n slots, or nil (unbounded) when n is
// not positive.
func NewLimiter(n int) *Limiter {
	if n <= 0 {
		return nil
	}
	return &Limiter{slots: make(chan struct{}, n)}
}

// Acquire takes a slot, waiting until one is free or ctx is done (then it
// returns an error wrapping the context's cause).
func (l *Limiter) Acquire(ctx context.Context) error {
	if l == nil {
		return nil
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	default:
	}
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

// Cap returns the number of slots (0: unbounded).
func (l *Limiter) Cap() int {
	if l == nil {
		return 0
	}
	return cap(l.slots)
}
