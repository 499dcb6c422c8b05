package delivery

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAnswers: the framings and heads a receiver may answer with are read
// completely or refused, and the connection is kept exactly when it can
// carry another request.
func TestAnswers(t *testing.T) {
	half := len(lcnReceiptMD5) / 2
	n := fmt.Sprint(len(lcnReceiptMD5))
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
		{"interim answers first", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + ok, false, Delivered, ReasonOK, 200, 1},
		{"no reason phrase", "HTTP/1.1 200\r\nContent-Length: " + n + "\r\n\r\n" + lcnReceiptMD5, false, Delivered, ReasonOK, 200, 1},
		// Lines must end in CRLF: a head with bare LFs never ends.
		{"bare LF", strings.ReplaceAll("HTTP/1.1 200 OK\r\nContent-Length: "+n+"\r\n\r\n", "\r\n", "\n") + lcnReceiptMD5, true, Retry, ReasonConnect, 0, 3},
		{"odd header case", "HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh: " + n + "\r\n\r\n" + lcnReceiptMD5, false, Delivered, ReasonOK, 200, 1},
		{"connection close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + n + "\r\n\r\n" + lcnReceiptMD5, true, Delivered, ReasonOK, 200, 3},
		{"HTTP/1.0", "HTTP/1.0 200 OK\r\nContent-Length: " + n + "\r\n\r\n" + lcnReceiptMD5, true, Delivered, ReasonOK, 200, 3},
		{"until the end", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + lcnReceiptMD5, true, Delivered, ReasonOK, 200, 3},
		{"no content", "HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n", false, Retry, ReasonNoReceipt, 204, 1},
		{"error status", "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 4\r\n\r\nbusy", false, Retry, ReasonStatus5xx, 503, 1},
		{"gone", "HTTP/1.1 410 Gone\r\nContent-Length: 0\r\n\r\n", false, Permanent, ReasonGone, 410, 1},
		{"body beyond the drain bound", "HTTP/1.1 200 OK\r\nContent-Length: " + fmt.Sprint(len(lcnReceiptMD5)+DefaultMaxResponseBytes+drainBytes+1) + "\r\n\r\n" + lcnReceiptMD5 + strings.Repeat(" ", DefaultMaxResponseBytes+drainBytes+1), false, Delivered, ReasonOK, 200, 3},
		// 101 ends the exchange: the connection now speaks another
		// protocol and never goes back to the pool.
		{"switching protocols", "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", false, Retry, ReasonOther, 101, 3},
		{"bad status line", "HTTP/2 200 OK\r\n\r\n", true, Retry, ReasonConnect, 0, 3},
		{"status 000", "HTTP/1.1 000 OK\r\nContent-Length: " + n + "\r\n\r\n" + lcnReceiptMD5, true, Retry, ReasonConnect, 0, 3},
		{"HTTP/0.9", "HTTP/0.9 200 OK\r\nContent-Length: " + n + "\r\n\r\n" + lcnReceiptMD5, true, Retry, ReasonConnect, 0, 3},
		{"not HTTP", "NOT HTTP AT ALL\r\n\r\n", true, Retry, ReasonConnect, 0, 3},
		{"signed content length", "HTTP/1.1 200 OK\r\nContent-Length: +" + n + "\r\n\r\n" + lcnReceiptMD5, true, Retry, ReasonConnect, 0, 3},
		{"bad content length", "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabc", true, Retry, ReasonConnect, 0, 3},
		{"conflicting content lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc", true, Retry, ReasonConnect, 0, 3},
		{"folded header", "HTTP/1.1 200 OK\r\nX-Long: a\r\n  continued\r\nContent-Length: " + n + "\r\n\r\n" + lcnReceiptMD5, false, Delivered, ReasonOK, 200, 1},
		{"negative content length", "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\nabc", true, Retry, ReasonConnect, 0, 3},
		{"unknown transfer encoding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", true, Retry, ReasonConnect, 0, 3},
		{"truncated chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nabc", true, Retry, ReasonConnect, 200, 3},
		{"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", true, Retry, ReasonConnect, 200, 3},
		{"header too large", "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", readBufferSize) + "\r\n\r\n", true, Retry, ReasonConnect, 0, 3},
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
			if n := srv.posts(); n != 3 {
				t.Errorf("the server read %d requests for three sends", n)
			}
		})
	}
}

// TestSwitchingProtocolsNotReused: what a server sends after 101 on the
// switched connection (here bytes that look like an answer with a valid
// receipt) is never read as the answer to a later request, and a 101
// ends the attempt at once even though the server keeps the connection
// open.
func TestSwitchingProtocolsNotReused(t *testing.T) {
	srv := newRawServer(t, func(n int, _ *http.Request) (string, bool) {
		if n == 0 {
			return "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n" + ok, false
		}
		return "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", false
	})
	c := NewClient(loopbackConfig())
	ep := testEndpoint(srv.url())
	ep.Timeout = time.Minute // the test's own bound ends far sooner
	if o := send(t, c, lcnRequest(ep)); o.Status != 101 || o.Result != Retry || o.Reason != ReasonOther {
		t.Fatalf("101: %+v", o)
	}
	if o := send(t, c, lcnRequest(ep)); o.Status != 500 || o.Reason != ReasonStatus5xx {
		t.Fatalf("after 101: %+v, the switched connection's bytes were read as the answer", o)
	}
	if n := srv.conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

// TestRequestOnTheWire: the request is a plain HTTP/1.1 POST of the body,
// with the endpoint's path and query as given, its host, the client's
// User-Agent (UTF-8 included), and Basic credentials from the URL; a
// large body is sent whole.
func TestRequestOnTheWire(t *testing.T) {
	srv := newRawServer(t, func(int, *http.Request) (string, bool) { return ok, false })
	cfg := loopbackConfig()
	cfg.UserAgent = "lcngw/9.9.9 (Zürich)\r\nX-Injected: 1"
	c := NewClient(cfg)
	ep := testEndpoint("http://merchant:s%3Acret@" + srv.ln.Addr().String() + "/hooks//lcn/%2E%2E/a%2Fb?token=a%2Fb&x=1+2#frag")
	req := lcnRequest(ep)
	big := *req
	big.Body = bytes.Repeat([]byte("A=1&"), (writeBufferSize+100)/4)
	for _, r := range []*Request{req, &big} {
		if o := send(t, c, r); o.Result != Delivered {
			t.Fatalf("outcome %+v", o)
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for i, r := range srv.reqs {
		user, pw, _ := r.BasicAuth()
		if r.Method != http.MethodPost || r.Proto != "HTTP/1.1" || r.RequestURI != "/hooks//lcn/%2E%2E/a%2Fb?token=a%2Fb&x=1+2" ||
			r.Host != srv.ln.Addr().String() || r.UserAgent() != "lcngw/9.9.9 (Zürich)  X-Injected: 1" || user != "merchant" || pw != "s:cret" ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || r.Header.Get("X-Injected") != "" {
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
