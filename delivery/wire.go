package delivery

import (
	"bytes"
	"context"
	"encoding/base64"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// wire is the HTTP/1.1 client notifications are POSTed with. It does what
// the pipeline needs of net/http's client and no more, in the calling
// goroutine: a keep-alive pool per scheme://host:port, the request head
// written once per endpoint and the request in one write, the answer's
// head parsed for status, framing, Connection and Retry-After, the body
// bounded and drained for reuse. A POST costs about half the CPU of
// net/http's, which hands every request to two goroutines of its own.
//
// Dials go through the SSRF guard within the connect timeout; https
// verifies the server as net/http does (ClientConfig.TLS); the attempt's
// deadline is the connection's (no timer context per request), and the
// caller's context ending cuts the connection short. An idle connection
// the server closed is dropped before use; a request that fails on a
// reused connection before any answer is sent again once on a new one.
type wire struct {
	cfg    ClientConfig
	dialer *guardedDialer
	idle   atomic.Int64 // idle connections in all pools
	pools  sync.Map     // scheme://host:port → *connPool
}

// maxResponseHeaderBytes bounds an answer's status line and headers.
const maxResponseHeaderBytes = 64 << 10

// aLongTimeAgo is a deadline that makes pending I/O fail at once.
var aLongTimeAgo = time.Unix(1, 0)

func newWire(cfg ClientConfig, d *guardedDialer) *wire { return &wire{cfg: cfg, dialer: d} }

// prepare fills in what the wire needs of a target: its dial address,
// pool, request head and TLS configuration. Hosts that are not plain
// ASCII (internationalized names need IDNA) are left to net/http.
func (w *wire) prepare(t *target, userAgent string) {
	host := t.url.Hostname()
	if !plainASCII(host) || !plainASCII(userAgent) {
		t.std = true
		return
	}
	port := t.url.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[t.url.Scheme]
	}
	t.addr = net.JoinHostPort(host, port)
	key := t.url.Scheme + "://" + t.addr
	p, _ := w.pools.LoadOrStore(key, &connPool{w: w})
	t.pool = p.(*connPool)
	t.head = requestHead(t, userAgent)
	if t.url.Scheme == "https" {
		t.tls = w.cfg.TLS.Clone()
		if t.tls.ServerName == "" {
			t.tls.ServerName = host
		}
		t.tls.NextProtos = []string{"http/1.1"}
	}
}

// post sends body to t before deadline (ctx may end it sooner) and reads
// the answer's body into buf (see readBodyInto). An error before the
// answer's head leaves the status 0; an error reading the body keeps the
// status read. Running out of time is context.DeadlineExceeded.
func (w *wire) post(ctx context.Context, t *target, body []byte, buf *bytes.Buffer, deadline time.Time, connectTimeout time.Duration) (response, error) {
	c := t.pool.get(time.Now())
	for {
		reused := c != nil
		if !reused {
			var err error
			if c, err = w.dial(ctx, t, deadline, connectTimeout); err != nil {
				return response{}, err
			}
		}
		r, answered, err := w.exchange(ctx, c, t, body, buf, deadline)
		if err != nil && reused && !answered && ctx.Err() == nil && retryable(err) {
			c = nil // the server closed the idle connection under the request
			continue
		}
		return r, err
	}
}

// exchange makes one request on c before deadline and gives c back to the
// pool when the answer was read completely and the connection can carry
// another. A pooled connection keeps its last deadline: every exchange
// sets its own, and the liveness check ignores deadlines.
func (w *wire) exchange(ctx context.Context, c *wireConn, t *target, body []byte, buf *bytes.Buffer, deadline time.Time) (r response, answered bool, err error) {
	_ = c.conn.SetDeadline(deadline)
	if c.cut == nil {
		c.cut = c.cutShort
	}
	stop := context.AfterFunc(ctx, c.cut)
	r, answered, err = c.roundTrip(t.head, body, maxResponseHeaderBytes)
	reusable := false
	if err == nil {
		reusable, err = readBodyInto(c.br, r, buf, w.cfg.MaxResponseBytes)
	}
	if stopped := stop(); reusable && stopped && c.br.Buffered() == 0 {
		t.pool.put(c, time.Now())
	} else {
		c.conn.Close()
	}
	switch {
	case err == nil:
	case ctx.Err() != nil:
		err = ctx.Err() // cut short by the context, as net/http reports it
	case isTimeout(err) && !time.Now().Before(deadline):
		err = context.DeadlineExceeded // out of time, as a context deadline reports it
	}
	return r, answered, err
}

// closeIdle closes the idle connections of every pool.
func (w *wire) closeIdle() {
	w.pools.Range(func(_, p any) bool {
		p.(*connPool).closeIdle()
		return true
	})
}

func basicAuth(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
}

// plainASCII reports whether s is printable ASCII (tabs allowed): safe in
// a request head as it is.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c > '~' {
			return false
		}
	}
	return true
}
