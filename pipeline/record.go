package pipeline

import (
	"time"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/signer"
)

// Record is one record to process: a source event, or a retry record of
// a notification (Retry set).
type Record struct {
	// Kind is the kind of a source event (from its topic); a retry record's
	// kind is in Retry.
	Kind signer.Kind
	// Key and Value are the record's key and value: the event's JSON, or
	// the signed form body of a retry record.
	Key, Value []byte
	// Time is the source record's timestamp (zero if unknown).
	Time time.Time
	// Retry is the state of a retry record; nil for a source event.
	Retry *State
}

// State is one notification's state on its way to one endpoint, carried by
// its retry and dead-letter records (see package retryrecord for the
// header codec).
type State struct {
	Attempt    int // scheduled attempts made so far
	Requests   int // HTTP requests made so far, quick retries included
	First      time.Time
	Published  time.Time // the source record's timestamp (zero if unknown)
	Due        time.Time // when the next attempt is due
	Enqueued   time.Time // when the record was written
	Kind       signer.Kind
	Merchant   string
	Endpoint   string
	MessageID  string
	EventID    string
	LastReason string
	LastStatus int
	LastError  string
	Busy       int // hand-offs in a row as endpoint_busy or endpoint_paused
}

// Verdict is what becomes of a record or of one of its notifications.
type Verdict uint8

// Verdicts.
const (
	// Delivered: every notification reached its endpoint.
	Delivered Verdict = iota + 1
	// Retry: a notification waits on the retry path until Due.
	Retry
	// Dead: dead-letter the notification, or the record itself when it
	// cannot become a notification (Disposition.Notices empty).
	Dead
	// Skipped: a valid event that produces no notification.
	Skipped
)

// String returns delivered, retry, dead or skipped.
func (v Verdict) String() string {
	switch v {
	case Delivered:
		return "delivered"
	case Retry:
		return "retry"
	case Dead:
		return "dead"
	case Skipped:
		return "skipped"
	}
	return "unknown"
}

// Reasons the pipeline gives for a record it dead-letters or skips. Events
// that cannot be built are dead-lettered with a param.Reason.
const (
	ReasonUnknownEndpoint = "unknown_endpoint" // a retry record's endpoint is no longer configured
	ReasonBadRetryRecord  = "bad_retry_record" // a retry record's headers or body cannot be read
	SkipTrigger           = "trigger_disabled" // an LCN whose DISPATCH_REASON the merchant did not enable
	SkipNoEndpoint        = "no_endpoint"      // no endpoint of the merchant takes this kind
	ReasonExhausted       = delivery.ReasonExhausted
	ReasonPaused          = delivery.ReasonPaused
)

// Disposition is what became of a record. When the record itself is
// skipped or dead-lettered, Notices is empty and Reason (and Detail) say
// why; otherwise Notices has one entry per endpoint attempted and Verdict
// is the worst of theirs (Dead, then Retry, then Delivered).
type Disposition struct {
	Verdict Verdict
	Kind    signer.Kind
	// Merchant is the vendor code, when known.
	Merchant string
	// Reason is a bounded label: a param.Reason, a Skip or Reason constant.
	Reason string
	// Detail explains Reason in words naming fields and rules, never
	// event data.
	Detail  string
	Notices []Notice
}

// Notice is what became of one notification to one endpoint.
type Notice struct {
	// Verdict is Delivered, Retry (due at State.Due) or Dead (Reason).
	Verdict Verdict
	// Reason is the bounded reason of a Retry or Dead verdict.
	Reason string
	// Tried is false for a paused endpoint's hand-off: no request made.
	Tried bool
	// Attempt is the number of the scheduled attempt made (1 is the
	// first); State.Attempt is the count a retry record carries, which an
	// attempt that does not count leaves as it was.
	Attempt int
	// Outcome is the round's outcome, when Tried.
	Outcome delivery.Outcome
	// State is the state a retry or dead-letter record carries.
	State State
	// Key is the source record's key.
	Key []byte
	// Body is the signed form body, byte for byte as first sent; nil when
	// Delivered (its buffer is reused). The caller owns it.
	Body []byte
}
