package config

import (
	"strings"
	"time"
)

// Delivery configures the HTTP delivery of notifications to merchant
// endpoints. Endpoint and merchant settings override some of it.
type Delivery struct {
	// ConnectTimeout bounds establishing a connection (DNS, TCP, TLS);
	// default 10s.
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	// Timeout bounds one attempt from dialling to the end of the response
	// body; default 30s.
	Timeout time.Duration `yaml:"timeout"`
	// QuickRetry is how one scheduled attempt retries transient failures
	// in-process before the notification waits for its next scheduled time.
	QuickRetry QuickRetry `yaml:"quick_retry"`
	// Retry is the retry schedule; merchants may override it.
	Retry Retry `yaml:"retry"`
	// MaxInFlight bounds the notifications being delivered at once, across
	// every endpoint; default 256.
	MaxInFlight int `yaml:"max_in_flight"`
	// MaxConcurrency bounds concurrent requests to one endpoint; default 8
	// (a merchant's listener typically runs a handful of workers).
	// Endpoints may override it.
	MaxConcurrency int `yaml:"max_concurrency"`
	// MaxSlotWait bounds how long a notification waits for one of an
	// endpoint's max_concurrency slots; default 2s, 0 for no bound. One
	// that waits longer takes the retry path (reason endpoint_busy): it
	// comes back after the shortest retry tier, after twice that on a
	// second hand-off in a row and after 4 times that from the third on
	// (never later than the schedule's next slot), without using an
	// attempt of the schedule (max_age still applies), and the endpoint
	// counts as saturated for as long again.
	MaxSlotWait time.Duration `yaml:"max_slot_wait"`
	// MaxWaiting bounds the notifications waiting for one of an endpoint's
	// slots while it is saturated; default 16. More take the retry path at
	// once. So an endpoint that answers too slowly for its traffic holds
	// at most max_concurrency + max_waiting of the max_in_flight capacity
	// every endpoint shares, while one that works through its queue within
	// max_slot_wait is never refused. Endpoints may override it.
	MaxWaiting int `yaml:"max_waiting"`
	// CircuitBreaker stops sending to an endpoint that keeps failing.
	CircuitBreaker CircuitBreaker `yaml:"circuit_breaker"`
	// UserAgent is sent with every request; empty (the default) means
	// "lcngw/<version>".
	UserAgent string `yaml:"user_agent"`
	// AllowInternal lists destinations allowed to resolve to non-public
	// addresses; default empty (only public addresses are reached).
	AllowInternal AllowList `yaml:"allow_internal"`
}

// QuickRetry is the in-process backoff between the tries of one scheduled
// attempt (exponential, randomised by Jitter).
type QuickRetry struct {
	// Attempts is the number of tries, the first included; default 3, 1
	// disables quick retries. At most 10.
	Attempts int `yaml:"attempts"`
	// InitialInterval is the wait before the second try; default 500ms.
	InitialInterval time.Duration `yaml:"initial_interval"`
	// MaxInterval caps one wait; default 5s.
	MaxInterval time.Duration `yaml:"max_interval"`
	// Multiplier grows the wait after each try; default 2.
	Multiplier float64 `yaml:"multiplier"`
	// Jitter randomises each wait by ± this fraction; default 0.2, in [0, 1).
	Jitter float64 `yaml:"jitter"`
}

// CircuitBreaker opens an endpoint's circuit after FailureThreshold
// consecutive failed attempts: notifications for it wait for their next
// scheduled time without a request for OpenDuration, after which
// HalfOpenProbes requests test it; a success closes the circuit.
type CircuitBreaker struct {
	// FailureThreshold is the count of consecutive failures that opens the
	// circuit; default 5, 0 disables the breaker.
	FailureThreshold int `yaml:"failure_threshold"`
	// OpenDuration is how long the circuit stays open; default 30s.
	OpenDuration time.Duration `yaml:"open_duration"`
	// HalfOpenProbes is how many requests a half-open circuit lets through;
	// default 1.
	HalfOpenProbes int `yaml:"half_open_probes"`
}

func defaultDelivery() Delivery {
	return Delivery{
		ConnectTimeout: 10 * time.Second,
		Timeout:        30 * time.Second,
		QuickRetry: QuickRetry{
			Attempts:        3,
			InitialInterval: 500 * time.Millisecond,
			MaxInterval:     5 * time.Second,
			Multiplier:      2,
			Jitter:          0.2,
		},
		Retry:          DefaultRetry(),
		MaxInFlight:    256,
		MaxConcurrency: 8,
		MaxSlotWait:    2 * time.Second,
		MaxWaiting:     16,
		CircuitBreaker: CircuitBreaker{FailureThreshold: 5, OpenDuration: 30 * time.Second, HalfOpenProbes: 1},
		UserAgent:      "",
	}
}

