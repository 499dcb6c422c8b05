package receiver_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

var (
	oldKey = []byte("old-secret-key-before-rotation")
	newKey = []byte("new-secret-key-after-rotation!")
)

func withField(fs signer.Fields, name, value string) signer.Fields {
	fs = fs.Clone()
	fs.Set(name, value)
	return fs
}

func without(fs signer.Fields, name string) signer.Fields {
	var out signer.Fields
	for _, f := range fs {
		if f.Name != name {
			out = append(out, f)
		}
	}
	return out
}

// TestMiddlewareBehaviour runs every rule of the package documentation
// through both adapters with the same expectations.
func TestMiddlewareBehaviour(t *testing.T) {
	lcn := lcnFields("1001")
	good := sign(testKey, lcn, signer.AllAlgorithms)
	req := func(method string, body []byte, hdr ...string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(method, "/any/path", bytes.NewReader(body))
			for i := 0; i+1 < len(hdr); i += 2 {
				r.Header.Set(hdr[i], hdr[i+1])
			}
			return r
		}
	}
	noKind := signer.Fields{}
	noKind.Add("VENDOR_CODE", "250111206876")
	noKind.Add("MESSAGE_ID", "7")
	tests := []struct {
		name    string
		cfg     func(*receiver.Config)
		req     func() *http.Request
		app     int    // status the application answers (0: writes nothing)
		status  int    // expected status
		reason  string // expected exact body of a rejection
		receipt bool
		calls   int
	}{
		{name: "GET is the URL check", req: req("GET", nil), status: 200, reason: "OK"},
		{name: "HEAD", req: req("HEAD", nil), status: 200},
		{name: "PUT not allowed", req: req("PUT", good), status: 405, reason: "method not allowed"},
		{name: "DELETE not allowed", req: req("DELETE", nil), status: 405, reason: "method not allowed"},
		{name: "valid", req: req("POST", good), status: 200, receipt: true, calls: 1},
		{name: "no Content-Type tolerated", req: req("POST", good), status: 200, receipt: true, calls: 1},
		{name: "text/plain tolerated", req: req("POST", good, "Content-Type", "text/plain"), status: 200, receipt: true, calls: 1},
		{name: "identity encoding", req: req("POST", good, "Content-Encoding", "identity"), status: 200, receipt: true, calls: 1},
		{name: "gzip refused", req: req("POST", good, "Content-Encoding", "gzip"), status: 415, reason: "unsupported content encoding"},
		{name: "over the size limit", cfg: func(c *receiver.Config) { c.MaxBodySize = 64 }, req: req("POST", good), status: 413, reason: "request body too large"},
		{name: "too many fields", cfg: func(c *receiver.Config) { c.MaxFields = 3 }, req: req("POST", good), status: 400, reason: "malformed notification"},
		{name: "bad percent-encoding", req: req("POST", []byte("LICENSE_CODE=%ZZ")), status: 400, reason: "malformed notification"},
		{name: "scalar and array mixed", req: req("POST", []byte("A=1&A%5B%5D=2")), status: 400, reason: "malformed notification"},
		{name: "empty body", req: req("POST", nil), status: 403, reason: "signature missing"},
		{name: "no signature", req: req("POST", signer.AppendForm(nil, lcn)), status: 403, reason: "signature missing"},
		{name: "wrong key", req: req("POST", sign([]byte("wrong"), lcn, signer.AllAlgorithms)), status: 403, reason: "invalid signature"},
		{name: "MD5 only refused", req: req("POST", sign(testKey, lcn, signer.SetOf(signer.MD5))), status: 403, reason: "MD5-only signature rejected"},
		{name: "MD5 only allowed", cfg: func(c *receiver.Config) { c.Policy.AllowMD5Only = true },
			req: req("POST", sign(testKey, lcn, signer.SetOf(signer.MD5))), status: 200, receipt: true, calls: 1},
		{name: "required SHA3 missing", cfg: func(c *receiver.Config) { c.Policy.Require = signer.SetOf(signer.SHA3256) },
			req: req("POST", sign(testKey, lcn, signer.SetOf(signer.MD5, signer.SHA256))), status: 403, reason: "required signature missing"},
		{name: "valid SHA3 cannot hide a bad SHA2", req: req("POST", setSig(good, signer.FieldSHA2, strings.Repeat("0", 64))),
			status: 403, reason: "invalid signature"},
		{name: "signature sent as array", req: req("POST", []byte(strings.Replace(string(good), "HASH=", "HASH%5B%5D=", 1))), status: 403, reason: "invalid signature"},
		{name: "upper-case hex accepted", req: req("POST", upperHex(good)), status: 200, receipt: true, calls: 1},
		{name: "neither IPN nor LCN", req: req("POST", sign(testKey, noKind, signer.AllAlgorithms)), status: 400, reason: "not an IPN or LCN notification"},
		{name: "LCN without EXPIRATION_DATE", req: req("POST", sign(testKey, without(lcn, "EXPIRATION_DATE"), signer.AllAlgorithms)),
			status: 400, reason: "not an IPN or LCN notification"},
		{name: "application fails", app: 500, req: req("POST", good), status: 500, calls: 1},
		{name: "application answers 404", app: 404, req: req("POST", good), status: 404, calls: 1},
		{name: "application writes a body", app: 200, req: req("POST", good), status: 200, receipt: true, calls: 1},
		{name: "rotation: old key", cfg: func(c *receiver.Config) { c.Secrets = [][]byte{newKey, oldKey} },
			req: req("POST", sign(oldKey, lcn, signer.AllAlgorithms)), status: 200, receipt: true, calls: 1},
		{name: "rotation: new key", cfg: func(c *receiver.Config) { c.Secrets = [][]byte{newKey, oldKey} },
			req: req("POST", sign(newKey, lcn, signer.AllAlgorithms)), status: 200, receipt: true, calls: 1},
		{name: "rotation: retired key", cfg: func(c *receiver.Config) { c.Secrets = [][]byte{newKey} },
			req: req("POST", sign(oldKey, lcn, signer.AllAlgorithms)), status: 403, reason: "invalid signature"},
		{name: "per-vendor key", cfg: vendorKeys, req: req("POST", sign(newKey, lcn, signer.AllAlgorithms)), status: 200, receipt: true, calls: 1},
		{name: "per-vendor key of another vendor", cfg: vendorKeys, req: req("POST", sign(oldKey, lcn, signer.AllAlgorithms)), status: 403, reason: "invalid signature"},
		{name: "unknown vendor", cfg: vendorKeys, req: req("POST", sign(newKey, withField(lcn, "VENDOR_CODE", "999"), signer.AllAlgorithms)),
			status: 403, reason: "unknown vendor code"},
	}
	for _, a := range adapters() {
		for _, tt := range tests {
			t.Run(a.name+"/"+tt.name, func(t *testing.T) {
				cfg := receiver.Config{Secrets: [][]byte{testKey}}
				if tt.cfg != nil {
					tt.cfg(&cfg)
				}
				calls := 0
				do := a.build(cfg, func(n *receiver.Notification) int {
					if n == nil {
						t.Error("application called without a notification")
					}
					calls++
					return tt.app
				})
				resp := do(tt.req())
				if resp.status != tt.status {
					t.Errorf("status = %d, want %d (body %q)", resp.status, tt.status, resp.body)
				}
				if tt.reason != "" && resp.body != tt.reason {
					t.Errorf("body = %q, want %q", resp.body, tt.reason)
				}
				if hasReceipt(resp.body) != tt.receipt {
					t.Errorf("receipt in body = %v, want %v: %q", !tt.receipt, tt.receipt, resp.body)
				}
				if calls != tt.calls {
					t.Errorf("application called %d times, want %d", calls, tt.calls)
				}
				if tt.status == 405 && resp.allow != "GET, HEAD, POST" {
					t.Errorf("Allow = %q", resp.allow)
				}
				if tt.reason != "" && tt.status >= 400 && !strings.HasPrefix(resp.contentType, "text/plain") {
					t.Errorf("rejection Content-Type = %q", resp.contentType)
				}
			})
		}
	}
}

