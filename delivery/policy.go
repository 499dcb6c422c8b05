package delivery

import "time"

// Step is what the retry [Policy] decides after a try or a round of tries.
type Step uint8

// Steps.
const (
	// StepDone: delivered, nothing more to do.
	StepDone Step = iota + 1
	// StepQuick: try again within the same round, after a quick backoff.
	StepQuick
	// StepDurable: hand the notification to the durable retry path, due at
	// Decision.Due (its schedule's next slot, or a busy or paused back-off,
	// or at once for an interrupted attempt).
	StepDurable
	// StepDead: dead-letter the notification (Decision.Reason says why).
	StepDead
)

// ReasonExhausted is the dead-letter reason of a notification whose
// schedule has no attempt left.
const ReasonExhausted = "retries_exhausted"

// ReasonPaused is the retry reason of a notification whose endpoint is
// paused: it waits on the retry path without using an attempt.
const ReasonPaused = "endpoint_paused"

// Accounting is a notification's attempt count, kept in one place: the
// durable retry record carries it, the Policy advances it.
type Accounting struct {
	// Attempt is the scheduled attempt just made (1-based).
	Attempt int
	// Requests counts the HTTP requests made so far, quick retries included.
	Requests int
	// Busy counts the hand-offs in a row because the endpoint was saturated
	// or paused.
	Busy int
	// First is when the first attempt started.
	First time.Time
}

// Decision is the Policy's verdict on a round's outcome.
type Decision struct {
	Step Step
	// Due is when the next attempt is due (StepDurable).
	Due time.Time
	// Reason is the bounded reason: the outcome's, or ReasonExhausted.
	Reason string
	// Next is the accounting the retry or dead-letter record carries.
	Next Accounting
}

// Policy decides, in one place, everything that follows a failed try: a
// quick retry within the round, the durable retry path at the schedule's
// next slot, a back-off for a busy or paused endpoint, or the dead-letter
// topic; and it keeps the attempt accounting. The zero value is usable:
// the delivery default schedule, no Retry-After cap, a one-minute busy
// back-off.
type Policy struct {
	// Schedule is the durable retry schedule (zero: TwoCheckout()).
	Schedule Schedule
	// MaxRetryAfter caps the delay an endpoint may ask for (0: no cap).
	MaxRetryAfter time.Duration
	// BusyBackoff is the wait after the first hand-off of a busy or paused
	// endpoint's notification (normally the shortest retry tier); it
	// doubles at each further hand-off in a row, up to 4 times.
	BusyBackoff time.Duration
}

// maxBusyDoublings bounds the busy back-off at 4 × BusyBackoff. Growing
// further would leave a saturated endpoint idle between the returns of
// its overflow: notifications handed off together come back together,
// and most of each return is handed off again.
const maxBusyDoublings = 2

// Quick reports whether a failed try may be retried within its round:
// not when delivered, permanent, refused by an open circuit, turned away
// by a busy endpoint or cancelled.
func (Policy) Quick(o Outcome) bool {
	switch {
	case o.Result == Delivered, o.Result == Permanent:
		return false
	case o.Reason == ReasonCircuitOpen, o.Reason == ReasonBusy, o.Reason == ReasonCanceled:
		return false
	}
	return true
}

// Paused decides for a notification whose endpoint is paused: the
// durable retry path after the busy back-off, reason ReasonPaused, no
// attempt used.
func (p Policy) Paused(a Accounting, now time.Time) Decision {
	a.Attempt--
	a.Busy++
	return Decision{Step: StepDurable, Due: now.Add(p.busyBackoff(a.Busy)), Reason: ReasonPaused, Next: a}
}

// After decides what follows a round that ended in o. a is the accounting
// of the round (Attempt the scheduled attempt it made, Requests those made
// before it). A cancelled round and a busy endpoint do not use an attempt.
func (p Policy) After(a Accounting, o Outcome, now time.Time) Decision {
	a.Requests += o.Attempts
	switch {
	case o.Result == Delivered:
		a.Busy = 0
		return Decision{Step: StepDone, Reason: string(ReasonOK), Next: a}
	case o.Result == Permanent:
		return Decision{Step: StepDead, Reason: string(o.Reason), Next: a}
	case o.Reason == ReasonCanceled:
		// Interrupted by shutdown or a revoked partition: hand it over at
		// once without counting the attempt.
		a.Attempt--
		return Decision{Step: StepDurable, Due: now, Reason: string(o.Reason), Next: a}
	}
	busy := o.Reason == ReasonBusy
	if busy {
		// Saturated and never asked: not an attempt on its schedule.
		a.Attempt--
		a.Busy++
	} else {
		a.Busy = 0
	}
	due, ok := p.next(a, o, now)
	if !ok {
		return Decision{Step: StepDead, Reason: ReasonExhausted, Next: a}
	}
	if busy {
		due = minTime(due, now.Add(p.busyBackoff(a.Busy)))
	}
	return Decision{Step: StepDurable, Due: due, Reason: string(o.Reason), Next: a}
}

// next is when the notification is due after a failed round: the
// schedule's next slot, no earlier than the endpoint asked (Retry-After).
// An open circuit's remaining time is the gateway's own estimate, not the
// endpoint's request: when it reaches past the schedule's max age, the
// notification still gets its last try at max age instead of being
// dead-lettered while the schedule has slots left.
func (p Policy) next(a Accounting, o Outcome, now time.Time) (time.Time, bool) {
	s := p.schedule()
	if o.Reason != ReasonCircuitOpen {
		return s.NextAfter(a.Attempt, a.First, now, p.retryAfter(o.RetryAfter))
	}
	due, ok := s.NextAfter(a.Attempt, a.First, now, 0)
	if !ok {
		return time.Time{}, false
	}
	if reopen := now.Add(p.retryAfter(o.RetryAfter)); reopen.After(due) {
		due = minTime(reopen, a.First.Add(s.MaxAge))
	}
	return due, true
}

func (p Policy) schedule() Schedule {
	if len(p.Schedule.Offsets) == 0 && p.Schedule.Every == 0 {
		return TwoCheckout()
	}
	return p.Schedule
}

func (p Policy) retryAfter(d time.Duration) time.Duration {
	if p.MaxRetryAfter > 0 {
		return min(d, p.MaxRetryAfter)
	}
	return d
}

// busyBackoff is the wait after the k-th hand-off in a row (k ≥ 1).
func (p Policy) busyBackoff(k int) time.Duration {
	d := p.BusyBackoff
	if d <= 0 {
		d = time.Minute
	}
	return d << min(max(k-1, 0), maxBusyDoublings)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
