package pipeline

import (
	"time"

	"github.com/lcngw/lcngw/signer"
)

// AttemptRecorder is told about every delivery attempt the pipeline
// makes, and every hand-off of a paused endpoint's notification (Requests
// 0, Reason endpoint_paused): a delivery log, a console. RecordAttempt is called synchronously
// from the pipeline and must return quickly; implementations are safe for
// concurrent use.
type AttemptRecorder interface {
	RecordAttempt(Attempt)
}

// AttemptRecorderFunc adapts a function to [AttemptRecorder].
type AttemptRecorderFunc func(Attempt)

// RecordAttempt calls f.
func (f AttemptRecorderFunc) RecordAttempt(a Attempt) { f(a) }

// Attempt is one scheduled attempt (its quick retries included) of one
// notification to one endpoint.
type Attempt struct {
	Merchant  string
	Endpoint  string
	Kind      signer.Kind
	MessageID string
	EventID   string
	// Key is the source record's key (a license code, an order reference).
	Key string
	// Number is the scheduled attempt (1 is the first).
	Number int
	// Result is the verdict: Delivered, Retry or Dead.
	Result Verdict
	// Reason is the last try's bounded reason (delivery.Reason), or
	// retries_exhausted when no attempt is left.
	Reason string
	// LastReason is the last try's reason, also when Reason says
	// retries_exhausted.
	LastReason string
	// Status is the last HTTP status (0: no response).
	Status int
	// Requests is the number of HTTP requests the attempt made.
	Requests int
	// Duration is the attempt's time, quick retries included.
	Duration time.Duration
	// Latency is the time from the source event's Kafka timestamp (the
	// first attempt's start when unknown) to the end of this attempt.
	Latency time.Duration
	// Time is when the attempt ended.
	Time time.Time
	// First is when the notification's first attempt started.
	First time.Time
	// NextDue is when the next attempt is due (Result Retry).
	NextDue time.Time
	// ReceiptVerified reports whether a read receipt was verified.
	ReceiptVerified bool
}
