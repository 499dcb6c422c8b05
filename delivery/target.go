package delivery

import (
	"bytes"
	"errors"
	"net"
	"net/url"

	"github.com/valyala/fasthttp"
	"golang.org/x/net/idna"
)

// target is what a Client keeps of one endpoint: the parsed URL, the
// pool of its origin (shared with the origin's other endpoints), and the
// endpoint's key, which read receipts are checked under.
type target struct {
	err     error
	key     []byte
	uri     string // the URL to request, host in ASCII (IDNA), no fragment
	site    string // scheme://host, the only part of the URL errors show
	ua      string
	maxBody int
	origin  *origin
}

// Buffer sizes of an endpoint's connections: a notification's head and
// body (an IPN of several products passes 4 KiB) leave in one write; the
// read buffer bounds an answer's head.
const (
	writeBufferSize = 16 << 10
	readBufferSize  = 16 << 10
)

// maxStaleConns bounds the idle connections found closed by their server
// that one request passes over before it is sent (see retryUnsent).
const maxStaleConns = 8

// drainBytes bounds how much of a response beyond MaxResponseBytes is read
// and discarded so the connection can be reused; a longer body closes it.
const drainBytes = 64 << 10

var formContentType = []byte("application/x-www-form-urlencoded")

// newTarget prepares requests to rawURL, through the pool pool returns
// for its origin. A URL that is not an absolute http(s) URL, or whose
// host has no ASCII (IDNA) form, leaves t.err set.
func (c *Client) newTarget(rawURL string, key []byte, pool func(scheme, host, addr string) *origin) *target {
	t := &target{key: bytes.Clone(key), ua: c.cfg.UserAgent, maxBody: c.cfg.MaxResponseBytes}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Hostname() == "" {
		t.err = errInvalidURL
		return t
	}
	host, err := asciiHost(u.Hostname())
	if err != nil {
		t.err = errInvalidURL
		return t
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	addr := net.JoinHostPort(host, port)
	v := *u
	if host != u.Hostname() {
		v.Host = host
		if u.Port() != "" {
			v.Host = addr
		}
	}
	v.Fragment, v.RawFragment = "", ""
	t.uri, t.site = v.String(), u.Scheme+"://"+v.Host
	t.origin = pool(u.Scheme, host, addr)
	return t
}

// retryUnsent is the HostClient's RetryIfErr: a request is made again
// only when it failed on a pooled connection its server had closed, found
// before any byte was written (errStaleConn). Everything else, a POST
// fully written on a reused connection included, is never sent again.
func retryUnsent(_ *fasthttp.Request, _ int, err error) (resetTimeout, retry bool) {
	return false, errors.Is(err, errStaleConn)
}

// asciiHost returns host as it goes on the wire: internationalized names
// in their IDNA (punycode) form, as net/http sends them.
func asciiHost(host string) (string, error) {
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			return idna.Lookup.ToASCII(host)
		}
	}
	return host, nil
}