func vendorKeys(c *receiver.Config) {
	c.Secrets = nil
	c.Keys = receiver.KeyMap(map[string][][]byte{
		"250111206876": {newKey},
		"111":          {oldKey},
	}, nil)
}

// setSig replaces the value of one signature field of a form body.
func setSig(body []byte, field, value string) []byte {
	parts := strings.Split(string(body), "&")
	for i, p := range parts {
		if name, _, _ := strings.Cut(p, "="); name == field {
			parts[i] = name + "=" + value
		}
	}
	return []byte(strings.Join(parts, "&"))
}

// upperHex upper-cases the hex of the signature fields (the platform
// compares case-insensitively).
func upperHex(body []byte) []byte {
	parts := strings.Split(string(body), "&")
	for i, p := range parts {
		name, val, _ := strings.Cut(p, "=")
		if signer.IsSignatureField(name) {
			parts[i] = name + "=" + strings.ToUpper(val)
		}
	}
	return []byte(strings.Join(parts, "&"))
}

// TestMissingKeysPanics: a middleware without keys is a programming error.
func TestMissingKeysPanics(t *testing.T) {
	for name, build := range map[string]func(){
		"fiber":   func() { receiver.New() },
		"nethttp": func() { receiver.Middleware(receiver.Config{Secrets: [][]byte{nil}}) },
		"format":  func() { receiver.New(receiver.Config{Secrets: [][]byte{testKey}, ReceiptFormat: 9}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			build()
		})
	}
}
