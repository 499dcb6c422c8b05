package delivery

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// hangingServer starts a server whose handler blocks until the client
// goes away or the test ends; with headers true it first sends a 200
// header and the start of a body.
func hangingServer(t *testing.T, headers bool, configure ...func(*http.Server)) *httptest.Server {
	done := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // lets the server notice a closed connection
		if headers {
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, "<html>")
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	for _, f := range configure {
		f(srv.Config)
	}
	srv.Start()
	t.Cleanup(func() {
		close(done)
		srv.Close()
	})
	return srv
}

func TestSendTimeout(t *testing.T) {
	for _, headers := range []bool{false, true} {
		srv := hangingServer(t, headers)
		ep := testEndpoint(srv.URL)
		ep.Timeout = 100 * time.Millisecond
		o := send(t, NewClient(loopbackConfig()), lcnRequest(ep))
		wantStatus := map[bool]int{false: 0, true: 200}[headers]
		if o.Result != Retry || o.Reason != ReasonTimeout || o.Status != wantStatus || o.Attempts != 1 {
			t.Errorf("headers %v: outcome = %+v", headers, o)
		}
		if o.Duration < ep.Timeout || o.Duration > 5*time.Second {
			t.Errorf("headers %v: duration %v", headers, o.Duration)
		}
	}
}

// hangingResolver resolves through a DNS server that never answers.
func hangingResolver(t *testing.T) *net.Resolver {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
}

func TestSendConnectTimeout(t *testing.T) {
	cfg := loopbackConfig()
	cfg.Resolver = hangingResolver(t)
	ep := testEndpoint("http://hook.invalid-tld-for-tests/lcn")
	ep.ConnectTimeout, ep.Timeout = 50*time.Millisecond, 5*time.Second
	o := send(t, NewClient(cfg), lcnRequest(ep))
	if o.Result != Retry || o.Reason != ReasonTimeout || o.Status != 0 {
		t.Fatalf("outcome = %+v", o)
	}
	if o.Duration > 2*time.Second {
		t.Errorf("connect timeout took %v", o.Duration)
	}
}

func TestSendConnectionErrors(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedURL := "http://" + closed.Addr().String()
	closed.Close()

	reset := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		_ = conn.(*net.TCPConn).SetLinger(0) // close with RST
		conn.Close()
	})
	eof := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	garbage := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_, _ = buf.WriteString("NOT HTTP AT ALL\r\n\r\n")
			_ = buf.Flush()
			conn.Close()
		}
	})
	c := NewClient(loopbackConfig())
	for name, u := range map[string]string{"refused": refusedURL, "reset": reset.URL, "eof": eof.URL, "garbage": garbage.URL} {
		o := send(t, c, lcnRequest(testEndpoint(u)))
		if o.Result != Retry || o.Reason != ReasonConnect || o.Status != 0 || o.Attempts != 1 || o.Err == nil {
			t.Errorf("%s: outcome = %+v", name, o)
		}
	}
	unresolvable := testEndpoint("http://no-such-host.invalid/lcn")
	if o := send(t, c, lcnRequest(unresolvable)); o.Reason != ReasonConnect {
		t.Errorf("dns: outcome = %+v", o)
	}
}

func TestSendCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv := hangingServer(t, false, func(s *http.Server) {
		s.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateActive {
				cancel() // the request has arrived: the caller gives up
			}
		}
	})
	c := NewClient(loopbackConfig())
	done, stop := context.WithCancel(context.Background())
	stop()
	if o := c.Send(done, lcnRequest(testEndpoint(srv.URL))); o.Result != Retry || o.Reason != ReasonCanceled || o.Attempts != 0 {
		t.Errorf("canceled before: %+v", o)
	}
	if o := c.Send(ctx, lcnRequest(testEndpoint(srv.URL))); o.Result != Retry || o.Reason != ReasonCanceled || o.Attempts != 1 || !errors.Is(o.Err, context.Canceled) {
		t.Errorf("canceled during: %+v", o)
	}
}

