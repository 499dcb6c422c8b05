package delivery

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWirePoolBounds: the pools keep at most MaxIdleConnsPerHost
// connections per host and drop those idle longer than IdleConnTimeout.
func TestWirePoolBounds(t *testing.T) {
	srv := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, false })
	cfg := loopbackConfig()
	cfg.MaxIdleConnsPerHost, cfg.IdleConnTimeout = 2, 200*time.Millisecond
	c := NewClient(cfg)
	ep := testEndpoint(srv.url())
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if o := send(t, c, lcnRequest(ep)); o.Result != Delivered {
				t.Errorf("outcome %+v", o)
			}
		})
	}
	wg.Wait()
	p := c.target(ep).pool
	p.mu.Lock()
	idle := len(p.idle)
	p.mu.Unlock()
	if idle > 2 || c.wire.idle.Load() != int64(idle) {
		t.Errorf("%d idle connections (count %d), at most 2", idle, c.wire.idle.Load())
	}
	deadline := time.Now().Add(5 * time.Second)
	for c.wire.idle.Load() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("idle connections never expired")
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.CloseIdleConnections()
}

// TestWireInternationalHost: a host name that needs IDNA is left to
// net/http, which converts it.
func TestWireInternationalHost(t *testing.T) {
	c := NewClient(loopbackConfig())
	ep := testEndpoint("http://bücher.invalid/lcn")
	if tg := c.target(ep); !tg.std {
		t.Fatal("internationalized host sent with the wire client")
	}
	if o := send(t, c, lcnRequest(ep)); o.Result != Retry || o.Reason != ReasonConnect {
		t.Errorf("outcome %+v", o)
	}
}

// TestWireTLSReuse: https answers are read through TLS and the connection,
// tickets and all, is reused.
func TestWireTLSReuse(t *testing.T) {
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
