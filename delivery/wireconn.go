package delivery

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// wireConn is one keep-alive connection of the notification client.
type wireConn struct {
	conn net.Conn // the TCP connection, or TLS over it
	tcp  net.Conn // the TCP connection, for the liveness check
	br   *bufio.Reader
	wbuf []byte // the request being written
	idle time.Time
	// The liveness check's access to the socket, made once per connection.
	raw   syscall.RawConn
	check func(fd uintptr) // c.peek
	alive bool             // the last check's verdict
	cut   func()           // c.cutShort, once per connection
}

// maxKeptWriteBuffer bounds the request buffer a connection keeps.
const maxKeptWriteBuffer = 64 << 10

// readBufferSize is each connection's read buffer: a response head and a
// receipt fit.
const readBufferSize = 4 << 10

// connPool holds the idle connections to one scheme://host:port, the most
// recently used last. It is safe for concurrent use.
type connPool struct {
	w     *wire
	mu    sync.Mutex
	idle  []*wireConn
	sweep *time.Timer // armed while connections are idle
}

// get returns an idle connection that is still open, or nil.
func (p *connPool) get(now time.Time) *wireConn {
	for {
		p.mu.Lock()
		n := len(p.idle)
		if n == 0 {
			p.mu.Unlock()
			return nil
		}
		c := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		p.w.idle.Add(-1)
		if now.Sub(c.idle) < p.w.cfg.IdleConnTimeout && c.open() {
			return c
		}
		c.conn.Close()
	}
}

// put keeps c for the next request, unless the pools are full.
func (p *connPool) put(c *wireConn, now time.Time) {
	if cap(c.wbuf) > maxKeptWriteBuffer {
		c.wbuf = nil
	}
	c.idle = now
	p.mu.Lock()
	if len(p.idle) >= p.w.cfg.MaxIdleConnsPerHost || p.w.idle.Load() >= int64(p.w.cfg.MaxIdleConns) {
		p.mu.Unlock()
		c.conn.Close()
		return
	}
	p.idle = append(p.idle, c)
	p.w.idle.Add(1)
	if p.sweep == nil {
		p.sweep = time.AfterFunc(p.w.cfg.IdleConnTimeout, p.expire)
	}
	p.mu.Unlock()
}

// expire closes the connections idle for IdleConnTimeout and re-arms the
// sweep while others remain.
func (p *connPool) expire() {
	now := time.Now()
	p.mu.Lock()
	var stale []*wireConn
	keep := p.idle[:0]
	for _, c := range p.idle {
		if now.Sub(c.idle) >= p.w.cfg.IdleConnTimeout {
			stale = append(stale, c)
		} else {
			keep = append(keep, c)
		}
	}
	clear(p.idle[len(keep):])
	p.idle = keep
	p.sweep = nil
	if len(keep) > 0 {
		p.sweep = time.AfterFunc(p.w.cfg.IdleConnTimeout-now.Sub(keep[0].idle), p.expire)
	}
	p.mu.Unlock()
	p.w.idle.Add(-int64(len(stale)))
	for _, c := range stale {
		c.conn.Close()
	}
}

// closeIdle closes every idle connection.
func (p *connPool) closeIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	if p.sweep != nil {
		p.sweep.Stop()
		p.sweep = nil
	}
	p.mu.Unlock()
	p.w.idle.Add(-int64(len(idle)))
	for _, c := range idle {
		c.conn.Close()
	}
}

// open reports whether an idle connection is still usable: the server has
// neither closed it nor sent anything unasked. It peeks at the socket
// without blocking (whatever deadline the connection kept), so a
// connection the server closed while idle is dropped instead of failing
// the next request.
func (c *wireConn) open() bool {
	if c.raw == nil {
		sc, ok := c.tcp.(syscall.Conn)
		if !ok {
			return true
		}
		raw, err := sc.SyscallConn()
		if err != nil {
			return false
		}
		c.raw, c.check = raw, c.peek
	}
	if err := c.raw.Control(c.check); err != nil {
		return false
	}
	return c.alive
}

func (c *wireConn) peek(fd uintptr) { c.alive = peekOpen(fd) }

// cutShort makes the exchange in progress fail at once.
func (c *wireConn) cutShort() { _ = c.conn.SetDeadline(aLongTimeAgo) }

// dial connects to t within the connect timeout (the attempt's deadline,
// or ctx, may end it first) and, for https, completes the TLS handshake.
func (w *wire) dial(ctx context.Context, t *target, deadline time.Time, connectTimeout time.Duration) (*wireConn, error) {
	ctx, cancelAttempt := context.WithDeadlineCause(ctx, deadline, ErrAttemptTimeout)
	defer cancelAttempt()
	ctx, cancel := context.WithTimeoutCause(ctx, connectTimeout, ErrConnectTimeout)
	defer cancel()
	conn, err := w.dialer.dial(ctx, "tcp", t.addr)
	if err != nil {
		return nil, err
	}
	c := &wireConn{conn: conn, tcp: conn}
	if t.url.Scheme == "https" {
		tc := tls.Client(conn, t.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			if errors.Is(context.Cause(ctx), ErrConnectTimeout) {
				return nil, ErrConnectTimeout
			}
			return nil, err
		}
		c.conn = tc
	}
	c.br = bufio.NewReaderSize(c.conn, readBufferSize)
	return c, nil
}

// roundTrip writes the request with body and reads the answer's head.
// answered is false when the connection failed before any byte of an
// answer arrived: on a reused connection, the server may have closed it
// while it was idle.
func (c *wireConn) roundTrip(head, body []byte, maxHeader int) (r response, answered bool, err error) {
	c.wbuf = append(strconv.AppendInt(append(c.wbuf[:0], head...), int64(len(body)), 10), "\r\n\r\n"...)
	if len(body) <= maxKeptWriteBuffer {
		c.wbuf = append(c.wbuf, body...)
		_, err = c.conn.Write(c.wbuf)
	} else {
		bufs := net.Buffers{c.wbuf, body}
		_, err = bufs.WriteTo(c.conn)
	}
	if err != nil {
		return response{}, false, err
	}
	if _, err := c.br.Peek(1); err != nil {
		return response{}, false, err
	}
	r, err = readResponse(c.br, maxHeader)
	return r, true, err
}

// retryable reports whether a request that failed with err on a reused
// connection before any answer may be sent again on a new one: the
// server closed the idle connection under it (at least once delivery
// allows a duplicate; a receiver deduplicates by MESSAGE_ID).
func retryable(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// requestHead is the fixed part of every request to t, up to the value
// of Content-Length.
func requestHead(t *target, userAgent string) []byte {
	var b bytes.Buffer
	b.WriteString("POST ")
	b.WriteString(t.url.RequestURI())
	b.WriteString(" HTTP/1.1\r\nHost: ")
	b.WriteString(t.url.Host)
	b.WriteString("\r\nUser-Agent: ")
	b.WriteString(userAgent)
	b.WriteString("\r\nContent-Type: application/x-www-form-urlencoded\r\n")
	if u := t.url.User; u != nil {
		pw, _ := u.Password()
		b.WriteString("Authorization: Basic ")
		b.WriteString(basicAuth(u.Username(), pw))
		b.WriteString("\r\n")
	}
	b.WriteString("Content-Length: ")
	return b.Bytes()
}
