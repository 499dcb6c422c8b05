package delivery

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
	"golang.org/x/net/dns/dnsmessage"
)

// TestNoResendOnReusedConnection: a POST written whole on a reused
// keep-alive connection that the server then closes (or resets) without
// answering fails the attempt; it is never sent again behind the caller's
// back, so every request on the wire is one the caller counts.
func TestNoResendOnReusedConnection(t *testing.T) {
	for _, hangUp := range []string{"", resetAnswer} {
		srv := newRawServer(t, func(n int, _ *http.Request) (string, bool) {
			if n == 0 {
				return ok, false
			}
			return hangUp, true // read the request whole, then hang up
		})
		c := NewClient(loopbackConfig())
		ep := testEndpoint(srv.url())
		if o := send(t, c, lcnRequest(ep)); o.Result != Delivered {
			t.Fatalf("first: %+v", o)
		}
		o := send(t, c, lcnRequest(ep))
		if o.Result != Retry || o.Reason != ReasonConnect || o.Attempts != 1 || o.Status != 0 {
			t.Errorf("hang-up %q: outcome %+v", hangUp, o)
		}
		if n, conns := srv.posts(), srv.conns.Load(); n != 2 || conns != 1 {
			t.Errorf("hang-up %q: the server read %d requests on %d connections, want 2 on 1", hangUp, n, conns)
		}
	}
}

// TestEveryRequestCounted: over rounds of quick retries against an
// endpoint that hangs up on most requests after reading them, the
// requests the server reads equal the attempts the Deliverer reports
// and lcngw_delivery_requests_total counts (Outcome.Attempts is also what
// the lcngw-requests header adds up).
func TestEveryRequestCounted(t *testing.T) {
	srv := newRawServer(t, func(n int, _ *http.Request) (string, bool) {
		if n%3 == 2 {
			return ok, false
		}
		return "", true
	})
	var observed atomic.Int64
	m, reg := testMetrics(t)
	d := NewDeliverer(NewClient(loopbackConfig()), Options{
		Quick:    QuickRetry{Attempts: 3},
		Metrics:  m,
		NewTimer: func() backoff.Timer { return newRecordingTimer() },
		Watcher:  triedFunc(func(_ *Endpoint, o Outcome) { observed.Add(int64(o.Attempts)) }),
	})
	ep := testEndpoint(srv.url())
	reported := 0
	for range 10 {
		o := send(t, d, lcnRequest(ep))
		reported += o.Attempts
	}
	counted := metricValue(t, reg, `lcngw_delivery_requests_total`)
	if n := srv.posts(); n != reported || int64(n) != observed.Load() || float64(n) != counted || n < 10 {
		t.Errorf("the server read %d requests; the rounds reported %d, the watcher %d, the metric %v", n, reported, observed.Load(), counted)
	}
}

// TestStaleConnection: a keep-alive connection the server closed while it
// was idle is passed over before the request is written: the attempt goes
// out on a new connection, once.
func TestStaleConnection(t *testing.T) {
	hungUp := make(chan struct{}, 1)
	srv := newRawServer(t, func(int, *http.Request) (string, bool) {
		hungUp <- struct{}{}
		return ok, true // promises keep-alive, then hangs up
	})
	c := NewClient(loopbackConfig())
	ep := testEndpoint(srv.url())
	for i := range 5 {
		if o := send(t, c, lcnRequest(ep)); o.Result != Delivered || o.Attempts != 1 {
			t.Fatalf("send %d: %+v", i, o)
		}
		<-hungUp
		for srv.closed.Load() < int64(i+1) { // the server's close is done
			time.Sleep(time.Millisecond)
		}
	}
	if n, conns := srv.posts(), srv.conns.Load(); n != 5 || conns != 5 {
		t.Errorf("the server read %d requests on %d connections, want 5 on 5", n, conns)
	}
}

