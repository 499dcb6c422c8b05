package delivery

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

const (
	methodPost = fasthttp.MethodPost
	methodGet  = fasthttp.MethodGet
)

// reply is what an exchange keeps of the endpoint's answer.
type reply struct {
	status     int
	retryAfter string        // of a 429 or 503 answer
	body       *bytes.Buffer // at most MaxResponseBytes of the body
	err        error         // no answer, or its body failed
}

var bodyBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// release returns the body buffer for reuse.
func (a *reply) release() {
	if b := a.body; b != nil && b.Cap() <= 2*DefaultMaxResponseBytes+bytes.MinRead {
		b.Reset()
		bodyBufs.Put(b)
	}
	a.body = nil
}

// exchange makes one request to t within timeout, a new connection
// connecting within connectTimeout (ctx may end either sooner), and reads
// the answer; see transport.
func (t *target) exchange(ctx context.Context, method string, body []byte, connectTimeout, timeout time.Duration) reply {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(t.uri)
	req.Header.SetMethod(method)
	req.Header.SetUserAgent(t.ua)
	if method == methodPost {
		req.Header.SetContentTypeBytes(formContentType)
		req.SetBodyRaw(body) // written before exchange returns, never kept
	}
	x := &attempt{ctx: ctx, origin: t.origin, connectTimeout: connectTimeout, maxBody: t.maxBody, body: bodyBufs.Get().(*bytes.Buffer)}
	req.SetUserValue(attemptKey{}, x)
	r := reply{body: x.body}
	if err := t.origin.hc.DoTimeout(req, resp, timeout); err != nil {
		if ctx.Err() != nil {
			err = context.Cause(ctx) // the attempt was cut short
		}
		r.err = fmt.Errorf("%s %s: %w", method, t.site, err)
		return r
	}
	r.status = resp.StatusCode()
	if r.status == fasthttp.StatusTooManyRequests || r.status == fasthttp.StatusServiceUnavailable {
		r.retryAfter = string(resp.Header.Peek(fasthttp.HeaderRetryAfter))
	}
	if x.bodyErr != nil {
		if ctx.Err() != nil {
			x.bodyErr = context.Cause(ctx)
		}
		r.err = fmt.Errorf("%s %s: reading the answer: %w", method, t.site, x.bodyErr)
	}
	return r
}
