package gateway

import "context"

// work carries the contexts of one unit of work: delivery attempts stop
// when deliver ends (the drain deadline), retry and dead-letter writes when
// durable ends (the hand-off deadline).
type work struct {
	deliver context.Context
	durable context.Context
}
