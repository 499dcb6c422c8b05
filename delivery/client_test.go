package delivery

import (
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestSendTLS(t *testing.T) {
	srv := httptest.NewTLSServer(answer(http.StatusOK, lcnReceiptSHA256))
	t.Cleanup(srv.Close)
	ep := testEndpoint(srv.URL)
	if o := send(t, NewClient(loopbackConfig()), lcnRequest(ep)); o.Reason != ReasonConnect {
		t.Errorf("untrusted certificate: %+v", o)
	}
	cfg := loopbackConfig()
	cfg.TLS = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	cfg.TLS.RootCAs = pool
	if o := send(t, NewClient(cfg), lcnRequest(ep)); o.Result != Delivered {
		t.Errorf("trusted certificate: %+v", o)
	}
}

func TestSendReusesConnections(t *testing.T) {
	var conns atomic.Int64
	// A body larger than MaxResponseBytes, the receipt at its start: read
	// for the check, drained for reuse.
	body := lcnReceiptMD5 + strings.Repeat("x", 10<<10)
	srv := httptest.NewUnstartedServer(answer(http.StatusOK, body))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	cfg := loopbackConfig()
	cfg.MaxResponseBytes = 1 << 10
	c := NewClient(cfg)
	for i := range 20 {
		if o := send(t, c, lcnRequest(testEndpoint(srv.URL))); o.Result != Delivered {
			t.Fatalf("send %d: %+v", i, o)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 20 sequential sends, want 1", n)
	}
}

func TestSendReadsOnlyMaxResponseBytes(t *testing.T) {
	// The receipt lies beyond the read bound: it is not seen.
	srv := newServer(t, answer(http.StatusOK, strings.Repeat(" ", 2<<10)+lcnReceiptMD5))
	cfg := loopbackConfig()
	cfg.MaxResponseBytes = 1 << 10
	if o := send(t, NewClient(cfg), lcnRequest(testEndpoint(srv.URL))); o.Reason != ReasonNoReceipt {
		t.Errorf("outcome = %+v", o)
	}
}
