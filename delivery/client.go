package delivery

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"time"
)

// Defaults of [ClientConfig].
const (
	DefaultConnectTimeout        = 10 * time.Second
	DefaultTimeout               = 30 * time.Second
	DefaultMaxResponseBytes      = 64 << 10
	DefaultMaxConnsPerOrigin     = 512
	DefaultMaxIdleConnsPerOrigin = 64
	DefaultMaxIdleConns          = 1024
	DefaultIdleConnTimeout       = 90 * time.Second
	DefaultMaxRetryAfter         = time.Hour
)

// ClientConfig configures a [Client]. Zero fields take the defaults above.
type ClientConfig struct {
	// UserAgent is sent with every request; default [DefaultUserAgent].
	// It may hold any text but control characters (UTF-8 is sent as it is).
	UserAgent string
	// ConnectTimeout bounds DNS, TCP and the TLS handshake when the
	// endpoint sets none.
	ConnectTimeout time.Duration
	// Timeout bounds one attempt, response body included, when the
	// endpoint sets none.
	Timeout time.Duration
	// MaxResponseBytes bounds the response body read for the receipt check.
	MaxResponseBytes int
	// MaxConnsPerOrigin bounds the connections to one origin (scheme,
	// host and port, shared by every endpoint there), busy and idle; a
	// request beyond it waits for one within its timeout. Keep it at or
	// above the concurrency of the origin's endpoints.
	MaxConnsPerOrigin int
	// MaxIdleConnsPerOrigin bounds the keep-alive connections waiting
	// idle for one origin, MaxIdleConns those over all origins; a
	// connection beyond either bound is closed once its answer is read.
	MaxIdleConnsPerOrigin, MaxIdleConns int
	// IdleConnTimeout closes keep-alive connections idle that long.
	IdleConnTimeout time.Duration
	// MaxRetryAfter caps the delay a Retry-After header can ask for.
	MaxRetryAfter time.Duration
	// Guard is the SSRF policy; the zero Guard refuses every non-public
	// address.
	Guard Guard
	// Resolver resolves host names (nil: the default resolver).
	Resolver *net.Resolver
	// TLS is the TLS configuration (nil: system roots, TLS 1.2 or later).
	TLS *tls.Config
	// Now is the clock Retry-After dates are read against (nil: time.Now).
	Now func() time.Time
}

func (c ClientConfig) withDefaults() ClientConfig {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.ConnectTimeout, DefaultConnectTimeout)
	def(&c.Timeout, DefaultTimeout)
	def(&c.IdleConnTimeout, DefaultIdleConnTimeout)
	def(&c.MaxRetryAfter, DefaultMaxRetryAfter)
	if c.MaxResponseBytes <= 0 {
		c.MaxResponseBytes = DefaultMaxResponseBytes
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt(&c.MaxConnsPerOrigin, DefaultMaxConnsPerOrigin)
	defInt(&c.MaxIdleConnsPerOrigin, DefaultMaxIdleConnsPerOrigin)
	defInt(&c.MaxIdleConns, DefaultMaxIdleConns)
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent()
	}
	c.UserAgent = headerSafe(c.UserAgent)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.TLS == nil {
		c.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return c
}

// DefaultUserAgent returns "lcngw/<version>", the version being the main
// module's build version ("dev" for a development build).
func DefaultUserAgent() string {
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	return "lcngw/" + v
}

// headerSafe replaces the control characters of a header value (they
// would end the header) with spaces.
func headerSafe(v string) string {
	b := []byte(v)
	for i, c := range b {
		if c < ' ' && c != '\t' || c == 0x7f {
			b[i] = ' '
		}
	}
	return string(b)
}

// ErrAttemptTimeout is the cause of an attempt that ran out of its total
// time (Endpoint.Timeout).
const ErrAttemptTimeout = constError("attempt timeout")

// ErrConnectTimeout is the cause of a dial that ran out of connect time.
const ErrConnectTimeout = constError("connect timeout")

// errInvalidURL reports an endpoint URL that is not an absolute http(s)
// URL; the URL itself is never echoed.
var errInvalidURL = errors.New("endpoint URL must be an absolute http or https URL")

// Client makes single delivery attempts: it POSTs a request's body to its
// endpoint and classifies the answer (see [Client.Send]), and checks
// endpoints ([Client.Check]). It is safe for concurrent use.
type Client struct {
	cfg     ClientConfig
	dialer  *guardedDialer
	targets registry[target]
	origins origins   // by originKey
	idle    idleCount // idle connections over all origins
}

