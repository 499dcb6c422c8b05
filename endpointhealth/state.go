package endpointhealth

import (
	"maps"
	"sync"
	"sync/atomic"
	"time"
)

// state is one endpoint's health. Counters are kept for every endpoint
// (they are exported only while it has detail, and keep counting so that
// rates stay right when it gets detail again).
type state struct {
	attempts    atomic.Uint64
	requests    atomic.Uint64
	lastSuccess atomic.Int64 // Unix nanoseconds; 0: none seen
	lastFailure atomic.Int64
	paused      atomic.Bool
	candidate   atomic.Bool

	mu             sync.Mutex
	attemptsFailed map[string]uint64 // reason → count
	requestsFailed map[string]uint64
	breaker        string
	pending        map[string]pendingEntry // notification ID → entry
}

type pendingEntry struct{ first, expires time.Time }

func newState() *state { return &state{breaker: "closed"} }

func (s *state) failed(reason string) {
	s.mu.Lock()
	if s.attemptsFailed == nil {
		s.attemptsFailed = map[string]uint64{}
	}
	s.attemptsFailed[reason]++
	s.mu.Unlock()
}

func (s *state) requestFailed(reason string) {
	s.mu.Lock()
	if s.requestsFailed == nil {
		s.requestsFailed = map[string]uint64{}
	}
	s.requestsFailed[reason]++
	s.mu.Unlock()
}

func (s *state) setBreaker(st string) {
	s.mu.Lock()
	s.breaker = st
	s.mu.Unlock()
}

// pend follows an undelivered notification, keeping its first time.
func (s *state) pend(id string, first, expires time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		s.pending = map[string]pendingEntry{}
	}
	if e, ok := s.pending[id]; ok {
		e.expires = expires
		s.pending[id] = e
		return
	}
	if len(s.pending) < maxPending {
		s.pending[id] = pendingEntry{first: first, expires: expires}
	}
}

// settle stops following a notification.
func (s *state) settle(id string) {
	s.mu.Lock()
	delete(s.pending, id)
	s.mu.Unlock()
}

// view is a consistent copy of what the collector exports.
type view struct {
	attempts, requests             uint64
	attemptsFailed, requestsFailed map[string]uint64
	breaker                        string
	paused                         bool
	lastSuccess, lastFailure       time.Time
	oldest                         time.Time // zero: nothing undelivered
}

// snapshot drops expired undelivered notifications and copies the state.
func (s *state) snapshot(now time.Time) view {
	v := view{
		attempts: s.attempts.Load(), requests: s.requests.Load(),
		paused:      s.paused.Load(),
		lastSuccess: unixNano(s.lastSuccess.Load()), lastFailure: unixNano(s.lastFailure.Load()),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v.attemptsFailed = maps.Clone(s.attemptsFailed)
	v.requestsFailed = maps.Clone(s.requestsFailed)
	v.breaker = s.breaker
	for id, e := range s.pending {
		if now.After(e.expires) {
			delete(s.pending, id)
			continue
		}
		if v.oldest.IsZero() || e.first.Before(v.oldest) {
			v.oldest = e.first
		}
	}
	return v
}

func unixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
