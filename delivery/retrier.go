package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// QuickRetry configures the in-process retries of one delivery round:
// exponential backoff between tries, randomised by ±Jitter.
type QuickRetry struct {
	// Attempts is the number of tries, the first included; 0 or 1 makes a
	// single try.
	Attempts int
	// InitialInterval is the wait before the second try (default 500ms);
	// each wait is Multiplier (default 2) times the one before, capped at
	// MaxInterval (default 5s).
	InitialInterval, MaxInterval time.Duration
	Multiplier                   float64
	// Jitter randomises each wait by ± this fraction, in [0, 1).
	Jitter float64
}

// DefaultQuickRetry returns 3 tries, waiting 500ms then 1s (±20%).
func DefaultQuickRetry() QuickRetry {
	return QuickRetry{Attempts: 3, InitialInterval: 500 * time.Millisecond, MaxInterval: 5 * time.Second, Multiplier: 2, Jitter: 0.2}
}

// Options configures a [Deliverer].
type Options struct {
	// Quick is the in-process retry timing.
	Quick QuickRetry
	// Policy decides whether a failed try is retried within the round
	// (see [Policy.Quick]).
	Policy Policy
	// Breaker configures each endpoint's circuit breaker (zero: none).
	Breaker BreakerConfig
	// Metrics, when set, count requests, quick retries, waits, breaker
	// transitions and the attempts in progress.
	Metrics *Metrics
	// Watcher, when set, follows every try and breaker transition.
	Watcher Watcher
	// Now is the breakers' clock (nil: time.Now).
	Now func() time.Time
	// NewTimer makes the timer quick retries wait on (nil: a real timer).
	NewTimer func() backoff.Timer
}

// Deliverer is the [Sender] the pipeline uses: each Send is one delivery
// round of up to Quick.Attempts tries of the wrapped single-attempt
// Sender, each through the endpoint's circuit breaker and concurrency
// limit (Endpoint.MaxConcurrency, Endpoint.MaxWaiting). The round stops
// early on delivery, on a permanent failure, on an open circuit, on a busy
// endpoint, on cancellation, and when the endpoint asks (Retry-After) for
// a longer wait than the next quick one: the durable retry path does that
// waiting. It is safe for concurrent use.
type Deliverer struct {
	next   Sender
	opts   Options
	guards registry[endpointGuard]
}

// endpointGuard is the per-endpoint state of a Deliverer.
type endpointGuard struct {
	breaker *Breaker
	limit   *Limiter
}

// idle reports that no request of g's endpoint holds or waits for a slot
// and that its circuit is closed: an open circuit is watched (metrics,
// endpoint health) until it closes, so it is kept.
func (g *endpointGuard) idle() bool {
	return g.limit.InFlight() == 0 && g.limit.Waiting() == 0 && g.breaker.State() == BreakerClosed
}

// NewDeliverer returns a Deliverer trying through next (normally a
// *Client).
func NewDeliverer(next Sender, opts Options) *Deliverer {
	q := &opts.Quick
	q.Attempts = max(q.Attempts, 1)
	q.InitialInterval = positive(q.InitialInterval, 500*time.Millisecond)
	q.MaxInterval = max(positive(q.MaxInterval, 5*time.Second), q.InitialInterval)
	if q.Multiplier < 1 {
		q.Multiplier = 2
	}
	q.Jitter = min(max(q.Jitter, 0), 0.99)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Deliverer{next: next, opts: opts}
}

// BreakerState returns the state of ep's breaker (closed if it has none).
func (d *Deliverer) BreakerState(ep *Endpoint) BreakerState {
	g, ok := d.guards.load(ep)
	if !ok {
		return BreakerClosed
	}
	return g.breaker.State()
}

// Forget drops the breaker and limiter of ep (an endpoint removed from the
// configuration).
func (d *Deliverer) Forget(ep *Endpoint) { d.guards.forget(ep) }

func (d *Deliverer) guard(ep *Endpoint) *endpointGuard {
	now := d.opts.Now().Unix()
	if d.guards.sweepDue(now, sweepEvery) {
		d.guards.sweep(now-idleStateTTL, (*endpointGuard).idle)
	}
	return d.guards.get(ep, now,
		func(g *endpointGuard) bool { return g.limit.same(ep.MaxConcurrency, ep.MaxWaiting, ep.MaxSlotWait) },
		func() *endpointGuard {
			epc := *ep
			return &endpointGuard{
				breaker: NewBreaker(d.opts.Breaker, d.opts.Now, d.breakerHook(&epc)),
				limit:   NewLimiter(ep.MaxConcurrency, ep.MaxWaiting, ep.MaxSlotWait),
			}
		})
}

// Send runs one delivery round for req and returns the last try's outcome
// with Attempts set to the HTTP attempts made and Duration to the round's
// time. Tries are numbered from req.Attempt on.
func (d *Deliverer) Send(ctx context.Context, req *Request) Outcome {
	defer d.opts.Metrics.Started(req.Endpoint)()
	start := time.Now()
	var o Outcome
	if req.Endpoint == nil || d.opts.Quick.Attempts <= 1 {
		o = d.try(ctx, req)
	} else {
		o = d.round(ctx, req)
	}
	o.Duration = time.Since(start)
	return o
}

