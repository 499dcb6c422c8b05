// Package pipeline turns one record into delivered notifications, with no
// knowledge of Kafka: [Pipeline.Process] decodes a source event, finds its
// merchant, builds the notification in the merchant's layout, signs it per
// endpoint and delivers it to every endpoint that takes its kind; or, for
// a retry record, makes the notification's next scheduled attempt with the
// body exactly as first signed. It returns a [Disposition]: delivered,
// retry at a due time, dead with a reason, or skipped. Whoever feeds the
// pipeline (the Kafka adapter in package gateway, a test) stores what the
// disposition asks: a retry record, a dead letter, a committed offset.
//
// # Interfaces others implement
//
// The pipeline looks merchants up at processing time through [Merchants],
// a one-method interface, so a live registry can change merchants while
// the gateway runs: a *Merchant returned must not change afterwards; a
// change is a new *Merchant. [MerchantMap] is the fixed implementation a
// configuration file gives.
//
// An [Endpoint] can be paused: its notifications take the retry path with
// reason endpoint_paused (delivery.ReasonPaused) without an HTTP request
// and without using an attempt of the schedule; they come back after the
// busy back-off (the shortest retry tier, doubling up to 4 times).
//
// Every attempt, and every paused hand-off (reason endpoint_paused, no
// request, no attempt used), is reported to the optional [AttemptRecorder] with the merchant, endpoint,
// kind, message id, event id, key, attempt number, result, reason, HTTP
// status, duration, time, next due time and whether a read receipt was
// verified.
//
// # Retries
//
// One delivery.Policy decides what follows each round of tries: a quick
// retry within the round (inside the delivery.Deliverer), the durable
// retry path at the merchant's schedule's next slot (or the endpoint's
// Retry-After, capped), a back-off for a busy or paused endpoint, or the
// dead-letter topic; it keeps the attempt accounting a retry record
// carries ([State]). An attempt interrupted by ctx (shutdown, a revoked
// partition) is handed to the retry path, due at once, without counting.
package pipeline
