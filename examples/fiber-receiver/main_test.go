package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/lcngw/lcngw/signer"
)

// TestApp: the example answers the URL check, receipts a signed LCN and
// rejects a forged one.
func TestApp(t *testing.T) {
	key := []byte("example-secret")
	app := newApp(key, slog.New(slog.DiscardHandler))
	var fs signer.Fields
	fs.Add("LICENSE_CODE", "3C343D0FAF")
	fs.Add("EXPIRATION_DATE", "2027-01-01")
	fs.Add("DISPATCH_REASON", "LICENCE_CHANGE")
	fs.Add("MESSAGE_ID", "1")
	for _, tt := range []struct {
		method string
		body   []byte
		status int
	}{
		{"GET", nil, 200},
		{"POST", signer.New(key).AppendSignedForm(nil, fs, signer.AllAlgorithms), 200},
		{"POST", signer.New([]byte("forged")).AppendSignedForm(nil, fs, signer.AllAlgorithms), 403},
	} {
		resp, err := app.Test(httptest.NewRequest(tt.method, "/2checkout", bytes.NewReader(tt.body)))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: %d %q", tt.method, resp.StatusCode, body)
		}
		if tt.status == 200 && tt.method == "POST" {
			if _, err := signer.New(key).CheckReceipt(body, signer.KindLCN, fs, signer.AllAlgorithms); err != nil {
				t.Errorf("receipt %q: %v", body, err)
			}
		}
	}
}
