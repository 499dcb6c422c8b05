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
//   - [Client] makes one attempt ([Client.Send]) and the endpoint check
//     ([Client.Check]) through one HTTP client, valyala/fasthttp's;
//     [Guard] is its SSRF policy.
//   - [Deliverer] wraps a Sender with each endpoint's [Breaker] and
//     [Limiter] and a few quick retries ([QuickRetry], cenkalti/backoff v4).
//   - [Schedule] says when the durable retries are due; [TwoCheckout] is
//     the platform's own schedule.
//   - [Metrics] count requests per endpoint, a [Watcher] follows them
//     (endpoint health); [Client.Check] is the GET check
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
//	DNS, refused, reset, EOF, TLS, malformed answer  Retry      connect
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
// Requests go through a fasthttp.HostClient per origin (scheme, host and
// port), shared by every endpoint there as net/http's Transport shares a
// host's connections, which keeps the origin's keep-alive connections (at
// most MaxConnsPerOrigin; a request beyond the bound waits for one within
// its timeout; at most MaxIdleConnsPerOrigin idle for one origin and
// MaxIdleConns over all, closed after IdleConnTimeout, so open
// connections stay bounded however many endpoints there are) and runs in the caller's goroutine. fasthttp
// writes each request and parses each answer; the package's transport
// adds what fasthttp lacks: the caller's context ends every phase of an
// attempt (a connection connects when first used, under that context),
// only MaxResponseBytes of the body are kept, and a connection goes back
// to the pool only after a complete answer that leaves it in HTTP/1.1
// (never after 101 Switching Protocols, Connection: close, an error or a
// cut). Interim 1xx answers are skipped. Malformed answers (a status
// line other than HTTP/1.0 or HTTP/1.1 with a status from 100 to 999, a
// Content-Length that is not plain digits, conflicting lengths, unknown
// transfer codings, bad chunks, a head over 16 KiB or with bare LF line
// ends) fail the attempt as connect. A pooled connection is checked
// without blocking before use, and one its server closed is passed over
// before anything is written; a request that fails once written, on a new
// connection or a reused one, is never sent again by the client, so
// Outcome.Attempts counts every request put on the wire (the quick
// retries and the durable path decide what happens next; receivers
// deduplicate by MESSAGE_ID). Internationalized host names are sent in
// their IDNA form; the User-Agent may hold UTF-8 (control characters
// become spaces).
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