// errTryAgain and errStop carry a try's verdict through backoff.
var (
	errTryAgain = errors.New("try again")
	errStop     = errors.New("stop")
)

func (d *Deliverer) round(ctx context.Context, req *Request) Outcome {
	var last Outcome
	attempts := 0
	try := func() error {
		r := *req
		r.Attempt = max(req.Attempt, 1) + attempts
		last = d.try(ctx, &r)
		attempts += last.Attempts
		switch {
		case last.Result == Delivered:
			return nil
		case !d.opts.Policy.Quick(last):
			return backoff.Permanent(errStop)
		}
		return errTryAgain
	}
	// Most rounds end with their first try: it runs before any backoff is
	// set up, and the retry loop starts from its verdict.
	first := try()
	if first != errTryAgain {
		last.Attempts = attempts
		return last
	}
	op := func() error {
		if err := first; err != nil {
			first = nil
			return err
		}
		return try()
	}
	notify := func(error, time.Duration) { d.opts.Metrics.QuickRetry(req.Endpoint) }
	var timer backoff.Timer
	if d.opts.NewTimer != nil {
		timer = d.opts.NewTimer()
	}
	_ = backoff.RetryNotifyWithTimer(op, d.backOff(ctx, &last), notify, timer)
	last.Attempts = attempts
	return last
}

// backOff builds the round's policy (backoff values are not safe for
// concurrent use, so one per round): exponential, at most Attempts-1
// waits, stopping when the last outcome asks for a longer wait or ctx is
// done. WithContext stays outermost so the retry loop sees the context.
func (d *Deliverer) backOff(ctx context.Context, last *Outcome) backoff.BackOff {
	q := d.opts.Quick
	exp := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(q.InitialInterval),
		backoff.WithMaxInterval(q.MaxInterval),
		backoff.WithMultiplier(q.Multiplier),
		backoff.WithRandomizationFactor(q.Jitter),
		backoff.WithMaxElapsedTime(0),
	)
	tries := backoff.WithMaxRetries(exp, uint64(q.Attempts-1))
	return backoff.WithContext(&retryAfterStop{BackOff: tries, last: last}, ctx)
}

// retryAfterStop ends the round when the endpoint asked to be left alone
// for longer than the next quick wait.
type retryAfterStop struct {
	backoff.BackOff
	last *Outcome
}

// NextBackOff returns the wrapped wait, or Stop when Retry-After exceeds it.
func (r *retryAfterStop) NextBackOff() time.Duration {
	next := r.BackOff.NextBackOff()
	if next != backoff.Stop && r.last.RetryAfter > next {
		return backoff.Stop
	}
	return next
}

// try makes one guarded attempt: breaker, concurrency slot, send.
func (d *Deliverer) try(ctx context.Context, req *Request) Outcome {
	ep := req.Endpoint
	if ep == nil {
		return d.next.Send(ctx, req)
	}
	g := d.guard(ep)
	if left, blocked := g.breaker.Blocked(); blocked {
		return d.refused(ep, left)
	}
	if err := d.acquire(ctx, ep, g.limit); err != nil {
		reason := ReasonCanceled
		if errors.Is(err, ErrBusy) {
			reason = ReasonBusy
		}
		o := Outcome{Result: Retry, Reason: reason, Err: fmt.Errorf("%s: %w", ep.label(), err)}
		d.tried(ep, o)
		return o
	}
	defer g.limit.Release()
	p, ok := g.breaker.Allow()
	if !ok {
		left, _ := g.breaker.Blocked()
		return d.refused(ep, left)
	}
	o := d.next.Send(ctx, req)
	g.breaker.Done(p, o)
	d.tried(ep, o)
	return o
}

// refused is the outcome of a try the breaker turned away: retry once the
// circuit may close (RetryAfter is the time it stays open).
func (d *Deliverer) refused(ep *Endpoint, left time.Duration) Outcome {
	o := Outcome{Result: Retry, Reason: ReasonCircuitOpen, RetryAfter: left,
		Err: fmt.Errorf("%s: %w", ep.label(), ErrCircuitOpen)}
	d.tried(ep, o)
	return o
}

func (d *Deliverer) acquire(ctx context.Context, ep *Endpoint, l *Limiter) error {
	if l.TryAcquire() {
		return nil
	}
	if d.opts.Metrics == nil {
		return l.Acquire(ctx)
	}
	start := time.Now()
	err := l.Acquire(ctx)
	d.opts.Metrics.Waited(ep, time.Since(start))
	return err
}

// tried reports a try to the metrics and the watcher.
func (d *Deliverer) tried(ep *Endpoint, o Outcome) {
	d.opts.Metrics.Attempted(ep, o)
	if d.opts.Watcher != nil {
		d.opts.Watcher.Tried(ep, o)
	}
}

// breakerHook returns the transition hook of ep's breaker: the metrics
// and the watcher; nil when neither is set.
func (d *Deliverer) breakerHook(ep *Endpoint) func(from, to BreakerState) {
	m, w := d.opts.Metrics, d.opts.Watcher
	if m == nil && w == nil {
		return nil
	}
	return func(_, to BreakerState) {
		m.BreakerChanged(ep, to)
		if w != nil {
			w.BreakerChanged(ep, to)
		}
	}
}
