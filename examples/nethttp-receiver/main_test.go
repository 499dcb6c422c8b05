package main

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/lcngw/lcngw/signer"
)

// TestHandler: the example answers the URL check, receipts a signed IPN
// and rejects a forged one.
func TestHandler(t *testing.T) {
	key := []byte("example-secret")
	h := newHandler(key, slog.New(slog.DiscardHandler))
	var fs signer.Fields
	fs.Add("REFNO", "123")
	fs.Add("ORDERSTATUS", "COMPLETE")
	fs.AddArray("IPN_PID", "1")
	fs.AddArray("IPN_PNAME", "Software program")
	fs.Add("IPN_DATE", "20050303123434")
	for _, tt := range []struct {
		method string
		body   []byte
		status int
	}{
		{"GET", nil, 200},
		{"POST", signer.New(key).AppendSignedForm(nil, fs, signer.AllAlgorithms), 200},
		{"POST", signer.New([]byte("forged")).AppendSignedForm(nil, fs, signer.AllAlgorithms), 403},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, "/2checkout", bytes.NewReader(tt.body)))
		if rec.Code != tt.status {
			t.Errorf("%s: %d %q", tt.method, rec.Code, rec.Body)
		}
		if tt.status == 200 && tt.method == "POST" {
			if _, err := signer.New(key).CheckReceipt(rec.Body.Bytes(), signer.KindIPN, fs, signer.AllAlgorithms); err != nil {
				t.Errorf("receipt %q: %v", rec.Body, err)
			}
		}
	}
}
