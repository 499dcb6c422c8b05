package kafkaconn

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"

	"github.com/lcngw/lcngw/config"
)

// DefaultTimeout bounds dialling a broker, the TLS handshake and SASL
// authentication, and each request of Check and Authorize.
const DefaultTimeout = 10 * time.Second

// SASL are the credentials of a SASL mechanism.
type SASL struct {
	// Mechanism is config.SASLPlain, config.SASLScramSHA256 or
	// config.SASLScramSHA512.
	Mechanism string
	// Username and Password authenticate.
	Username string
	Password config.Secret
}

// Options describe how to reach the brokers.
type Options struct {
	// Brokers are the bootstrap addresses, host:port. Required.
	Brokers []string
	// ClientID names the client in broker logs; default "lcngw".
	ClientID string
	// TLS, when set, encrypts every connection (TLS 1.2 at least).
	TLS *tls.Config
	// SASL, when set, authenticates every connection.
	SASL *SASL
	// Timeout bounds dialling and authenticating; default DefaultTimeout.
	Timeout time.Duration
}

// Conn makes connections to one cluster. It is immutable and safe for
// concurrent use.
type Conn struct {
	opts Options
	mech sasl.Mechanism
}

// New checks o and returns a Conn.
func New(o Options) (*Conn, error) {
	if len(o.Brokers) == 0 {
		return nil, errors.New("kafka: no broker address")
	}
	if o.ClientID == "" {
		o.ClientID = "lcngw"
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.TLS != nil {
		o.TLS = o.TLS.Clone()
		o.TLS.MinVersion = max(o.TLS.MinVersion, tls.VersionTLS12)
	}
	c := &Conn{opts: o}
	if o.SASL != nil {
		m, err := mechanism(*o.SASL)
		if err != nil {
			return nil, err
		}
		c.mech = m
	}
	return c, nil
}

// FromConfig returns the Conn of a loaded and validated configuration.
func FromConfig(k *config.Kafka) (*Conn, error) {
	o := Options{Brokers: k.Brokers, ClientID: k.ClientID, TLS: k.TLS.Config()}
	if k.SASL.On() {
		o.SASL = &SASL{Mechanism: k.SASL.Mechanism, Username: k.SASL.Username, Password: k.SASL.Password()}
	}
	return New(o)
}

// Plain returns a Conn without TLS or SASL, for tools and tests that talk
// to a local broker.
func Plain(brokers ...string) *Conn {
	c, err := New(Options{Brokers: brokers})
	if err != nil {
		panic(err)
	}
	return c
}

// mechanism builds the kafka-go SASL mechanism.
func mechanism(s SASL) (sasl.Mechanism, error) {
	pw := string(s.Password.Reveal())
	switch s.Mechanism {
	case config.SASLPlain:
		return plain.Mechanism{Username: s.Username, Password: pw}, nil
	case config.SASLScramSHA256, config.SASLScramSHA512:
		algo := scram.SHA256
		if s.Mechanism == config.SASLScramSHA512 {
			algo = scram.SHA512
		}
		m, err := scram.Mechanism(algo, s.Username, pw)
		if err != nil {
			return nil, fmt.Errorf("kafka SASL %s: %w", s.Mechanism, err)
		}
		return m, nil
	}
	return nil, fmt.Errorf("kafka SASL: unknown mechanism %q (want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)", s.Mechanism)
}

// Brokers returns the bootstrap addresses.
func (c *Conn) Brokers() []string { return append([]string(nil), c.opts.Brokers...) }

// Addr returns the bootstrap addresses as a net.Addr for Writers and
// Clients.
func (c *Conn) Addr() net.Addr { return kafka.TCP(c.opts.Brokers...) }

// Dialer returns a new Dialer for Readers, consumer groups and Conns.
func (c *Conn) Dialer() *kafka.Dialer {
	return &kafka.Dialer{
		ClientID:      c.opts.ClientID,
		Timeout:       c.opts.Timeout,
		DualStack:     true,
		TLS:           c.tls(),
		SASLMechanism: c.mech,
	}
}

// Transport returns a new Transport for Writers and Clients. Each has its
// own connection pool; close idle connections with CloseIdleConnections.
func (c *Conn) Transport() *kafka.Transport {
	return &kafka.Transport{
		ClientID:    c.opts.ClientID,
		DialTimeout: c.opts.Timeout,
		TLS:         c.tls(),
		SASL:        c.mech,
	}
}

// Client returns a Client over a new Transport whose requests time out
// after timeout (0: DefaultTimeout).
func (c *Conn) Client(timeout time.Duration) *kafka.Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &kafka.Client{Addr: c.Addr(), Timeout: timeout, Transport: c.Transport()}
}

// ReaderConfig returns cfg with the brokers and Dialer of c filled in.
func (c *Conn) ReaderConfig(cfg kafka.ReaderConfig) kafka.ReaderConfig {
	cfg.Brokers = c.Brokers()
	cfg.Dialer = c.Dialer()
	return cfg
}

// tls returns a copy of the TLS configuration: kafka-go fills ServerName
// in per broker when it is empty, and the copies must not share it.
func (c *Conn) tls() *tls.Config {
	if c.opts.TLS == nil {
		return nil
	}
	return c.opts.TLS.Clone()
}
