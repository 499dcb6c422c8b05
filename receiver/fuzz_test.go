package receiver_test

import (
	"errors"
	"testing"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// FuzzMiddleware posts arbitrary bodies through both adapters (seeds:
// signed, tampered and malformed notifications in testdata). Neither may
// panic; both must answer alike; a receipt may only come for a body that
// verifies, and must then check out; a body that verifies and can be
// receipted must be accepted.
func FuzzMiddleware(f *testing.F) {
	cfg := receiver.Config{Secrets: [][]byte{testKey}, DisableDedupe: true, Now: fixedNow("20260101000000")}
	ads := adapters()
	httpDo := ads[1].build(cfg, ok)
	cfg.ReuseNotifications = true // both modes must answer alike
	fiberDo := ads[0].build(cfg, ok)
	f.Fuzz(func(t *testing.T, body []byte) {
		resp := httpDo(post(body))
		if fr := fiberDo(post(body)); fr != resp {
			t.Fatalf("adapters disagree:\nfiber   %+v\nnethttp %+v", fr, resp)
		}
		accepted := resp.status == 200
		if !accepted && (resp.status < 400 || resp.status >= 500 || hasReceipt(resp.body)) {
			t.Fatalf("rejection %d with body %q", resp.status, resp.body)
		}
		fs, verr := verifies(body)
		if accepted != (verr == nil) {
			t.Fatalf("status %d (%q), but verification says %v", resp.status, resp.body, verr)
		}
		if !accepted {
			return
		}
		kind := signer.DetectKind(fs)
		if _, err := signer.New(testKey).CheckReceipt([]byte(resp.body), kind, fs, signer.AllAlgorithms); err != nil {
			t.Fatalf("receipt %q does not check: %v", resp.body, err)
		}
	})
}

var errNoReceipt = errors.New("cannot be receipted")

// verifies is the reference: the body is accepted iff it parses, verifies
// under the default policy, and its kind and receipt fields are present.
func verifies(body []byte) (signer.Fields, error) {
	if len(body) > receiver.DefaultMaxBodySize {
		return nil, receiver.ErrBodyTooLarge
	}
	dec := signer.Decoder{MaxFields: receiver.DefaultMaxFields}
	fs, err := dec.Decode(body)
	if err != nil {
		return nil, err
	}
	s := signer.New(testKey)
	if _, err := s.Verify(fs, signer.Policy{}); err != nil {
		return nil, err
	}
	kind := signer.DetectKind(fs)
	if _, err := signer.AppendReceiptMessage(nil, kind, fs, "x"); err != nil {
		return nil, errNoReceipt
	}
	return fs, nil
}
