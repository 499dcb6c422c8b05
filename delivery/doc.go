// Package delivery sends one signed notification to one merchant endpoint
// and classifies what happened: delivered (2xx plus a valid read receipt),
// worth retrying later, or permanently failed. It owns the HTTP client
// (SSRF-safe dialing, no redirects, per-attempt timeouts), the read-receipt
// check, the retry schedule, per-endpoint circuit breakers and concurrency
// limits, and the quick in-process retries.
//
// It knows nothing of Kafka: the pipeline decides where a notification that
// still needs retrying goes.
//
// # Pieces
//
//   - [Client] makes one attempt ([Client.Send]) with its own lean
//     HTTP/1.1 client; [NewHTTPClient] is a net/http client with the same
//     policy (endpoint checks use it), [Guard] their SSRF policy.
//   - [Deliverer] wraps a Sender with each endpoint's [Breaker] and
//     [Limiter] and a few quick retries ([QuickRetry], cenkalti/backoff v4).
//   - [Schedule] says when the durable retries are due; [TwoCheckout] is
//     the platform's own schedule.
//   - [Metrics] count requests per endpoint; [CheckEndpoint] is the GET check
//     the platform makes when a merchant saves a URL.
//
// # Classification
//
// Like the platform, which "continues to send notifications per the failure
// recovery process until you provide a valid response", only a 2xx answer
// carrying a valid read receipt delivers, and only 410 Gone stops early:
//
//	2xx + receipt verifying under the endpoint key   Delivered  ok
//	2xx, endpoint.ReceiptOptional                    Delivered  ok
//	2xx without a receipt                            Retry      no_receipt
//	2xx with a receipt that does not verify, or in
//	    an algorithm the endpoint does not accept    Retry      bad_receipt
//	2xx, notification lacks the receipt's fields     Permanent  other
//	3xx (never followed; the target is never hit)    Retry      status_3xx
//	408 and other 4xx                                Retry      status_4xx
//	410 Gone                                         Permanent  status_410
//	429 (Outcome.RetryAfter from Retry-After)        Retry      status_429
//	503 (Outcome.RetryAfter from Retry-After), 5xx   Retry      status_5xx
//	connect or total timeout                         Retry      timeout
//	DNS, refused, reset, EOF, TLS                    Retry      connect
//	address refused by the SSRF guard                Permanent  ssrf_blocked
//	caller's context done                            Retry      canceled
//	breaker open                                     Retry      circuit_open
//	no slot free within MaxSlotWait, or MaxWaiting
//	    tries waiting while saturated                Retry      endpoint_busy
//	invalid endpoint URL, no endpoint                Permanent  other
//
// A refused destination is permanent because retrying cannot fix a
// configuration (the allow-list, or the merchant's DNS); the dead letter
// can be replayed once it is fixed. Retry-After (seconds or HTTP-date) is
// capped by ClientConfig.MaxRetryAfter (default 1h). Errors name the
// endpoint as merchant/name; URLs in them are cut to scheme://host, so
// neither credentials in the query nor tokens in the path are ever shown,
// and response bodies are never echoed.
//
// # HTTP
//
// POST, Content-Type application/x-www-form-urlencoded, User-Agent
// lcngw/<version>, HTTP/1.1 with keep-alive (at most MaxResponseBytes,
// default 64 KiB, of the answer is read for the receipt; up to 64 KiB more
// is drained so the connection is reused). Endpoint.ConnectTimeout (default
// 10s) bounds DNS, TCP and the TLS handshake, Endpoint.Timeout (default
// 30s) the whole attempt. No proxy is used: it would connect on our
// behalf, past the guard.
//
// Notifications are POSTed by a client of the package's own rather than
// net/http's, at about half the CPU per request: each request runs in the
// caller's goroutine on a pooled connection (MaxIdleConnsPerHost per
// scheme://host:port, closed after IdleConnTimeout), written in one
// write; the answer's head is parsed for the status, the body's framing
// (Content-Length, chunked, or until the connection closes), Connection:
// close and Retry-After; interim 1xx answers are skipped. An idle
// connection is checked without blocking before use, so one the server
// closed is dropped; a request that still fails on a reused connection
// before any answer byte is sent once more on a new connection (at least
// once delivery: receivers deduplicate by MESSAGE_ID). Hosts that need
// IDNA conversion are sent through net/http.
//
// # SSRF
//
// The [Guard] checks the address actually being connected to, at dial time,
// so DNS rebinding cannot slip past it. It refuses everything that is not
// globally reachable unicast ([Refused] lists the ranges), including the
// IPv4-mapped, NAT64 and 6to4 forms of refused IPv4 addresses, unless an
// [Allower] (CIDR prefixes, host names) or AllowLoopback (development) lets
// the destination through.
//
// # Breaker
//
// Per endpoint (merchant, name, URL): after Failures consecutive
// failures (0 disables the breaker; the shipped configuration uses 5) the
// circuit opens for OpenDuration (default 30s),
// doubling after each failed probe up to MaxOpenDuration (10m); then one
// probe (Probes) goes through, and a success closes it. Only signs of an
// unavailable endpoint count as failures — timeout, connect, 5xx, 429, 408.
// An endpoint answering 4xx or 2xx without a receipt is up: hammering is
// not the problem there, and the answer may depend on the notification, so
// one bad notification must not pause the merchant's others. While open,
// a try returns at once with Retry/circuit_open and RetryAfter set to the
// time the circuit stays open, so the notification waits in the retry path
// and other endpoints are unaffected.
//
// # Concurrency and isolation
//
// Each endpoint has a [Limiter]: at most Endpoint.MaxConcurrency requests
// in flight; more tries wait for a slot in arrival order. A try that waits
// longer than Endpoint.MaxSlotWait gives up, and the endpoint counts as
// saturated for as long again; while it is, at most Endpoint.MaxWaiting
// tries wait and the next ones give up at once. A try that gives up
// returns Retry/endpoint_busy without a request, like an open circuit: the
// notification moves to the durable retry path, and the caller's capacity
// (the pipeline's in-flight records) goes on to other endpoints. So an
// endpoint that answers too slowly for its traffic delays only its own
// notifications, holding at most its slots and MaxWaiting waiting tries;
// an endpoint that works through its queue within MaxSlotWait is never
// refused, however long the queue (a backlog drains by back-pressure, not
// through the retry path). A busy try does not count against the
// endpoint's breaker.
//
// # Retries
//
// A [Deliverer] round makes up to QuickRetry.Attempts tries (default 3,
// 500ms then 1s ±20%) and stops early on delivery, a permanent failure, an
// open circuit, a busy endpoint, cancellation, or a Retry-After longer than
// the next quick wait (canceled during a wait, it returns the last try's
// outcome). What
// is still Retry then goes to the durable path, due at
// [Schedule.NextAfter]; the default schedule is the platform's: at once,
// +1m, +5m, +20m, +35m, +50m, +65m, then hourly (+2h05m … +47h05m) until 48
// hours after the first attempt, 53 attempts in all; exhausted, the
// notification is dead-lettered.
package delivery
