package endpointhealth

import "time"

// Attempt is the end of one scheduled attempt of a notification.
type Attempt struct {
	Merchant, Endpoint string
	// ID identifies the notification at this endpoint (its message ID).
	ID string
	// First is when the notification was first attempted.
	First time.Time
	// Delivered: the endpoint took it.
	Delivered bool
	// Final: it failed for good (dead-lettered); nothing follows.
	Final bool
	// Reason is a failed attempt's bounded reason label.
	Reason string
	// Due is when a failed, not final, notification is tried next.
	Due time.Time
}

// Attempted records an attempt: a delivery sets the last success and ends
// the notification; a failure keeps it undelivered until its next try
// (or, should another instance take that try, a while after it) and gives
// the endpoint detail.
func (t *Tracker) Attempted(a Attempt) {
	k := Key{a.Merchant, a.Endpoint}
	t.attempted(k, t.state(k), a)
}

// attempted records a on k's state s.
func (t *Tracker) attempted(k Key, s *state, a Attempt) {
	now := t.opts.Now()
	s.attempts.Add(1)
	if a.Delivered {
		s.lastSuccess.Store(now.UnixNano())
		if s.candidate.Load() {
			s.settle(a.ID)
		}
		return
	}
	s.lastFailure.Store(now.UnixNano())
	s.failed(a.Reason)
	if a.Final {
		s.settle(a.ID)
	} else {
		s.pend(a.ID, a.First, expiry(now, a.Due))
	}
	t.candidate(k, s)
}

// expiry is when an undelivered notification due at due stops counting
// if this instance does not see it again: another instance may have
// taken it. It is twice the wait after due, at least a minute.
func expiry(now, due time.Time) time.Time {
	if due.IsZero() || due.Before(now) {
		due = now
	}
	return due.Add(max(due.Sub(now), time.Minute))
}

// Requested records one HTTP request to an endpoint.
func (t *Tracker) Requested(merchant, endpoint string, ok bool, reason string) {
	s := t.state(Key{merchant, endpoint})
	s.requests.Add(1)
	if !ok {
		s.requestFailed(reason)
	}
}

// Breaker records the state an endpoint's circuit breaker turned to
// ("closed", "open", "half_open"); a breaker not closed gives the
// endpoint detail.
func (t *Tracker) Breaker(merchant, endpoint, state string) {
	k := Key{merchant, endpoint}
	s := t.state(k)
	s.setBreaker(state)
	if state != "closed" {
		t.candidate(k, s)
	}
}

// Paused records an endpoint paused (or resumed); a paused endpoint has
// detail.
func (t *Tracker) Paused(merchant, endpoint string, paused bool) {
	k := Key{merchant, endpoint}
	t.setPaused(k, t.state(k), paused)
}

// setPaused records k, whose state is s, paused (or resumed).
func (t *Tracker) setPaused(k Key, s *state, paused bool) {
	s.paused.Store(paused)
	if paused {
		t.candidate(k, s)
	}
}
