package delivery

// Watcher follows every try of a [Deliverer] and every transition of its
// endpoints' breakers, for what watches endpoints beside the metrics
// (endpoint health). Calls run on the delivering goroutine and must be
// quick; implementations are safe for concurrent use.
type Watcher interface {
	// Tried is called after every try with its outcome: an HTTP request
	// (o.Attempts 1), or a try refused by the breaker or given up while
	// waiting for a slot (o.Attempts 0).
	Tried(ep *Endpoint, o Outcome)
	// BreakerChanged is called on every transition of ep's breaker, in
	// order; it must not call back into the Deliverer.
	BreakerChanged(ep *Endpoint, to BreakerState)
}
