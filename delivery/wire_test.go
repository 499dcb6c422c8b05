package delivery

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestWireAnswers: the framings and heads a receiver may answer with are
// read completely, and the connection is kept exactly when it can carry
// another request.
func TestWireAnswers(t *testing.T) {
	half := len(lcnReceiptMD5) / 2
	tests := []struct {
		name   string
		answer string
		close  bool // the server hangs up after answering
		result Result
		reason Reason
		status int
		conns  int64 // for three sends
	}{
		{"content length", ok, false, Delivered, ReasonOK, 200, 1},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(lcnReceiptMD5[:half], lcnReceiptMD5[half:]), false, Delivered, ReasonOK, 200, 1},
		{"interim answers first", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\n" + ok, false, Delivered, ReasonOK, 200, 1},
		{"bare LF and no reason", strings.ReplaceAll("HTTP/1.1 200\r\nContent-Length: "+fmt.Sprint(len(lcnReceiptMD5))+"\r\n\r\n", "\r\n", "\n") + lcnReceiptMD5, false, Delivered, ReasonOK, 200, 1},
		{"folded and odd headers", "HTTP/1.1 200 OK\r\nX-Long: a\r\n  continued\r\ncOnTeNt-LeNgTh: " + fmt.Sprint(len(lcnReceiptMD5)) + "\r\n\r\n" + lcnReceiptMD5, false, Delivered, ReasonOK, 200, 1},
		{"connection close", "HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: " + fmt.Sprint(len(lcnReceiptMD5)) + "\r\n\r\n" + lcnReceiptMD5, true, Delivered, ReasonOK, 200, 3},
		{"HTTP/1.0", "HTTP/1.0 200 OK\r\nContent-Length: " + fmt.Sprint(len(lcnReceiptMD5)) + "\r\n\r\n" + lcnReceiptMD5, true, Delivered, ReasonOK, 200, 3},
		{"until the end", "HTTP/1.1 200 OK\r\n\r\n" + lcnReceiptMD5, true, Delivered, ReasonOK, 200, 3},
		{"no content", "HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n", false, Retry, ReasonNoReceipt, 204, 1},
		{"error status", "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 4\r\n\r\nbusy", false, Retry, ReasonStatus5xx, 503, 1},
		{"gone", "HTTP/1.1 410 Gone\r\nContent-Length: 0\r\n\r\n", false, Permanent, ReasonGone, 410, 1},
		{"switching protocols", "HTTP/1.1 101 Switching Protocols\r\n\r\n", true, Retry, ReasonOther, 101, 3},
		{"bad status line", "HTTP/2 200 OK\r\n\r\n", true, Retry, ReasonConnect, 0, 3},
		{"bad content length", "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabc", true, Retry, ReasonConnect, 0, 3},
		{"conflicting content lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc", true, Retry, ReasonConnect, 0, 3},
		{"unknown transfer encoding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", true, Retry, ReasonConnect, 0, 3},
		{"truncated chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nabc", true, Retry, ReasonConnect, 200, 3},
		{"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", true, Retry, ReasonConnect, 200, 3},
		{"header too large", "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", maxResponseHeaderBytes) + "\r\n\r\n", true, Retry, ReasonConnect, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newRawServer(t, func(int, *http.Request) (string, bool) { return tt.answer, tt.close })
			c := NewClient(loopbackConfig())
			for i := range 3 {
				o := send(t, c, lcnRequest(testEndpoint(srv.url()+"/lcn")))
				if o.Result != tt.result || o.Reason != tt.reason || o.Status != tt.status || o.Attempts != 1 {
					t.Fatalf("send %d: %+v", i, o)
				}
			}
			if n := srv.conns.Load(); n != tt.conns {
				t.Errorf("%d connections for three sends, want %d", n, tt.conns)
			}
		})
	}
}

// TestWireRequest: the request is a plain HTTP/1.1 POST of the body, with
// the endpoint's path and query, its host, the client's User-Agent, and
// Basic credentials from the URL; a large body is sent whole.
func TestWireRequest(t *testing.T) {
	srv := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, false })
	cfg := loopbackConfig()
	cfg.UserAgent = "lcngw/9.9.9"
	c := NewClient(cfg)
	ep := testEndpoint("http://merchant:s%3Acret@" + srv.ln.Addr().String() + "/hooks/lcn?token=a%2Fb#frag")
	req := lcnRequest(ep)
	big := *req
	big.Body = bytes.Repeat([]byte("A=1&"), (maxKeptWriteBuffer+100)/4)
	for _, r := range []*Request{req, &big} {
		if o := send(t, c, r); o.Result != Delivered {
			t.Fatalf("outcome %+v", o)
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for i, r := range srv.reqs {
		user, pw, _ := r.BasicAuth()
		if r.Method != http.MethodPost || r.Proto != "HTTP/1.1" || r.RequestURI != "/hooks/lcn?token=a%2Fb" ||
			r.Host != srv.ln.Addr().String() || r.UserAgent() != "lcngw/9.9.9" || user != "merchant" || pw != "s:cret" ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("request %d: %s %s %s host %q ua %q auth %q:%q headers %v", i, r.Method, r.RequestURI, r.Proto, r.Host, r.UserAgent(), user, pw, r.Header)
		}
	}
	if !bytes.Equal(srv.bodies[0], req.Body) || !bytes.Equal(srv.bodies[1], big.Body) {
		t.Error("bodies differ from the requests'")
	}
	if n := srv.conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

// TestWireStaleConnection: a keep-alive connection the server closed while
// it was idle is not used, and one closed just as a request goes out is
// replaced without failing the attempt.
func TestWireStaleConnection(t *testing.T) {
	// The server hangs up after every answer although it promised
	// keep-alive: the client finds the connection closed.
	srv := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, true })
	c := NewClient(loopbackConfig())
	ep := testEndpoint(srv.url())
	for i := range 5 {
		if i > 0 {
			time.Sleep(10 * time.Millisecond) // let the FIN arrive
		}
		if o := send(t, c, lcnRequest(ep)); o.Result != Delivered || o.Attempts != 1 {
			t.Fatalf("send %d: %+v", i, o)
		}
	}
	// A connection that looks open but is reset on use is replaced.
	var pooled *wireConn
	target := c.target(ep)
	if pooled = target.pool.get(time.Now()); pooled != nil {
		t.Fatal("a closed connection stayed in the pool")
	}
	target.pool.put(resetConn(t), time.Now())
	if o := send(t, c, lcnRequest(ep)); o.Result != Delivered || o.Attempts != 1 {
		t.Fatalf("after a broken pooled connection: %+v", o)
	}
}
