package delivery

import (
	"net/http"
	"sync"
	"time"
)

// ErrCircuitOpen is the error of an attempt refused by an open breaker.
const ErrCircuitOpen = constError("circuit open: endpoint paused after consecutive failures")

// BreakerState is the state of a circuit breaker.
type BreakerState uint8

// Breaker states.
const (
	BreakerClosed   BreakerState = iota // requests flow
	BreakerOpen                         // requests are refused
	BreakerHalfOpen                     // probes test the endpoint
)

// String returns "closed", "open" or "half_open".
func (s BreakerState) String() string {
	switch s {
	case BreakerClosed:
		return "closed"
	case BreakerOpen:
		return "open"
	case BreakerHalfOpen:
		return "half_open"
	}
	return "unknown"
}

// Breaker defaults.
const (
	DefaultOpenDuration    = 30 * time.Second
	DefaultMaxOpenDuration = 10 * time.Minute
)

// BreakerConfig configures a per-endpoint circuit breaker.
type BreakerConfig struct {
	// Failures is how many consecutive failures open the circuit; 0
	// disables the breaker.
	Failures int
	// OpenDuration is how long the circuit first stays open; default 30s.
	// Each failed probe doubles it, up to MaxOpenDuration (default 10m or
	// OpenDuration if larger); closing resets it.
	OpenDuration, MaxOpenDuration time.Duration
	// Probes is how many requests a half-open circuit lets through at
	// once; default 1.
	Probes int
}

// Breaker is one endpoint's circuit breaker. Closed, it counts consecutive
// failures — the signs of an unavailable endpoint: timeouts, connection
// errors, 5xx, 429 and 408 — and opens after Failures of them. Any other
// answer (2xx with or without a valid receipt, 3xx, other 4xx, 410) shows
// the endpoint is up and resets the count; cancellations, SSRF refusals
// and invalid requests count for nothing. Open, it refuses requests for the
// open duration, then turns half-open and lets Probes requests through: a
// success closes it, a failure re-opens it for twice as long (capped).
// Results of requests admitted before the last state change are ignored.
// A nil *Breaker is a disabled one. It is safe for concurrent use.
type Breaker struct {
	mu       sync.Mutex
	cfg      BreakerConfig
	now      func() time.Time
	onChange func(from, to BreakerState)
	state    BreakerState
	failures int
	openFor  time.Duration
	until    time.Time
	probes   int
	gen      uint64
}

// Permit is what [Breaker.Allow] hands out; give it back to [Breaker.Done].
type Permit struct {
	gen   uint64
	probe bool
}

// NewBreaker returns a breaker, or nil (disabled) when cfg.Failures is not
// positive. now is its clock (nil: time.Now); onChange, if not nil, is
// called on every transition, under the breaker's lock (so in order): it
// must not call back into the breaker.
func NewBreaker(cfg BreakerConfig, now func() time.Time, onChange func(from, to BreakerState)) *Breaker {
	if cfg.Failures <= 0 {
		return nil
	}
	cfg.OpenDuration = positive(cfg.OpenDuration, DefaultOpenDuration)
	cfg.MaxOpenDuration = max(positive(cfg.MaxOpenDuration, DefaultMaxOpenDuration), cfg.OpenDuration)
	cfg.Probes = max(cfg.Probes, 1)
	if now == nil {
		now = time.Now
	}
	return &Breaker{cfg: cfg, now: now, onChange: onChange}
}

// State returns the current state (an open circuit whose time is up stays
// open until the next Allow).
func (b *Breaker) State() BreakerState {
	if b == nil {
		return BreakerClosed
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

// Allow reports whether a request may go now. An open circuit whose time is
// up turns half-open and hands out a probe permit.
func (b *Breaker) Allow() (Permit, bool) {
	if b == nil {
		return Permit{}, true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case BreakerClosed:
		return Permit{gen: b.gen}, true
	case BreakerOpen:
		if b.now().Before(b.until) {
			return Permit{}, false
		}
		b.transition(BreakerHalfOpen)
	}
	if b.probes >= b.cfg.Probes {
		return Permit{}, false
	}
	b.probes++
	return Permit{gen: b.gen, probe: true}, true
}

// Blocked reports whether Allow would refuse now, without changing state,
// and how long the circuit stays open (0 when half-open).
func (b *Breaker) Blocked() (time.Duration, bool) {
	if b == nil {
		return 0, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case BreakerOpen:
		left := b.until.Sub(b.now())
		return max(left, 0), left > 0
	case BreakerHalfOpen:
		return 0, b.probes >= b.cfg.Probes
	}
	return 0, false
}

// Done records the outcome of a request admitted with p.
func (b *Breaker) Done(p Permit, o Outcome) {
	if b == nil {
		return
	}
	v := verdictOf(o)
	b.mu.Lock()
	defer b.mu.Unlock()
	if p.gen != b.gen {
		return
	}
	if p.probe {
		b.probes--
	}
	switch {
	case v == neutral:
	case b.state == BreakerClosed && v == healthy:
		b.failures = 0
	case b.state == BreakerClosed:
		if b.failures++; b.failures >= b.cfg.Failures {
			b.openFor = b.cfg.OpenDuration
			b.open()
		}
	case b.state == BreakerHalfOpen && v == healthy:
		b.transition(BreakerClosed)
	case b.state == BreakerHalfOpen:
		b.openFor = min(2*b.openFor, b.cfg.MaxOpenDuration)
		b.open()
	}
}

func (b *Breaker) open() {
	b.until = b.now().Add(b.openFor)
	b.transition(BreakerOpen)
}

func (b *Breaker) transition(to BreakerState) {
	from := b.state
	b.state, b.gen, b.failures, b.probes = to, b.gen+1, 0, 0
	if b.onChange != nil {
		b.onChange(from, to)
	}
}

type verdict uint8

const (
	neutral verdict = iota
	healthy
	unhealthy
)

// verdictOf tells what an outcome says about the endpoint's health.
func verdictOf(o Outcome) verdict {
	switch o.Reason {
	case ReasonTimeout, ReasonConnect, ReasonStatus5xx, ReasonStatus429:
		return unhealthy
	case ReasonCanceled, ReasonBlocked, ReasonCircuitOpen, ReasonBusy:
		return neutral
	}
	switch {
	case o.Status == http.StatusRequestTimeout:
		return unhealthy
	case o.Status == 0:
		return neutral
	}
	return healthy
}
