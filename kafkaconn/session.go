package kafkaconn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"
	"github.com/segmentio/kafka-go/protocol/findcoordinator"
	"github.com/segmentio/kafka-go/protocol/saslauthenticate"
	"github.com/segmentio/kafka-go/protocol/saslhandshake"
	"github.com/segmentio/kafka-go/sasl"
)

// session is one authenticated connection to one broker, for the
// requests kafka-go's Transport answers from its metadata cache (it drops
// authorized operations) or does not route to a group's coordinator.
type session struct {
	conn     net.Conn
	corr     int32
	clientID string
}

// openSession connects to addr like the gateway (TLS, SASL), bounded by
// ctx's deadline.
func (c *Conn) openSession(ctx context.Context, addr string) (*session, error) {
	raw, err := c.probeDial(ctx, "tcp", addr)
	if err != nil {
		return nil, c.Explain(addr, err)
	}
	s := &session{conn: raw, clientID: c.opts.ClientID}
	if c.mech != nil {
		if err := s.authenticate(ctx, c.mech, addr); err != nil {
			raw.Close()
			return nil, c.Explain(addr, err)
		}
	}
	return s, nil
}

func (s *session) close() { s.conn.Close() }

// do sends req at the given API version and returns the response.
func (s *session) do(version int16, req protocol.Message) (protocol.Message, error) {
	s.corr++
	return protocol.RoundTrip(s.conn, version, s.corr, s.clientID, req)
}

// authenticate runs the SASL handshake (v1) and exchange.
func (s *session) authenticate(ctx context.Context, mech sasl.Mechanism, addr string) error {
	r, err := s.do(1, &saslhandshake.Request{Mechanism: mech.Name()})
	if err != nil {
		return err
	}
	if code := r.(*saslhandshake.Response).ErrorCode; code != 0 {
		return kafka.Error(code)
	}
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	ctx = sasl.WithMetadata(ctx, &sasl.Metadata{Host: host, Port: p})
	sess, state, err := mech.Start(ctx)
	if err != nil {
		return fmt.Errorf("SASL %s: %w", mech.Name(), err)
	}
	for done := false; !done; {
		r, err := s.do(1, &saslauthenticate.Request{AuthBytes: state})
		switch {
		case errors.Is(err, io.EOF):
			return kafka.SASLAuthenticationFailed
		case err != nil:
			return err
		}
		resp := r.(*saslauthenticate.Response)
		if resp.ErrorCode != 0 {
			return kafka.Error(resp.ErrorCode)
		}
		if done, state, err = sess.Next(ctx, resp.AuthBytes); err != nil {
			return kafka.SASLAuthenticationFailed
		}
	}
	return nil
}

// coordinator returns the address of group's coordinator.
func (s *session) coordinator(group string) (string, error) {
	r, err := s.do(1, &findcoordinator.Request{Key: group})
	if err != nil {
		return "", err
	}
	resp := r.(*findcoordinator.Response)
	if resp.ErrorCode != 0 {
		return "", kafka.Error(resp.ErrorCode)
	}
	return net.JoinHostPort(resp.Host, strconv.Itoa(int(resp.Port))), nil
}
