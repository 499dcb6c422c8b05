package delivery

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lcngw/lcngw/signer"
)

func TestSendPostsForm(t *testing.T) {
	type seen struct {
		method, ctype, ua, proto string
		body                     []byte
	}
	got := make(chan seen, 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.Header.Get("Content-Type"), r.Header.Get("User-Agent"), r.Proto, b}
		_, _ = io.WriteString(w, lcnReceiptMD5)
	})
	cfg := loopbackConfig()
	cfg.UserAgent = "lcngw/1.2.3"
	req := lcnRequest(testEndpoint(srv.URL + "/lcn"))
	o := send(t, NewClient(cfg), req)
	if o.Result != Delivered || o.Reason != ReasonOK || o.Attempts != 1 || o.Status != 200 {
		t.Fatalf("outcome = %+v", o)
	}
	s := <-got
	if s.method != http.MethodPost || s.ctype != "application/x-www-form-urlencoded" || s.ua != "lcngw/1.2.3" || s.proto != "HTTP/1.1" {
		t.Errorf("request = %s %q %q %s", s.method, s.ctype, s.ua, s.proto)
	}
	if !bytes.Equal(s.body, req.Body) {
		t.Errorf("body = %q, want %q", s.body, req.Body)
	}
	if !strings.HasPrefix(DefaultUserAgent(), "lcngw/") {
		t.Errorf("DefaultUserAgent() = %q", DefaultUserAgent())
	}
}

func TestSendReceipts(t *testing.T) {
	md5Only, sha256Only := signer.SetOf(signer.MD5), signer.SetOf(signer.SHA256)
	tests := []struct {
		name     string
		kind     signer.Kind
		body     string
		accept   signer.Algorithms
		optional bool
		result   Result
		reason   Reason
		alg      signer.Algorithm
	}{
		{"md5", signer.KindLCN, lcnReceiptMD5, 0, false, Delivered, ReasonOK, signer.MD5},
		{"sha256", signer.KindLCN, lcnReceiptSHA256, 0, false, Delivered, ReasonOK, signer.SHA256},
		{"sha3", signer.KindLCN, lcnReceiptSHA3, 0, false, Delivered, ReasonOK, signer.SHA3256},
		{"sha3 python spelling", signer.KindLCN, strings.Replace(lcnReceiptSHA3, "sha3-256", "sha3_256", 1), 0, false, Delivered, ReasonOK, signer.SHA3256},
		{"inside html", signer.KindLCN, "<html><body>OK\n" + lcnReceiptSHA256 + "\n</body></html>", 0, false, Delivered, ReasonOK, signer.SHA256},
		{"accepted algorithm", signer.KindLCN, lcnReceiptSHA256, sha256Only, false, Delivered, ReasonOK, signer.SHA256},
		{"kind detected", signer.KindUnknown, lcnReceiptMD5, 0, false, Delivered, ReasonOK, signer.MD5},
		{"ipn md5", signer.KindIPN, ipnReceiptMD5, 0, false, Delivered, ReasonOK, signer.MD5},
		{"absent", signer.KindLCN, "OK", 0, false, Retry, ReasonNoReceipt, 0},
		{"empty body", signer.KindLCN, "", 0, false, Retry, ReasonNoReceipt, 0},
		{"wrong hash", signer.KindLCN, strings.Replace(lcnReceiptMD5, "cb34", "cb35", 1), 0, false, Retry, ReasonBadReceipt, 0},
		{"wrong date", signer.KindLCN, strings.Replace(lcnReceiptMD5, "20081117145935", "20081117145936", 1), 0, false, Retry, ReasonBadReceipt, 0},
		{"other algorithm", signer.KindLCN, lcnReceiptSHA256, md5Only, false, Retry, ReasonBadReceipt, 0},
		{"ipn receipt for lcn", signer.KindLCN, ipnReceiptMD5, 0, false, Retry, ReasonBadReceipt, 0},
		{"optional absent", signer.KindLCN, "OK", 0, true, Delivered, ReasonOK, 0},
		{"optional wrong", signer.KindLCN, strings.Replace(lcnReceiptMD5, "cb34", "cb35", 1), 0, true, Delivered, ReasonOK, 0},
		{"optional valid", signer.KindLCN, lcnReceiptSHA3, 0, true, Delivered, ReasonOK, signer.SHA3256},
	}
	c := NewClient(loopbackConfig())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, answer(http.StatusOK, tt.body))
			ep := testEndpoint(srv.URL)
			ep.Receipt, ep.ReceiptOptional = tt.accept, tt.optional
			fs := lcnFields()
			if strings.HasPrefix(tt.name, "ipn") && tt.kind == signer.KindIPN {
				fs = ipnFields()
			}
			o := send(t, c, &Request{Endpoint: ep, Kind: tt.kind, Fields: fs, Body: []byte("x=1")})
			if o.Result != tt.result || o.Reason != tt.reason || o.Receipt.Algorithm != tt.alg || o.Status != 200 {
				t.Fatalf("outcome = %v/%s status %d receipt %v, want %v/%s %v (err %v)",
					o.Result, o.Reason, o.Status, o.Receipt.Algorithm, tt.result, tt.reason, tt.alg, o.Err)
			}
			if (o.Err == nil) != (tt.result == Delivered) {
				t.Errorf("err = %v", o.Err)
			}
		})
	}
}

