package receiver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// TestReceiptFollowsHandlerBody: a handler's own body is kept and the
// receipt follows it; the receipt is still valid.
func TestReceiptFollowsHandlerBody(t *testing.T) {
	fs := lcnFields("1")
	for _, a := range adapters() {
		t.Run(a.name, func(t *testing.T) {
			var got *receiver.Notification
			do := a.build(receiver.Config{Secrets: [][]byte{testKey}}, func(n *receiver.Notification) int { got = n; return 202 })
			resp := do(post(sign(testKey, fs, signer.AllAlgorithms)))
			if !strings.HasPrefix(resp.body, "Accepted") || !strings.HasSuffix(resp.body, got.Receipt()) {
				t.Fatalf("body = %q", resp.body)
			}
			if _, err := signer.New(testKey).CheckReceipt([]byte(resp.body), signer.KindLCN, fs, signer.AllAlgorithms); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestNotificationOutlivesRequest: the fields handed to the application
// are copies; later requests (which reuse the frameworks' and decoders'
// buffers) do not change them. With ReuseNotifications the application
// keeps a Clone.
func TestNotificationOutlivesRequest(t *testing.T) {
	for _, a := range adapters() {
		for _, reuse := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/reuse=%v", a.name, reuse), func(t *testing.T) {
				var kept []*receiver.Notification
				var ids []string
				do := a.build(receiver.Config{Secrets: [][]byte{testKey}, ReuseNotifications: reuse}, func(n *receiver.Notification) int {
					ids = append(ids, strings.Clone(n.MessageID)) // read during the handler: always valid
					if reuse {
						n = n.Clone()
					}
					kept = append(kept, n)
					return 0
				})
				var sent []signer.Fields
				for i := range 20 {
					fs := lcnFields(strings.Repeat("9", i+1))
					fs.Set("FIRST_NAME", strings.Repeat(string(rune('a'+i)), 10+i))
					sent = append(sent, fs)
					body := sign(testKey, fs, signer.AllAlgorithms)
					if resp := do(post(body)); resp.status != 200 || !hasReceipt(resp.body) {
						t.Fatalf("status %d %q", resp.status, resp.body)
					}
					clear(body) // the caller's buffer is gone too
				}
				for i, n := range kept {
					want, _ := sent[i].Get("MESSAGE_ID")
					if string(signer.AppendMessage(nil, n.Fields)) != string(signer.AppendMessage(nil, sent[i])) ||
						n.MessageID != want || ids[i] != want || n.Receipt() == "" {
						t.Errorf("notification %d changed after its request", i)
					}
				}
			})
		}
	}
}

// TestLargeOrderAccepted: the default limits leave room for an order of
// 300 products with 30 per-product arrays (9000 pairs).
func TestLargeOrderAccepted(t *testing.T) {
	var fs signer.Fields
	fs.Add("REFNO", "123456789")
	for a := range 30 {
		vals := make([]string, 300)
		for i := range vals {
			vals[i] = fmt.Sprintf("value %d of product %d", a, i)
		}
		name := fmt.Sprintf("IPN_ARRAY_%02d", a)
		switch a {
		case 0:
			name = "IPN_PID"
		case 1:
			name = "IPN_PNAME"
		}
		fs.AddArray(name, vals...)
	}
	fs.Add("IPN_DATE", "20240101120000")
	body := sign(testKey, fs, signer.AllAlgorithms)
	for _, a := range adapters() {
		t.Run(a.name, func(t *testing.T) {
			var got *receiver.Notification
			do := a.build(receiver.Config{Secrets: [][]byte{testKey}}, func(n *receiver.Notification) int { got = n; return 0 })
			if resp := do(post(body)); resp.status != 200 || got == nil || len(got.Fields.Values("IPN_PNAME")) != 300 {
				t.Fatalf("%d bytes: status %d %q", len(body), resp.status, resp.body)
			}
		})
	}
}
