package gateway

import (
	"time"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/signer"
)

// Observer is told what becomes of notifications and events, for
// narration (lcngw dev); metrics are counted by Metrics and
// pipeline.Metrics. Every method is called synchronously from the gateway
// and must return quickly; implementations are safe for concurrent use.
// Embed NopObserver to implement only some methods.
type Observer interface {
	// Attempted: one scheduled attempt (its quick retries included) ended.
	Attempted(a Attempt)
	// RetryScheduled: a notification was written to a retry tier.
	RetryScheduled(a Attempt, tier string, due time.Time)
	// DeadLettered: a notification (retryrecord.DeadDelivery) or an event
	// (DeadInput) was written to the dead-letter topic.
	DeadLettered(deadKind string, kind signer.Kind, reason string)
	// Skipped: a valid event produced no notification (reason
	// "trigger_disabled" or "no_endpoint").
	Skipped(kind signer.Kind, merchant, reason string)
}

// Attempt describes one scheduled delivery attempt of a notification to
// one endpoint.
type Attempt struct {
	Kind      signer.Kind
	Merchant  string
	Endpoint  string
	MessageID string
	// Number is the scheduled attempt (1 is the first).
	Number  int
	Outcome delivery.Outcome
	// Since is how long ago the first attempt started.
	Since time.Duration
	// Queued is how long the source record waited (from its Kafka
	// timestamp) before the first attempt; Queued + Since is the
	// end-to-end latency. 0 when the timestamp is unknown.
	Queued time.Duration
}

// NopObserver ignores everything.
type NopObserver struct{}

// Attempted does nothing.
func (NopObserver) Attempted(Attempt) {}

// RetryScheduled does nothing.
func (NopObserver) RetryScheduled(Attempt, string, time.Time) {}

// DeadLettered does nothing.
func (NopObserver) DeadLettered(string, signer.Kind, string) {}

// Skipped does nothing.
func (NopObserver) Skipped(signer.Kind, string, string) {}

// Observers fans every call out to several observers (nil entries are
// skipped).
type Observers []Observer

// Attempted calls every observer.
func (os Observers) Attempted(a Attempt) { os.each(func(o Observer) { o.Attempted(a) }) }

// RetryScheduled calls every observer.
func (os Observers) RetryScheduled(a Attempt, tier string, due time.Time) {
	os.each(func(o Observer) { o.RetryScheduled(a, tier, due) })
}

// DeadLettered calls every observer.
func (os Observers) DeadLettered(d string, k signer.Kind, r string) {
	os.each(func(o Observer) { o.DeadLettered(d, k, r) })
}

// Skipped calls every observer.
func (os Observers) Skipped(k signer.Kind, m, r string) {
	os.each(func(o Observer) { o.Skipped(k, m, r) })
}

func (os Observers) each(f func(Observer)) {
	for _, o := range os {
		if o != nil {
			f(o)
		}
	}
}