// NewClient returns a Client with the policy of cfg.
func NewClient(cfg ClientConfig) *Client {
	cfg = cfg.withDefaults()
	c := &Client{cfg: cfg, dialer: newGuardedDialer(cfg)}
	c.idle.max = int64(cfg.MaxIdleConns)
	return c
}

// CloseIdleConnections closes the keep-alive connections not in use.
func (c *Client) CloseIdleConnections() {
	c.origins.each(func(o *origin) { o.closeIdle() })
}

// Forget drops the per-endpoint state (parsed URL, signers) of ep; its
// origin's connections stay for the origin's other endpoints, idle ones
// until IdleConnTimeout.
func (c *Client) Forget(ep *Endpoint) { c.targets.forget(ep) }

// Send makes one attempt: it POSTs req.Body to the endpoint within the
// endpoint's timeouts and classifies the answer as described in the
// package documentation. Outcome.Attempts is 1 when a request was
// attempted (a refused dial included), 0 when the request was invalid or
// the context already done; it counts every request put on the wire, as
// the client never sends one again by itself. Send keeps nothing of req
// once it returns.
func (c *Client) Send(ctx context.Context, req *Request) Outcome {
	start := time.Now()
	o := c.send(ctx, req, start)
	o.Duration = time.Since(start)
	return o
}

func (c *Client) send(ctx context.Context, req *Request, now time.Time) Outcome {
	ep := req.Endpoint
	if ep == nil {
		return Outcome{Result: Permanent, Reason: ReasonOther, Err: errors.New("delivery: request without endpoint")}
	}
	t := c.target(ep, now.Unix())
	if t.err != nil {
		return Outcome{Result: Permanent, Reason: ReasonOther, Err: fmt.Errorf("%s: %w", ep.label(), t.err)}
	}
	if err := ctx.Err(); err != nil {
		return Outcome{Result: Retry, Reason: ReasonCanceled, Err: fmt.Errorf("%s: %w", ep.label(), err)}
	}
	r := t.exchange(ctx, methodPost, req.Body, positive(ep.ConnectTimeout, c.cfg.ConnectTimeout), positive(ep.Timeout, c.cfg.Timeout))
	defer r.release()
	if r.err != nil && (r.status == 0 || is2xx(r.status)) {
		return failed(ctx, ep, r.status, r.err)
	}
	o := c.classify(req, t, r)
	o.Attempts = 1
	return o
}

// target returns the state of ep, rebuilt when its key changed, and
// records its use at now (unix seconds). Now and then it first sweeps out
// the state of endpoints no longer used.
func (c *Client) target(ep *Endpoint, now int64) *target {
	if c.targets.sweepDue(now, sweepEvery) {
		c.sweep(now - idleStateTTL)
	}
	return c.targets.get(ep, now,
		func(t *target) bool { return string(t.key) == string(ep.Key) },
		func() *target { return c.newTarget(ep.URL, ep.Key, c.origin) })
}

// Endpoint state no request used for idleStateTTL seconds is dropped, at
// a sweep every sweepEvery seconds: a Client's parsed URLs, signers and
// origin pools, a Deliverer's breakers and concurrency limits. The next
// request to such an endpoint builds its state again. A sweep walks every
// endpoint's state once, which takes milliseconds for 100,000 endpoints.
const (
	idleStateTTL = int64(time.Hour / time.Second)
	sweepEvery   = idleStateTTL / 4
)

// sweep drops the targets last used before cutoff (unix seconds), then the
// origins no target refers to any more, closing their idle connections;
// an origin with a request in flight stays.
func (c *Client) sweep(cutoff int64) {
	c.targets.sweep(cutoff, func(*target) bool { return true })
	inUse := make(map[*origin]bool)
	c.targets.each(func(t *target) { inUse[t.origin] = true })
	c.origins.Range(func(k, v any) bool {
		if o := v.(*origin); !inUse[o] {
			o.closeIdle()
			if o.hc.ConnsCount() == 0 {
				c.origins.CompareAndDelete(k, v)
			}
		}
		return true
	})
}

// failed classifies an error from the transport or the body read.
func failed(ctx context.Context, ep *Endpoint, status int, err error) Outcome {
	res, reason := classifyError(ctx, err)
	return Outcome{
		Result:   res,
		Reason:   reason,
		Status:   status,
		Attempts: 1,
		Err:      fmt.Errorf("%s: %w", ep.label(), err),
	}
}

func positive(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func is2xx(code int) bool { return code >= 200 && code < 300 }
