package receiver_test

import (
	"slices"
	"testing"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// TestSpecVectors sends the protocol notes' signed notifications (§8.2 D4,
// D5, with their published signatures) and LCN receipt fields (§8.1 V5/D2)
// through both adapters and checks the exact receipts of §8.1.
func TestSpecVectors(t *testing.T) {
	v5 := signer.Fields{}
	v5.Add("LICENSE_CODE", "3C343D0FAF")
	v5.Add("EXPIRATION_DATE", "2005-03-03")
	tests := []struct {
		name    string
		body    []byte
		now     string
		policy  signer.Policy
		format  templates.ReceiptFormat
		kind    signer.Kind
		alg     signer.Algorithm
		receipt string // exact receipt; "" = checked with CheckReceipt only
	}{
		{name: "D5 all three, SHA3 receipt (D5 receipt vector)", body: withSigs(d5Body, d5Sigs), now: "20240101120005",
			kind: signer.KindIPN, alg: signer.SHA3256,
			receipt: `<sig algo="sha3-256" date="20240101120005">13b357baf57bde2e49de2f366d1c478bceece0d88146ab1dffff540a4e020bc2</sig>`},
		{name: "D5 without SHA3, SHA-256 receipt", body: []byte(d5Body + "&HASH=" + d5Sigs[0] + "&SIGNATURE_SHA2_256=" + d5Sigs[1]),
			now: "20240101120005", kind: signer.KindIPN, alg: signer.SHA256,
			receipt: `<sig algo="sha256" date="20240101120005">5ea578fa52c2a162f241504783a5ab38ca50cd03393242d7faa137d23a24fc90</sig>`},
		{name: "D5 MD5 only when allowed, EPAYMENT receipt", body: []byte(d5Body + "&HASH=" + d5Sigs[0]),
			now: "20240101120005", policy: signer.Policy{AllowMD5Only: true}, kind: signer.KindIPN, alg: signer.MD5,
			receipt: `<EPAYMENT>20240101120005|c8157931665a2fdf8e3bc8693c95573b</EPAYMENT>`},
		{name: "D5, fixed EPAYMENT receipt format", body: withSigs(d5Body, d5Sigs), now: "20240101120005",
			format: templates.ReceiptEPayment, kind: signer.KindIPN, alg: signer.SHA3256,
			receipt: `<EPAYMENT>20240101120005|c8157931665a2fdf8e3bc8693c95573b</EPAYMENT>`},
		{name: "D5, fixed sha256 receipt format", body: withSigs(d5Body, d5Sigs), now: "20240101120005",
			format: templates.ReceiptSHA256, kind: signer.KindIPN, alg: signer.SHA3256,
			receipt: `<sig algo="sha256" date="20240101120005">5ea578fa52c2a162f241504783a5ab38ca50cd03393242d7faa137d23a24fc90</sig>`},
		{name: "D4 UTF-8 lengths", body: withSigs("FIRST_NAME=J%C3%BCrgen&LAST_NAME=M%C3%BCller&COMPANY=&EMAIL=jm%40example.com&LICENSE_CODE=3C343D0FAF&EXPIRATION_DATE=2025-03-03&DISPATCH_REASON=LICENCE_CHANGE", d4Sigs),
			now: "20240101120005", kind: signer.KindLCN, alg: signer.SHA3256},
		{name: "V5 LCN, SHA3 receipt (D2 vector)", body: sign([]byte(docKey), v5, signer.AllAlgorithms), now: "20081117145935",
			kind: signer.KindLCN, alg: signer.SHA3256,
			receipt: `<sig algo="sha3-256" date="20081117145935">7fc19d21103ea56f1b413315fb3feb5fbdd137758623a73c7ed12d9bb84f21db</sig>`},
		{name: "V5 LCN, MD5 only when allowed (V5 vector)", body: sign([]byte(docKey), v5, signer.SetOf(signer.MD5)), now: "20081117145935",
			policy: signer.Policy{AllowMD5Only: true}, kind: signer.KindLCN, alg: signer.MD5,
			receipt: `<EPAYMENT>20081117145935|cb34fe2991668eb82364edf62f845a34</EPAYMENT>`},
	}
	for _, a := range adapters() {
		for _, tt := range tests {
			t.Run(a.name+"/"+tt.name, func(t *testing.T) {
				var got *receiver.Notification
				do := a.build(receiver.Config{Secrets: [][]byte{[]byte(docKey)}, Policy: tt.policy,
					ReceiptFormat: tt.format, Now: fixedNow(tt.now)},
					func(n *receiver.Notification) int { got = n; return 0 })
				resp := do(post(tt.body))
				if resp.status != 200 || resp.contentType != "text/html; charset=utf-8" {
					t.Fatalf("status %d, Content-Type %q, body %q", resp.status, resp.contentType, resp.body)
				}
				if tt.receipt != "" && resp.body != tt.receipt {
					t.Errorf("receipt\n got %s\nwant %s", resp.body, tt.receipt)
				}
				if got == nil || got.Kind != tt.kind || got.Algorithm != tt.alg {
					t.Fatalf("notification = %+v, want kind %s, algorithm %s", got, tt.kind, tt.alg)
				}
				r, err := signer.New([]byte(docKey)).CheckReceipt([]byte(resp.body), got.Kind, got.Fields, signer.AllAlgorithms)
				if want, _ := tt.format.Choose(got.Verified); err != nil || r.Algorithm != want || r.Date != tt.now {
					t.Errorf("CheckReceipt = %+v, %v", r, err)
				}
			})
		}
	}
}

// TestPlatformPayload re-signs the real platform IPN (§8.3, unpublished
// key) with a test key and checks the notification handed to the
// application: every field, in order, owned, with its identifiers.
func TestPlatformPayload(t *testing.T) {
	fs := platformFields(t)
	body := sign(testKey, fs, signer.AllAlgorithms)
	for _, a := range adapters() {
		t.Run(a.name, func(t *testing.T) {
			var got *receiver.Notification
			do := a.build(receiver.Config{Secrets: [][]byte{testKey}}, func(n *receiver.Notification) int { got = n; return 0 })
			resp := do(post(slices.Clone(body)))
			if resp.status != 200 || got == nil {
				t.Fatalf("status %d body %q", resp.status, resp.body)
			}
			if got.Kind != signer.KindIPN || got.MessageID != "254498854202" || got.VendorCode != "250111206876" ||
				got.Verified != signer.AllAlgorithms || got.Algorithm != signer.SHA3256 || got.Duplicate {
				t.Errorf("notification header = %+v", got)
			}
			if msg, want := signer.AppendMessage(nil, got.Fields), signer.AppendMessage(nil, fs); string(msg) != string(want) {
				t.Errorf("fields differ from what was sent")
			}
			if len(signer.AppendMessage(nil, fs)) != 787 {
				t.Errorf("platform message is %d bytes, the notes say 787", len(signer.AppendMessage(nil, fs)))
			}
			if _, err := signer.New(testKey).CheckReceipt([]byte(resp.body), signer.KindIPN, got.Fields, signer.SetOf(signer.SHA3256)); err != nil {
				t.Errorf("CheckReceipt: %v", err)
			}
		})
	}
}