// RetryFor returns the retry policy of merchant m: its overrides applied
// over d.Retry.
func (d *Delivery) RetryFor(m *Merchant) Retry { return m.Retry.Apply(d.Retry) }

// Effective returns e with the settings it leaves at zero (timeouts,
// max_concurrency and max_waiting) taken from d.
func (d *Delivery) Effective(e Endpoint) Endpoint {
	if e.ConnectTimeout == 0 {
		e.ConnectTimeout = d.ConnectTimeout
	}
	if e.Timeout == 0 {
		e.Timeout = d.Timeout
	}
	if e.MaxConcurrency == 0 {
		e.MaxConcurrency = d.MaxConcurrency
	}
	if e.MaxWaiting == 0 {
		e.MaxWaiting = d.MaxWaiting
	}
	return e
}

// Bounds of the delivery settings.
const (
	maxInFlight      = 100_000
	maxQuickAttempts = 10
	minRetryOffset   = time.Second
	minRetryEvery    = time.Minute
	maxRetryAge      = 30 * 24 * time.Hour
)

func (d *Delivery) validate(ps *problems) {
	ps.require(d.ConnectTimeout > 0, "delivery.connect_timeout", "must be positive")
	ps.require(d.Timeout > 0, "delivery.timeout", "must be positive")
	ps.require(d.ConnectTimeout <= d.Timeout, "delivery.connect_timeout", "must not exceed delivery.timeout")
	d.QuickRetry.validate(ps)
	validateRetry(ps, "delivery.retry", d.Retry)
	ps.require(d.MaxInFlight >= 1 && d.MaxInFlight <= maxInFlight, "delivery.max_in_flight", "must be between 1 and 100000")
	ps.require(d.MaxConcurrency >= 1 && d.MaxConcurrency <= d.MaxInFlight,
		"delivery.max_concurrency", "must be between 1 and max_in_flight")
	ps.require(d.MaxSlotWait >= 0, "delivery.max_slot_wait", "must be 0 (no bound) or positive")
	ps.require(d.MaxWaiting >= 1 && d.MaxWaiting <= d.MaxInFlight,
		"delivery.max_waiting", "must be between 1 and max_in_flight")
	d.CircuitBreaker.validate(ps)
	ps.require(d.UserAgent == "" || validHeaderValue(d.UserAgent), "delivery.user_agent", "must be printable ASCII (empty means lcngw/<version>)")
}

func (q *QuickRetry) validate(ps *problems) {
	const p = "delivery.quick_retry."
	ps.require(q.Attempts >= 1 && q.Attempts <= maxQuickAttempts, p+"attempts", "must be between 1 and 10")
	ps.require(q.InitialInterval > 0, p+"initial_interval", "must be positive")
	ps.require(q.MaxInterval >= q.InitialInterval, p+"max_interval", "must be at least initial_interval")
	ps.require(q.Multiplier >= 1 && q.Multiplier <= 10, p+"multiplier", "must be between 1 and 10")
	ps.require(q.Jitter >= 0 && q.Jitter < 1, p+"jitter", "must be at least 0 and below 1")
}

func (b *CircuitBreaker) validate(ps *problems) {
	const p = "delivery.circuit_breaker."
	ps.require(b.FailureThreshold >= 0, p+"failure_threshold", "must be 0 (disabled) or more")
	if b.FailureThreshold == 0 {
		return
	}
	ps.require(b.OpenDuration > 0, p+"open_duration", "must be positive")
	ps.require(b.HalfOpenProbes >= 1, p+"half_open_probes", "must be at least 1")
}

// validateRetry checks a (merged) retry policy.
func validateRetry(ps *problems, path string, r Retry) {
	ps.require(r.MaxAge > 0 && r.MaxAge <= maxRetryAge, path+".max_age", "must be positive and at most 720h")
	ps.require(r.Every == 0 || r.Every >= minRetryEvery, path+".every", "must be 0 (no periodic retries) or at least 1m")
	prev := time.Duration(0)
	for i, d := range r.Schedule.Offsets {
		at := index(path+".schedule", i)
		switch {
		case d < minRetryOffset:
			ps.add(at, "must be at least 1s after the first attempt")
		case d <= prev:
			ps.add(at, "must be later than the previous offset")
		case r.MaxAge > 0 && d > r.MaxAge:
			ps.add(at, "is later than max_age")
		}
		prev = max(prev, d)
	}
}

// validHeaderValue reports whether s is non-empty printable ASCII (no
// control characters, so no header injection).
func validHeaderValue(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r > 0x7e }) < 0
}
