package delivery

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
	"time"
)

// guardedDialer dials TCP connections, refusing every address the SSRF
// guard refuses at the moment of connecting (so a name re-resolved to an
// internal address is refused too).
type guardedDialer struct {
	guard Guard
	base  net.Dialer
}

func newGuardedDialer(cfg ClientConfig) *guardedDialer {
	return &guardedDialer{
		guard: cfg.Guard,
		base:  net.Dialer{KeepAlive: 30 * time.Second, Resolver: cfg.Resolver},
	}
}

// dial connects to addr ("host:port") within ctx; host is the URL's host
// name the guard is told about.
func (d *guardedDialer) dial(ctx context.Context, host, addr string) (net.Conn, error) {
	nd := d.base
	nd.ControlContext = func(_ context.Context, _, address string, _ syscall.RawConn) error {
		return d.guard.checkDial(host, address)
	}
	return nd.DialContext(ctx, "tcp", addr)
}

// errStaleConn reports a pooled connection its server closed while it
// was idle, found before a request was written to it.
var errStaleConn = errors.New("idle connection closed by the server")

// errNotConnected reports the use of a keptConn before connect.
var errNotConnected = errors.New("connection not established")

// keptConn is a keep-alive connection to an origin, made by the
// transport's first use of it (connect) and checked before each later
// one (stillOpen).
type keptConn struct {
	net.Conn // the TCP connection, or TLS over it; nil until connect
	origin   *origin
	addr     string
	idle     bool            // counted idle by origin.keepIdle
	raw      syscall.RawConn // for the liveness check
	open     bool            // the last check's verdict
	check    func(fd uintptr)
	watched  <-chan struct{} // Done of the context whose end cuts the connection
	unwatch  func() bool     // stops that; nil when none
	watches  uint64          // registrations so far: the current one's number

	mu     sync.Mutex // orders cuts against the start and end of exchanges
	active uint64     // the registration of the exchange in progress; 0: idle
}

func (c *keptConn) connected() bool { return c.Conn != nil }

// connect dials through the SSRF guard within timeout, the attempt's
// deadline and ctx, and completes the TLS handshake for https.
func (c *keptConn) connect(ctx context.Context, deadline time.Time, timeout time.Duration) error {
	d := c.origin
	ctx, cancelAttempt := context.WithDeadlineCause(ctx, deadline, ErrAttemptTimeout)
	defer cancelAttempt()
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, ErrConnectTimeout)
	defer cancel()
	conn, err := d.dialer.dial(ctx, d.host, c.addr)
	if err != nil {
		return timedOut(ctx, err)
	}
	if sc, ok := conn.(syscall.Conn); ok {
		c.raw, _ = sc.SyscallConn()
	}
	if d.tls == nil {
		c.Conn = conn
		return nil
	}
	tc := tls.Client(conn, d.tls)
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return timedOut(ctx, err)
	}
	c.Conn = tc
	return nil
}

// timedOut names what ended ctx, if anything did, beside err.
func timedOut(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		return err
	}
	return fmt.Errorf("%w: %w", context.Cause(ctx), err)
}

// Close closes the connection, if it was made; the pool calls it once,
// for a connection in use or idle.
func (c *keptConn) Close() error {
	c.origin.busy(c)
	if c.unwatch != nil {
		c.unwatch()
	}
	if c.Conn == nil {
		return nil
	}
	return c.Conn.Close()
}

// Handshake completes a TLS connection's handshake (done by connect). Its
// presence tells the HostClient not to wrap the connection in TLS itself.
func (c *keptConn) Handshake() error {
	if tc, ok := c.Conn.(*tls.Conn); ok {
		return tc.Handshake()
	}
	if c.Conn == nil {
		return errNotConnected
	}
	return nil
}

// watch makes the end of ctx fail the exchanges made with it at once. It
// registers once per context, not once per request: the pipeline sends
// all the requests of a lane with one long-lived context, and a
// registration costs an allocation and two locks of that context, shared
// by every request in flight. The end of a context cuts only an exchange
// begun under its registration (see begin), never an idle connection or
// another context's exchange.
func (c *keptConn) watch(ctx context.Context) {
	done := ctx.Done()
	if done == c.watched {
		return
	}
	if c.unwatch != nil {
		c.unwatch()
	}
	c.watched, c.unwatch = done, nil
	if done != nil {
		c.watches++
		n := c.watches
		c.unwatch = context.AfterFunc(ctx, func() { c.cut(n) })
	}
}

// cut makes the exchange in progress under registration n fail at once.
func (c *keptConn) cut(n uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.active == n {
		_ = c.Conn.SetDeadline(aLongTimeAgo)
	}
}

// begin marks the start of an exchange with ctx, after its deadline is
// set, and reports ctx's error if it has ended: from then on its end cuts
// the exchange.
func (c *keptConn) begin(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.unwatch != nil {
		c.active = c.watches
	}
	return ctx.Err()
}

// end marks the end of the exchange.
func (c *keptConn) end() {
	c.mu.Lock()
	c.active = 0
	c.mu.Unlock()
}

// stillOpen reports whether an idle connection can be used: peeking at
// the socket without blocking finds that the server has neither closed
// it nor sent anything unasked.
func (c *keptConn) stillOpen() bool {
	if c.raw == nil {
		return true
	}
	if c.check == nil {
		c.check = func(fd uintptr) { c.open = peekOpen(fd) }
	}
	if err := c.raw.Control(c.check); err != nil {
		return false
	}
	return c.open
}
