package delivery

import "time"

// Observer receives what a [Deliverer] does, for metrics and logs. Every
// field is optional and a nil *Observer observes nothing; the callbacks
// run on the delivering goroutine and must be quick. The endpoint passed
// is the one of the request being delivered: label metrics with its
// Merchant and Name, never its URL.
type Observer struct {
	// Attempt is called after every try with its outcome: an HTTP attempt
	// (Attempts 1), or a try the breaker refused (Reason circuit_open,
	// Attempts 0) or that was canceled while waiting for a slot.
	Attempt func(ep *Endpoint, o Outcome)
	// Backoff is called before a quick retry waits d.
	Backoff func(ep *Endpoint, last Outcome, d time.Duration)
	// Breaker is called on every transition of the endpoint's breaker,
	// in order; it must not call back into the Deliverer.
	Breaker func(ep *Endpoint, from, to BreakerState)
	// Wait is called when a try had to wait d for a concurrency slot.
	Wait func(ep *Endpoint, d time.Duration)
}

func (o *Observer) attempt(ep *Endpoint, out Outcome) {
	if o != nil && o.Attempt != nil {
		o.Attempt(ep, out)
	}
}

func (o *Observer) backoff(ep *Endpoint, last Outcome, d time.Duration) {
	if o != nil && o.Backoff != nil {
		o.Backoff(ep, last, d)
	}
}

func (o *Observer) breaker(ep *Endpoint) func(from, to BreakerState) {
	if o == nil || o.Breaker == nil {
		return nil
	}
	return func(from, to BreakerState) { o.Breaker(ep, from, to) }
}

func (o *Observer) wait(ep *Endpoint, d time.Duration) {
	if o != nil && o.Wait != nil {
		o.Wait(ep, d)
	}
}

func (o *Observer) waits() bool { return o != nil && o.Wait != nil }
