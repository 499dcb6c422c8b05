package gateway

import (
	"time"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/signer"
)

// Observer is told what the gateway does, for metrics and narration. Every
// method is called synchronously from the pipeline and must return
// quickly; implementations are safe for concurrent use. Embed NopObserver
// to implement only some methods and stay compatible as methods are added.
// Labels passed are bounded: topics, kinds, reasons, vendor codes and
// endpoint names from the configuration.
type Observer interface {
	// Consumed: a record was read from a source topic.
	Consumed(topic string)
	// Invalid: a source event was dead-lettered for reason (a param.Reason,
	// or unknown_merchant).
	Invalid(kind signer.Kind, reason string)
	// Skipped: a valid event produced no notification (reason
	// "trigger_disabled" or "no_endpoint").
	Skipped(kind signer.Kind, merchant, reason string)
	// Built: a notification was built and signed for n endpoints.
	Built(kind signer.Kind, merchant string, endpoints int)
	// Attempted: one scheduled attempt (its quick retries included) ended.
	Attempted(a Attempt)
	// Exhausted: a notification's schedule has no attempt left after a;
	// it is dead-lettered (reason retries_exhausted).
	Exhausted(a Attempt)
	// RetryScheduled: a notification was written to a retry tier.
	RetryScheduled(a Attempt, tier string, due time.Time)
	// DeadLettered: a notification (kind DeadDelivery) or an event
	// (DeadInput) was written to the dead-letter topic.
	DeadLettered(deadKind string, kind signer.Kind, reason string)
	// InFlight: the number of records being processed by a lane ("source"
	// or "retry") changed.
	InFlight(lane string, n int)
	// Assigned: a lane now holds n partitions (0 while it rebalances or
	// after it stopped).
	Assigned(lane string, n int)
	// Committed: offsets of a lane were committed (err nil) or not.
	Committed(lane string, err error)
	// Lag: how many records of a partition are not yet fetched; summed over
	// the retry tiers' partitions it is the number of retries pending.
	Lag(topic string, partition int, lag int64)
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

// Consumed does nothing.
func (NopObserver) Consumed(string) {}

// Invalid does nothing.
func (NopObserver) Invalid(signer.Kind, string) {}

// Skipped does nothing.
func (NopObserver) Skipped(signer.Kind, string, string) {}

// Built does nothing.
func (NopObserver) Built(signer.Kind, string, int) {}

// Attempted does nothing.
func (NopObserver) Attempted(Attempt) {}

// Exhausted does nothing.
func (NopObserver) Exhausted(Attempt) {}

// RetryScheduled does nothing.
func (NopObserver) RetryScheduled(Attempt, string, time.Time) {}

// DeadLettered does nothing.
func (NopObserver) DeadLettered(string, signer.Kind, string) {}

// InFlight does nothing.
func (NopObserver) InFlight(string, int) {}

// Assigned does nothing.
func (NopObserver) Assigned(string, int) {}

// Committed does nothing.
func (NopObserver) Committed(string, error) {}

// Lag does nothing.
func (NopObserver) Lag(string, int, int64) {}

// Observers fans every call out to several observers (nil entries are
// skipped).
type Observers []Observer

// Consumed calls every observer.
func (os Observers) Consumed(t string) { os.each(func(o Observer) { o.Consumed(t) }) }

// Invalid calls every observer.
func (os Observers) Invalid(k signer.Kind, r string) { os.each(func(o Observer) { o.Invalid(k, r) }) }

// Skipped calls every observer.
func (os Observers) Skipped(k signer.Kind, m, r string) {
	os.each(func(o Observer) { o.Skipped(k, m, r) })
}

// Built calls every observer.
func (os Observers) Built(k signer.Kind, m string, n int) {
	os.each(func(o Observer) { o.Built(k, m, n) })
}

// Attempted calls every observer.
func (os Observers) Attempted(a Attempt) { os.each(func(o Observer) { o.Attempted(a) }) }

// Exhausted calls every observer.
func (os Observers) Exhausted(a Attempt) { os.each(func(o Observer) { o.Exhausted(a) }) }

// RetryScheduled calls every observer.
func (os Observers) RetryScheduled(a Attempt, tier string, due time.Time) {
	os.each(func(o Observer) { o.RetryScheduled(a, tier, due) })
}

// DeadLettered calls every observer.
func (os Observers) DeadLettered(d string, k signer.Kind, r string) {
	os.each(func(o Observer) { o.DeadLettered(d, k, r) })
}

// InFlight calls every observer.
func (os Observers) InFlight(l string, n int) { os.each(func(o Observer) { o.InFlight(l, n) }) }

// Assigned calls every observer.
func (os Observers) Assigned(l string, n int) { os.each(func(o Observer) { o.Assigned(l, n) }) }

// Committed calls every observer.
func (os Observers) Committed(l string, err error) { os.each(func(o Observer) { o.Committed(l, err) }) }

// Lag calls every observer.
func (os Observers) Lag(t string, p int, lag int64) { os.each(func(o Observer) { o.Lag(t, p, lag) }) }

func (os Observers) each(f func(Observer)) {
	for _, o := range os {
		if o != nil {
			f(o)
		}
	}
}
