package delivery

import (
	"bytes"
	"context"
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
	http    *http.Client
	targets registry[target]
	bufs    sync.Pool // *bytes.Buffer
	ua      []string
}

// target is the per-endpoint state of a Client: the parsed URL and a pool
// of signers under the endpoint's key (a Signer is not safe for concurrent
// use).
type target struct {
	url     *url.URL
	err     error
	key     string
	signers sync.Pool
}

var formContentType = []string{"application/x-www-form-urlencoded"}

// NewClient returns a Client sending through [NewHTTPClient](cfg).
func NewClient(cfg ClientConfig) *Client {
	cfg = cfg.withDefaults()
	return &Client{
		cfg:  cfg,
		http: NewHTTPClient(cfg),
		bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }},
		ua:   []string{cfg.UserAgent},
	}
}

// HTTPClient returns the underlying client (for [CheckEndpoint]).
func (c *Client) HTTPClient() *http.Client { return c.http }

// CloseIdleConnections closes the keep-alive connections not in use.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// Forget drops the per-endpoint state (parsed URL, signers) of ep.
func (c *Client) Forget(ep *Endpoint) { c.targets.forget(ep) }

// Send makes one attempt: it POSTs req.Body to the endpoint within the
// endpoint's timeouts and classifies the answer as described in the
// package documentation. Outcome.Attempts is 1 when a request was
// attempted (a refused dial included), 0 when the request was invalid or
// the context already done.
func (c *Client) Send(ctx context.Context, req *Request) Outcome {
	start := time.Now()
	o := c.send(ctx, req)
	o.Duration = time.Since(start)
	return o
}

func (c *Client) send(ctx context.Context, req *Request) Outcome {
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
	actx, cancel := context.WithTimeoutCause(ctx, positive(ep.Timeout, c.cfg.Timeout), ErrAttemptTimeout)
	defer cancel()
	if ep.ConnectTimeout > 0 {
		actx = context.WithValue(actx, connectTimeoutKey{}, ep.ConnectTimeout)
	}
	resp, err := c.http.Do(c.newRequest(actx, t, req.Body))
	if err != nil {
		return failed(ctx, actx, ep, 0, err)
	}
	buf := c.bufs.Get().(*bytes.Buffer)
	defer c.putBuf(buf)
	if err := c.readBody(resp, buf); err != nil && is2xx(resp.StatusCode) {
		return failed(ctx, actx, ep, resp.StatusCode, err)
	}
	o := c.classify(req, t, resp, buf.Bytes())
	o.Attempts = 1
	return o
}

// target returns the state of ep, rebuilt when its key changed.
func (c *Client) target(ep *Endpoint) *target {
	return c.targets.get(ep,
		func(t *target) bool { return t.key == string(ep.Key) },
		func() *target { return newTarget(ep) })
}

func newTarget(ep *Endpoint) *target {
	t := &target{key: string(ep.Key)}
	key := bytes.Clone(ep.Key)
	t.signers.New = func() any { return signer.New(key) }
	u, err := url.Parse(ep.URL)
	switch {
	case err != nil, u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		t.err = errInvalidURL
	default:
		t.url = u
	}
	return t
}

// newRequest builds the POST. The parsed URL is shared by every request
// to the endpoint; nothing downstream modifies it.
func (c *Client) newRequest(ctx context.Context, t *target, body []byte) *http.Request {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "", bytes.NewReader(body))
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
