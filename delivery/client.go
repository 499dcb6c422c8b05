package delivery

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"syscall"
	"time"
)

// Defaults of [ClientConfig].
const (
	DefaultConnectTimeout      = 10 * time.Second
	DefaultTimeout             = 30 * time.Second
	DefaultMaxResponseBytes    = 64 << 10
	DefaultMaxIdleConns        = 1024
	DefaultMaxIdleConnsPerHost = 64
	DefaultIdleConnTimeout     = 90 * time.Second
	DefaultMaxRetryAfter       = time.Hour
)

// writeBufferSize is the transport's per-connection write buffer: a
// notification's headers and body (an IPN of several products passes the
// default 4 KiB) leave in one write.
const writeBufferSize = 16 << 10

// drainBytes bounds how much of a response beyond MaxResponseBytes is read
// and discarded so the connection can be reused; a longer body closes it.
const drainBytes = 64 << 10

// ClientConfig configures the HTTP client of [NewClient] and
// [NewHTTPClient]. Zero fields take the defaults above.
type ClientConfig struct {
	// UserAgent is sent with every request; default [DefaultUserAgent].
	UserAgent string
	// ConnectTimeout bounds DNS and TCP (and, transport-wide, the TLS
	// handshake) when the endpoint sets none.
	ConnectTimeout time.Duration
	// Timeout bounds one attempt, response body included, when the
	// endpoint sets none.
	Timeout time.Duration
	// MaxResponseBytes bounds the response body read for the receipt check.
	MaxResponseBytes int
	// MaxIdleConns and MaxIdleConnsPerHost bound the keep-alive pool. Keep
	// the per-host bound at or above the per-endpoint concurrency.
	MaxIdleConns, MaxIdleConnsPerHost int
	// IdleConnTimeout closes keep-alive connections idle that long.
	IdleConnTimeout time.Duration
	// MaxRetryAfter caps the delay a Retry-After header can ask for.
	MaxRetryAfter time.Duration
	// Guard is the SSRF policy; the zero Guard refuses every non-public
	// address.
	Guard Guard
	// Resolver resolves host names (nil: the default resolver).
	Resolver *net.Resolver
	// TLS is the TLS configuration (nil: system roots, TLS 1.2 or later).
	TLS *tls.Config
	// Now is the clock Retry-After dates are read against (nil: time.Now).
	Now func() time.Time
}

func (c ClientConfig) withDefaults() ClientConfig {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.ConnectTimeout, DefaultConnectTimeout)
	def(&c.Timeout, DefaultTimeout)
	def(&c.IdleConnTimeout, DefaultIdleConnTimeout)
	def(&c.MaxRetryAfter, DefaultMaxRetryAfter)
	defInt(&c.MaxResponseBytes, DefaultMaxResponseBytes)
	defInt(&c.MaxIdleConns, DefaultMaxIdleConns)
	defInt(&c.MaxIdleConnsPerHost, DefaultMaxIdleConnsPerHost)
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.TLS == nil {
		c.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return c
}

// DefaultUserAgent returns "lcngw/<version>", the version being the main
// module's build version ("dev" for a development build).
func DefaultUserAgent() string {
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	return "lcngw/" + v
}

// NewHTTPClient returns a net/http client with the policy webhooks are
// sent with (a [Client] posts them with its own lean client, and uses this
// one for endpoint checks and internationalized host names): HTTP/1.1
// with keep-alive, no proxy (a proxy would dial on our behalf, past the
// SSRF guard), redirects never followed (a 3xx response is returned as
// is), no transparent compression, the SSRF [Guard] applied to every
// dialled address, and the connect timeout applied to every dial. It sets
// no overall timeout: each attempt bounds itself with its context.
func NewHTTPClient(cfg ClientConfig) *http.Client {
	cfg = cfg.withDefaults()
	return newHTTPClient(cfg, newGuardedDialer(cfg))
}

func newGuardedDialer(cfg ClientConfig) *guardedDialer {
	return &guardedDialer{
		guard:   cfg.Guard,
		timeout: cfg.ConnectTimeout,
		base:    net.Dialer{KeepAlive: 30 * time.Second, Resolver: cfg.Resolver},
	}
}

func newHTTPClient(cfg ClientConfig, d *guardedDialer) *http.Client {
	tlsConf := cfg.TLS
	var protos http.Protocols
	protos.SetHTTP1(true)
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    cfg.ConnectTimeout,
		DisableCompression:     true,
		MaxIdleConns:           cfg.MaxIdleConns,
		MaxIdleConnsPerHost:    cfg.MaxIdleConnsPerHost,
		IdleConnTimeout:        cfg.IdleConnTimeout,
		MaxResponseHeaderBytes: 64 << 10,
		WriteBufferSize:        writeBufferSize,
		Protocols:              &protos,
	}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// connectTimeoutKey carries an endpoint's connect timeout to the dialer.
// The transport dials with a context detached from the request's
// cancellation but keeping its values.
type connectTimeoutKey struct{}

// ErrConnectTimeout is the cause of a dial that ran out of connect time.
var ErrConnectTimeout = errors.New("connect timeout")

type guardedDialer struct {
	guard   Guard
	timeout time.Duration
	base    net.Dialer
}

// DialContext dials addr ("host:port"), refusing every resolved address
// the guard refuses, within the connect timeout.
func (d *guardedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	timeout := d.timeout
	if t, ok := ctx.Value(connectTimeoutKey{}).(time.Duration); ok && t > 0 {
		timeout = t
	}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, ErrConnectTimeout)
	defer cancel()
	return d.dial(ctx, network, addr)
}

// dial is DialContext within ctx alone.
func (d *guardedDialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	nd := d.base
	nd.ControlContext = func(_ context.Context, _, address string, _ syscall.RawConn) error {
		return d.guard.checkDial(host, address)
	}
	return nd.DialContext(ctx, network, addr)
}

// redact strips everything but the scheme and host from the URL of a
// *url.Error in err, so the query (credentials), path and user info never
// reach an error message.
func redact(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		ue.URL = redactURL(ue.URL)
	}
	return err
}

// redactURL keeps the scheme and host of raw.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "[redacted]"
	}
	return u.Scheme + "://" + u.Host
}