func TestSendReceiptFieldsMissing(t *testing.T) {
	srv := newServer(t, answer(http.StatusOK, lcnReceiptMD5))
	var fs signer.Fields
	fs.Add("EXPIRATION_DATE", "2005-03-03")
	o := send(t, NewClient(loopbackConfig()), &Request{Endpoint: testEndpoint(srv.URL), Kind: signer.KindLCN, Fields: fs})
	if o.Result != Permanent || o.Reason != ReasonOther || !errors.Is(o.Err, signer.ErrReceiptFields) {
		t.Fatalf("outcome = %+v", o)
	}
}

func TestSendStatus(t *testing.T) {
	tests := []struct {
		status int
		result Result
		reason Reason
	}{
		{200, Retry, ReasonNoReceipt}, // no receipt in the body
		{202, Retry, ReasonNoReceipt},
		{204, Retry, ReasonNoReceipt},
		{300, Retry, ReasonStatus3xx},
		{301, Retry, ReasonStatus3xx},
		{302, Retry, ReasonStatus3xx},
		{303, Retry, ReasonStatus3xx},
		{304, Retry, ReasonStatus3xx},
		{307, Retry, ReasonStatus3xx},
		{308, Retry, ReasonStatus3xx},
		{400, Retry, ReasonStatus4xx},
		{401, Retry, ReasonStatus4xx},
		{403, Retry, ReasonStatus4xx},
		{404, Retry, ReasonStatus4xx},
		{405, Retry, ReasonStatus4xx},
		{408, Retry, ReasonStatus4xx},
		{409, Retry, ReasonStatus4xx},
		{410, Permanent, ReasonGone},
		{413, Retry, ReasonStatus4xx},
		{422, Retry, ReasonStatus4xx},
		{429, Retry, ReasonStatus429},
		{451, Retry, ReasonStatus4xx},
		{499, Retry, ReasonStatus4xx},
		{500, Retry, ReasonStatus5xx},
		{501, Retry, ReasonStatus5xx},
		{502, Retry, ReasonStatus5xx},
		{503, Retry, ReasonStatus5xx},
		{504, Retry, ReasonStatus5xx},
		{599, Retry, ReasonStatus5xx},
		{600, Retry, ReasonOther},
	}
	c := NewClient(loopbackConfig())
	for _, tt := range tests {
		srv := newServer(t, answer(tt.status, "nope"))
		o := send(t, c, lcnRequest(testEndpoint(srv.URL)))
		if o.Result != tt.result || o.Reason != tt.reason || o.Status != tt.status || o.Attempts != 1 || o.RetryAfter != 0 {
			t.Errorf("status %d: outcome = %v/%s status %d attempts %d, want %v/%s", tt.status, o.Result, o.Reason, o.Status, o.Attempts, tt.result, tt.reason)
		}
		if tt.status >= 300 {
			if se, ok := errors.AsType[*StatusError](o.Err); !ok || se.Code != tt.status {
				t.Errorf("status %d: err = %v", tt.status, o.Err)
			}
		}
	}
}

func TestSendRedirectNotFollowed(t *testing.T) {
	var hits atomic.Int64
	target := newServer(t, counted(&hits, answer(http.StatusOK, lcnReceiptMD5)))
	for _, code := range []int{301, 302, 303, 307, 308} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/moved", code)
		})
		o := send(t, NewClient(loopbackConfig()), lcnRequest(testEndpoint(srv.URL)))
		if o.Result != Retry || o.Reason != ReasonStatus3xx || o.Status != code {
			t.Errorf("%d: outcome = %+v", code, o)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("redirect target hit %d times", hits.Load())
	}
}

func TestSendInvalidRequest(t *testing.T) {
	c := NewClient(loopbackConfig())
	for _, u := range []string{"", "ftp://example.com/x?key=hunter2", "example.com/x?key=hunter2", "http://", "http://[::1/x?key=hunter2", "mailto:a@example.com"} {
		o := send(t, c, lcnRequest(testEndpoint(u)))
		if o.Result != Permanent || o.Reason != ReasonOther || o.Attempts != 0 || o.Err == nil {
			t.Errorf("%q: outcome = %+v", u, o)
		}
		if o.Err != nil && strings.Contains(o.Err.Error(), "hunter2") {
			t.Errorf("%q: error leaks the URL: %v", u, o.Err)
		}
	}
	if o := send(t, c, &Request{}); o.Result != Permanent || o.Reason != ReasonOther {
		t.Errorf("no endpoint: %+v", o)
	}
}

func TestSendKeyChange(t *testing.T) {
	srv := newServer(t, answer(http.StatusOK, lcnReceiptMD5))
	c := NewClient(loopbackConfig())
	ep := testEndpoint(srv.URL)
	if o := send(t, c, lcnRequest(ep)); o.Result != Delivered {
		t.Fatalf("first key: %+v", o)
	}
	// The merchant rotated its key: the old receipt no longer verifies.
	ep2 := *ep
	ep2.Key = []byte("another key")
	if o := send(t, c, lcnRequest(&ep2)); o.Reason != ReasonBadReceipt {
		t.Fatalf("rotated key: %+v", o)
	}
}

func TestResultString(t *testing.T) {
	for r, want := range map[Result]string{Delivered: "delivered", Retry: "retry", Permanent: "permanent", 0: "unknown"} {
		if r.String() != want {
			t.Errorf("%d.String() = %q", r, r.String())
		}
	}
}