// TestPoolBounds: at most MaxConnsPerOrigin connections are open to an
// endpoint (more requests wait for one), and idle ones are closed after
// IdleConnTimeout.
func TestPoolBounds(t *testing.T) {
	srv := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, false })
	cfg := loopbackConfig()
	cfg.MaxConnsPerOrigin, cfg.IdleConnTimeout = 2, 100*time.Millisecond
	c := NewClient(cfg)
	ep := testEndpoint(srv.url())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if o := send(t, c, lcnRequest(ep)); o.Result != Delivered {
				t.Errorf("outcome %+v", o)
			}
		})
	}
	wg.Wait()
	if n := srv.conns.Load(); n > 2 {
		t.Errorf("%d connections, at most 2", n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for srv.closed.Load() < srv.conns.Load() {
		if time.Now().After(deadline) {
			t.Fatal("idle connections never closed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTLSReuse: https answers are read through TLS and the connection is
// reused.
func TestTLSReuse(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(answer(http.StatusOK, lcnReceiptMD5))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	cfg := loopbackConfig()
	cfg.TLS = &tls.Config{RootCAs: x509.NewCertPool(), MinVersion: tls.VersionTLS12}
	cfg.TLS.RootCAs.AddCert(srv.Certificate())
	c := NewClient(cfg)
	for i := range 20 {
		if o := send(t, c, lcnRequest(testEndpoint(srv.URL+"/lcn"))); o.Result != Delivered {
			t.Fatalf("send %d: %+v", i, o)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d TLS connections for 20 sequential sends, want 1", n)
	}
}

// TestInternationalHost: a host name that needs IDNA is resolved and sent
// in its ASCII form.
func TestInternationalHost(t *testing.T) {
	dns := newFakeDNS(t, net.IPv4(127, 0, 0, 1))
	srv := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, false })
	_, port, _ := net.SplitHostPort(srv.ln.Addr().String())
	cfg := loopbackConfig()
	cfg.Resolver = dns.resolver()
	o := send(t, NewClient(cfg), lcnRequest(testEndpoint("http://bücher.example:"+port+"/lcn")))
	if o.Result != Delivered {
		t.Fatalf("outcome %+v", o)
	}
	if q := dns.asked(); !strings.Contains(q, "xn--bcher-kva.example.") {
		t.Errorf("resolved %q", q)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if h := srv.reqs[0].Host; h != "xn--bcher-kva.example:"+port {
		t.Errorf("Host %q", h)
	}
	if o := send(t, NewClient(cfg), lcnRequest(testEndpoint("http://a\u2488b.example/"))); o.Result != Permanent || o.Reason != ReasonOther {
		t.Errorf("a name with no IDNA form: %+v", o)
	}
}

// TestRebindingRefused: a public-looking name that resolves to an
// internal address is refused when it is dialled; the endpoint is never
// reached.
func TestRebindingRefused(t *testing.T) {
	dns := newFakeDNS(t, net.IPv4(127, 0, 0, 1))
	srv := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, false })
	_, port, _ := net.SplitHostPort(srv.ln.Addr().String())
	o := send(t, NewClient(ClientConfig{Resolver: dns.resolver()}), lcnRequest(testEndpoint("http://hooks.example.com:"+port+"/lcn")))
	if o.Result != Permanent || o.Reason != ReasonBlocked || !errors.Is(o.Err, ErrBlocked) {
		t.Errorf("outcome %+v", o)
	}
	if srv.conns.Load() != 0 {
		t.Error("the internal address was reached")
	}
}

// TestCanceledWhileDialing: the caller's context ends an attempt still
// resolving its host.
func TestCanceledWhileDialing(t *testing.T) {
	cfg := loopbackConfig()
	cfg.Resolver = hangingResolver(t)
	ep := testEndpoint("http://hook.invalid-tld-for-tests/lcn")
	ep.ConnectTimeout, ep.Timeout = time.Minute, time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	o := NewClient(cfg).Send(ctx, lcnRequest(ep))
	if o.Result != Retry || o.Reason != ReasonCanceled || o.Attempts != 1 || !errors.Is(o.Err, context.Canceled) {
		t.Errorf("outcome %+v", o)
	}
}

// fakeDNS answers every A query with one address and records the names
// asked for.
type fakeDNS struct {
	pc    net.PacketConn
	mu    sync.Mutex
	names []string
}

func newFakeDNS(t *testing.T, ip net.IP) *fakeDNS {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &fakeDNS{pc: pc}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		pc.Close()
		wg.Wait()
	})
	wg.Go(func() {
		buf := make([]byte, 512)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if reply, ok := d.answer(buf[:n], [4]byte(ip.To4())); ok {
				_, _ = pc.WriteTo(reply, addr)
			}
		}
	})
	return d
}

func (d *fakeDNS) answer(query []byte, ip [4]byte) ([]byte, bool) {
	var m dnsmessage.Message
	if err := m.Unpack(query); err != nil || len(m.Questions) != 1 {
		return nil, false
	}
	q := m.Questions[0]
	d.mu.Lock()
	d.names = append(d.names, q.Name.String())
	d.mu.Unlock()
	m.Header.Response, m.Header.Authoritative = true, true
	m.Answers = nil
	if q.Type == dnsmessage.TypeA {
		m.Answers = []dnsmessage.Resource{{
			Header: dnsmessage.ResourceHeader{Name: q.Name, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET, TTL: 60},
			Body:   &dnsmessage.AResource{A: ip},
		}}
	}
	b, err := m.Pack()
	return b, err == nil
}

func (d *fakeDNS) asked() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return strings.Join(d.names, " ")
}

func (d *fakeDNS) resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var nd net.Dialer
		return nd.DialContext(ctx, "udp", d.pc.LocalAddr().String())
	}}
}
