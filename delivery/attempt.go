package delivery

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/lcngw/lcngw/signer"
)

// ErrAttemptTimeout is the cause of an attempt that ran out of its total
// time (Endpoint.Timeout).
var ErrAttemptTimeout = errors.New("attempt timeout")

// errInvalidURL reports an endpoint URL that is not an absolute http(s)
// URL; the URL itself is never echoed.
var errInvalidURL = errors.New("endpoint URL must be an absolute http or https URL")

// Client makes single delivery attempts: it POSTs a request's body to its
// endpoint and classifies the answer (see [Client.Send]). It is safe for
// concurrent use.
type Client struct {
	cfg     ClientConfig
	http    *http.Client // endpoint checks, internationalized host names
	wire    *wire        // every other request
	targets registry[target]
	bufs    sync.Pool // *bytes.Buffer
	ua      []string
}

// target is the per-endpoint state of a Client: the parsed URL, what the
// wire client needs to reach it, and a pool of signers under the
// endpoint's key (a Signer is not safe for concurrent use).
type target struct {
	url     *url.URL
	err     error
	key     string
	signers sync.Pool
	std     bool        // sent with net/http
	addr    string      // host:port to dial
	head    []byte      // the request head up to the Content-Length value
	tls     *tls.Config // https: with the server name set
	pool    *connPool
}

var formContentType = []string{"application/x-www-form-urlencoded"}

// NewClient returns a Client with the policy of [NewHTTPClient](cfg).
func NewClient(cfg ClientConfig) *Client {
	cfg = cfg.withDefaults()
	d := newGuardedDialer(cfg)
	return &Client{
		cfg:  cfg,
		http: newHTTPClient(cfg, d),
		wire: newWire(cfg, d),
		bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }},
		ua:   []string{cfg.UserAgent},
	}
}

// HTTPClient returns the net/http client with the Client's policy (for
// [CheckEndpoint]).
func (c *Client) HTTPClient() *http.Client { return c.http }

// CloseIdleConnections closes the keep-alive connections not in use.
func (c *Client) CloseIdleConnections() {
	c.http.CloseIdleConnections()
	c.wire.closeIdle()
}

// Forget drops the per-endpoint state (parsed URL, signers) of ep.
func (c *Client) Forget(ep *Endpoint) { c.targets.forget(ep) }

// Send makes one attempt: it POSTs req.Body to the endpoint within the
// endpoint's timeouts and classifies the answer as described in the
// package documentation. Outcome.Attempts is 1 when a request was
// attempted (a refused dial included), 0 when the request was invalid or
// the context already done. Send keeps nothing of req once it returns.
func (c *Client) Send(ctx context.Context, req *Request) Outcome {
	start := time.Now()
	o := c.send(ctx, req, start)
	o.Duration = time.Since(start)
	return o
}

func (c *Client) send(ctx context.Context, req *Request, start time.Time) Outcome {
	ep := req.Endpoint
	if ep == nil {
		return Outcome{Result: Permanent, Reason: ReasonOther, Err: errors.New("delivery: request without endpoint")}
	}
	t := c.target(ep)
	if t.err != nil {
		return Outcome{Result: Permanent, Reason: ReasonOther, Err: fmt.Errorf("%s: %w", ep.label(), t.err)}
	}
	if err := ctx.Err(); err != nil {
		return Outcome{Result: Retry, Reason: ReasonCanceled, Err: fmt.Errorf("%s: %w", ep.label(), err)}
	}
	buf := c.bufs.Get().(*bytes.Buffer)
	defer c.putBuf(buf)
	timeout := positive(ep.Timeout, c.cfg.Timeout)
	var r response
	var err error
	if t.std {
		actx, cancel := context.WithTimeoutCause(ctx, timeout, ErrAttemptTimeout)
		defer cancel()
		r, err = c.postStd(actx, t, ep, req.Body, buf)
		if err != nil && (r.status == 0 || is2xx(r.status)) {
			return failed(ctx, actx, ep, r.status, err)
		}
	} else {
		// The wire bounds the attempt with the connection's deadline: no
		// timer context of its own for every request.
		deadline := start.Add(timeout)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		r, err = c.wire.post(ctx, t, req.Body, buf, deadline, positive(ep.ConnectTimeout, c.cfg.ConnectTimeout))
		if err != nil && r.status == 0 {
			err = &url.Error{Op: "Post", URL: t.url.String(), Err: err} // as net/http reports it
		}
		if err != nil && (r.status == 0 || is2xx(r.status)) {
			return failed(ctx, ctx, ep, r.status, err)
		}
	}
	o := c.classify(req, t, r, buf.Bytes())
	o.Attempts = 1
	return o
}

// postStd is post through net/http.
func (c *Client) postStd(actx context.Context, t *target, ep *Endpoint, body []byte, buf *bytes.Buffer) (response, error) {
	if ep.ConnectTimeout > 0 {
		actx = context.WithValue(actx, connectTimeoutKey{}, ep.ConnectTimeout)
	}
	resp, err := c.http.Do(c.newRequest(actx, t, body))
	if err != nil {
		return response{}, err
	}
	r := response{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
	return r, c.readBody(resp, buf)
}

// target returns the state of ep, rebuilt when its key changed.
func (c *Client) target(ep *Endpoint) *target {
	return c.targets.get(ep,
		func(t *target) bool { return t.key == string(ep.Key) },
		func() *target { return c.newTarget(ep) })
}

func (c *Client) newTarget(ep *Endpoint) *target {
	t := &target{key: string(ep.Key)}
	key := bytes.Clone(ep.Key)
	t.signers.New = func() any { return signer.New(key) }
	u, err := url.Parse(ep.URL)
	switch {
	case err != nil, u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		t.err = errInvalidURL
	default:
		t.url = u
		c.wire.prepare(t, c.cfg.UserAgent)
	}
	return t
}

// newRequest builds the POST. The parsed URL is shared by every request
// to the endpoint; nothing downstream modifies it.
func (c *Client) newRequest(ctx context.Context, t *target, body []byte) *http.Request {
	// net/http may still be writing the body when the answer is in: it
	// gets a copy, so that Send keeps nothing of the request.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "", bytes.NewReader(bytes.Clone(body)))
	if err != nil {
		panic(err) // unreachable: the method is valid and "" parses
	}
	req.URL, req.Host = t.url, t.url.Host
	req.Header["Content-Type"] = formContentType
	req.Header["User-Agent"] = c.ua
	return req
}

// readBody reads at most MaxResponseBytes of the body into buf, drains a
// bounded remainder so the connection can be reused, and closes it.
func (c *Client) readBody(resp *http.Response, buf *bytes.Buffer) error {
	defer resp.Body.Close()
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, int64(c.cfg.MaxResponseBytes)))
	if err == nil {
		_, err = io.CopyN(io.Discard, resp.Body, drainBytes)
		if err == io.EOF {
			err = nil
		}
	}
	return err
}

func (c *Client) putBuf(b *bytes.Buffer) {
	if b.Cap() <= 2*c.cfg.MaxResponseBytes+bytes.MinRead {
		b.Reset()
		c.bufs.Put(b)
	}
}

// failed classifies an error from the transport or the body read.
func failed(ctx, actx context.Context, ep *Endpoint, status int, err error) Outcome {
	res, reason := classifyError(ctx, actx, err)
	return Outcome{
		Result:   res,
		Reason:   reason,
		Status:   status,
		Attempts: 1,
		Err:      fmt.Errorf("%s: %w", ep.label(), redact(err)),
	}
}

func positive(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func is2xx(code int) bool { return code >= 200 && code < 300 }
