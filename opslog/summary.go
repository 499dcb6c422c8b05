package opslog

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// Summary counts what became of notifications and logs the counts at
// info level once per interval, so an info-level log shows progress
// without a line per notification. It is safe for concurrent use.
type Summary struct {
	delivered, retried, dead, invalid atomic.Uint64
}

// Delivered counts a notification delivered.
func (s *Summary) Delivered() { s.delivered.Add(1) }

// Retried counts a notification written to a retry tier.
func (s *Summary) Retried() { s.retried.Add(1) }

// DeadLettered counts a notification or event written to the dead-letter
// topic.
func (s *Summary) DeadLettered() { s.dead.Add(1) }

// Invalid counts a source event rejected as invalid.
func (s *Summary) Invalid() { s.invalid.Add(1) }

// Counts are the figures of one interval.
type Counts struct{ Delivered, Retried, DeadLettered, Invalid uint64 }

// Take returns the counts since the last Take and starts over.
func (s *Summary) Take() Counts {
	return Counts{
		Delivered: s.delivered.Swap(0), Retried: s.retried.Swap(0),
		DeadLettered: s.dead.Swap(0), Invalid: s.invalid.Swap(0),
	}
}

// Run logs the counts every interval until ctx ends, and a last time
// then. An interval with nothing to tell is not logged.
func (s *Summary) Run(ctx context.Context, log *slog.Logger, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.log(log, every)
			return
		case <-t.C:
			s.log(log, every)
		}
	}
}

func (s *Summary) log(log *slog.Logger, every time.Duration) {
	c := s.Take()
	if c == (Counts{}) {
		return
	}
	log.Info("summary", "interval", every, "delivered", c.Delivered, "retried", c.Retried,
		"dead_lettered", c.DeadLettered, "invalid", c.Invalid)
}
