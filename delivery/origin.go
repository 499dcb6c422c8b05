package delivery

import (
	"crypto/tls"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// origin is the connection pool of one origin (scheme, host and port;
// TLS settings are the client's): a fasthttp.HostClient shared by every
// endpoint on that origin, as net/http's Transport pools by host. At most
// MaxConnsPerOrigin connections are open to it; a connection becomes idle
// only while the origin holds fewer than MaxIdleConnsPerOrigin idle ones
// and the client fewer than MaxIdleConns over all origins, otherwise it
// is closed; an idle one is closed after IdleConnTimeout. So open
// connections stay bounded by the requests in flight plus MaxIdleConns,
// however many endpoints there are. Per-endpoint state (breaker,
// concurrency limit, signers) stays per endpoint.
type origin struct {
	hc      *fasthttp.HostClient
	host    string      // the host name the SSRF guard is told about
	tls     *tls.Config // nil for http
	dialer  *guardedDialer
	maxIdle int32
	idle    atomic.Int32 // idle connections in hc's pool
	total   *idleCount   // idle connections over all of the client's origins
}

// idleCount counts idle connections against a bound.
type idleCount struct {
	n   atomic.Int64
	max int64
}

// originKey names an origin: scheme://host:port, host in ASCII.
func originKey(scheme, addr string) string { return scheme + "://" + addr }

// origin returns the shared pool of the origin (scheme, addr), made on
// first use.
func (c *Client) origin(scheme, host, addr string) *origin {
	k := originKey(scheme, addr)
	if v, ok := c.origins.Load(k); ok {
		return v.(*origin)
	}
	v, _ := c.origins.LoadOrStore(k, c.newOrigin(scheme, host, addr, &c.idle))
	return v.(*origin)
}

// newOrigin returns a pool for the origin whose idle connections count
// against total.
func (c *Client) newOrigin(scheme, host, addr string, total *idleCount) *origin {
	o := &origin{host: host, dialer: c.dialer, maxIdle: int32(c.cfg.MaxIdleConnsPerOrigin), total: total}
	if scheme == "https" {
		o.tls = c.cfg.TLS.Clone()
		if o.tls.ServerName == "" {
			o.tls.ServerName = host
		}
		o.tls.NextProtos = []string{"http/1.1"}
	}
	o.hc = &fasthttp.HostClient{
		Addr:                     addr,
		IsTLS:                    scheme == "https",
		DialTimeout:              o.newConn,
		Transport:                transport{},
		NoDefaultUserAgentHeader: true,
		MaxConns:                 c.cfg.MaxConnsPerOrigin,
		// A request waits for a free connection as long as its own timeout.
		MaxConnWaitTimeout:  24 * time.Hour,
		MaxIdleConnDuration: c.cfg.IdleConnTimeout,
		ConnPoolStrategy:    fasthttp.LIFO,
		// Never send a request again once any of it may have left: only a
		// pooled connection found closed before the request was written
		// is passed over (retryUnsent), at most maxStaleConns times.
		MaxIdemponentCallAttempts: maxStaleConns + 1,
		RetryIfErr:                retryUnsent,
		ReadBufferSize:            readBufferSize,
		WriteBufferSize:           writeBufferSize,
		DisablePathNormalizing:    true,
		SecureErrorLogMessage:     true,
	}
	return o
}

// newConn is the HostClient's DialTimeout. It returns a connection that
// connects when the transport first uses it, under the attempt's context
// (fasthttp dials without one).
func (o *origin) newConn(addr string, _ time.Duration) (net.Conn, error) {
	return &keptConn{origin: o, addr: addr}, nil
}

// keepIdle reports whether c may wait in the pool for the next request,
// counting it idle if so; a connection beyond either idle bound is
// closed instead.
func (o *origin) keepIdle(c *keptConn) bool {
	if o.idle.Add(1) > o.maxIdle {
		o.idle.Add(-1)
		return false
	}
	if o.total.n.Add(1) > o.total.max {
		o.total.n.Add(-1)
		o.idle.Add(-1)
		return false
	}
	c.idle = true
	return true
}

// busy marks c, taken from the pool or closed, no longer idle.
func (o *origin) busy(c *keptConn) {
	if c.idle {
		c.idle = false
		o.idle.Add(-1)
		o.total.n.Add(-1)
	}
}

// closeIdle closes the origin's idle connections.
func (o *origin) closeIdle() { o.hc.CloseIdleConnections() }

// origins is the set of a Client's origin pools.
type origins struct{ sync.Map }

// each calls f with every origin.
func (os *origins) each(f func(*origin)) {
	os.Range(func(_, v any) bool {
		f(v.(*origin))
		return true
	})
}
