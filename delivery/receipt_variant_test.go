package delivery

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"

	"github.com/lcngw/lcngw/signer"
)

// TestSendSDKReceipt: an endpoint answering the receipt the Ruby SDK
// computes for a product name with an en dash (character counts) delivers
// by default, reported with its variant, and is retried as bad_receipt when
// the endpoint accepts only the documented rule.
func TestSendSDKReceipt(t *testing.T) {
	var fs signer.Fields
	fs.AddArray("IPN_PID", "1")
	fs.AddArray("IPN_PNAME", "Analytics – monthly") // 19 characters, 21 bytes
	fs.Add("IPN_DATE", "20050303123434")
	m := hmac.New(sha256.New, vectorKey)
	m.Write([]byte("1119Analytics – monthly14200503031234341420050303123500"))
	body := `<sig algo="sha256" date="20050303123500">` + hex.EncodeToString(m.Sum(nil)) + `</sig>`
	srv := newServer(t, answer(http.StatusOK, body))
	c := NewClient(loopbackConfig())
	for _, strict := range []bool{false, true} {
		ep := testEndpoint(srv.URL)
		ep.ReceiptStandardOnly = strict
		o := send(t, c, &Request{Endpoint: ep, Kind: signer.KindIPN, Fields: fs, Body: []byte("x=1")})
		switch {
		case !strict && (o.Result != Delivered || o.Receipt.Variant != signer.ReceiptCodePoints):
			t.Errorf("default: %v/%s variant %s (%v)", o.Result, o.Reason, o.Receipt.Variant, o.Err)
		case strict && (o.Result != Retry || o.Reason != ReasonBadReceipt):
			t.Errorf("standard only: %v/%s (%v)", o.Result, o.Reason, o.Err)
		}
	}
}
