package kafkaconn

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
)

// Check connects to every bootstrap broker as the gateway does (TCP, TLS
// handshake, SASL authentication) and makes a metadata request, each step
// bounded by the Conn's timeout. It returns nil when at least one broker
// answers; otherwise one line naming every broker's address and what
// failed (see Explain).
func (c *Conn) Check(ctx context.Context) error {
	var errs []string
	for _, b := range c.opts.Brokers {
		err := c.probe(ctx, b)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		errs = append(errs, err.Error())
	}
	return errors.New(strings.Join(errs, "; "))
}

// Steps of a connection, for explaining where it failed.
const (
	stepConnect = "connect"
	stepTLS     = "tls"
	stepRequest = "request"
)

// stepError records the step an error happened in.
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

// probe connects to one broker and makes a metadata request.
func (c *Conn) probe(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	d := c.Dialer()
	d.TLS = nil // the DialFunc does the handshake, to tell its failures apart
	d.DialFunc = c.probeDial
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return c.Explain(addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	// Brokers that require SASL answer ApiVersions before authentication;
	// only a metadata request proves the connection is accepted.
	if _, err := conn.Brokers(); err != nil {
		return c.Explain(addr, &stepError{stepRequest, err})
	}
	return nil
}

// probeDial opens a TCP connection and makes the TLS handshake, bounding
// the connection by the context's deadline so that nothing in the probe can
// hang.
func (c *Conn) probeDial(ctx context.Context, network, addr string) (net.Conn, error) {
	nd := &net.Dialer{}
	raw, err := nd.DialContext(ctx, network, addr)
	if err != nil {
		return nil, &stepError{stepConnect, err}
	}
	if dl, ok := ctx.Deadline(); ok {
		raw.SetDeadline(dl)
	}
	if c.opts.TLS == nil {
		return raw, nil
	}
	cfg := c.tls()
	if cfg.ServerName == "" {
		cfg.ServerName, _, _ = net.SplitHostPort(addr)
	}
	tc := tls.Client(raw, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, &stepError{stepTLS, err}
	}
	return tc, nil
}