func TestSendRetryAfter(t *testing.T) {
	clock := newManualClock()
	date := clock.Now().Add(90 * time.Second).Format(http.TimeFormat)
	tests := []struct {
		status int
		header string
		want   time.Duration
	}{
		{429, "120", 2 * time.Minute},
		{503, "7", 7 * time.Second},
		{503, date, 90 * time.Second},
		{429, clock.Now().Add(-time.Hour).Format(http.TimeFormat), 0},
		{429, "86400", time.Hour}, // capped
		{429, "soon", 0},
		{429, "", 0},
		{500, "120", 0}, // only 429 and 503 carry a delay
		{301, "120", 0},
	}
	cfg := loopbackConfig()
	cfg.Now = clock.Now
	c := NewClient(cfg)
	for _, tt := range tests {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if tt.header != "" {
				w.Header().Set("Retry-After", tt.header)
			}
			w.WriteHeader(tt.status)
		})
		o := send(t, c, lcnRequest(testEndpoint(srv.URL)))
		if o.Result != Retry || o.RetryAfter != tt.want {
			t.Errorf("%d %q: outcome %v retry after %v, want %v", tt.status, tt.header, o.Result, o.RetryAfter, tt.want)
		}
	}
}

func TestSendNeverLeaksURL(t *testing.T) {
	const secret = "hunter2"
	srv := hangingServer(t, false)
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedAddr := closed.Addr().String()
	closed.Close()
	cases := map[string]struct {
		cfg ClientConfig
		url string
	}{
		"timeout": {loopbackConfig(), srv.URL},
		"refused": {loopbackConfig(), "http://" + closedAddr},
		"blocked": {ClientConfig{}, srv.URL},
		"dns":     {loopbackConfig(), "http://no-such-host.invalid"},
	}
	for name, tc := range cases {
		ep := testEndpoint("http://user:" + secret + "@" + strings.TrimPrefix(tc.url, "http://") + "/hook/" + secret + "?key=" + secret + "#" + secret)
		ep.Timeout = 100 * time.Millisecond
		o := send(t, NewClient(tc.cfg), lcnRequest(ep))
		if o.Err == nil || strings.Contains(o.Err.Error(), secret) || strings.Contains(o.Err.Error(), "vectorKey") {
			t.Errorf("%s: error %v", name, o.Err)
		}
		if !strings.Contains(o.Err.Error(), "M1/main") {
			t.Errorf("%s: error %q does not name the endpoint", name, o.Err)
		}
	}
}

// TestSendCanceledOtherContext ends the context of an earlier request on
// the same connection while a request with another context is on the
// wire: only the request of the context that ended may be cut.
func TestSendCanceledOtherContext(t *testing.T) {
	first, cancelFirst := context.WithCancel(context.Background())
	defer cancelFirst()
	var mu sync.Mutex
	conns, requests := 0, 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		requests++
		n := requests
		mu.Unlock()
		if n == 2 {
			cancelFirst() // the first request's context ends during the second
			time.Sleep(20 * time.Millisecond)
		}
		_, _ = io.WriteString(w, lcnReceiptMD5)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			conns++
			mu.Unlock()
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := NewClient(loopbackConfig())
	ep := testEndpoint(srv.URL)
	if o := c.Send(first, lcnRequest(ep)); o.Result != Delivered {
		t.Fatalf("first: %+v", o)
	}
	second, cancelSecond := context.WithCancel(context.Background())
	defer cancelSecond()
	if o := c.Send(second, lcnRequest(ep)); o.Result != Delivered {
		t.Fatalf("second, while the first context ended: %+v", o)
	}
	if o := c.Send(second, lcnRequest(ep)); o.Result != Delivered {
		t.Fatalf("third: %+v", o)
	}
	mu.Lock()
	defer mu.Unlock()
	if conns != 1 {
		t.Errorf("%d connections for three sends, want 1", conns)
	}
}
