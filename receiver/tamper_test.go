package receiver_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// rejections is every text a rejected notification may be answered with.
var rejections = []string{"signature missing", "required signature missing", "MD5-only signature rejected",
	"invalid signature", "malformed notification", "request body too large", "not an IPN or LCN notification",
	"unknown vendor code"}

// checkRejected fails unless resp is a 4xx with a fixed reason and no receipt.
func checkRejected(t *testing.T, what string, resp response) {
	t.Helper()
	if resp.status < 400 || resp.status >= 500 || hasReceipt(resp.body) {
		t.Errorf("%s: status %d, body %q", what, resp.status, resp.body)
		return
	}
	if resp.status != 413 && !slices.Contains(rejections, resp.body) {
		t.Errorf("%s: unexpected body %q", what, resp.body)
	}
}

func otherSHA3() string {
	sigs := signer.New(testKey).Sign(lcnFields("1"), signer.AllAlgorithms)
	return sigs.Hex(signer.SHA3256)
}

// swapFields swaps the i-th and j-th name=value pairs of a form body.
func swapFields(body []byte, i, j int) []byte {
	parts := strings.Split(string(body), "&")
	parts[i], parts[j] = parts[j], parts[i]
	return []byte(strings.Join(parts, "&"))
}

// dropField removes the i-th pair.
func dropField(body []byte, i int) []byte {
	parts := strings.Split(string(body), "&")
	return []byte(strings.Join(slices.Delete(parts, i, i+1), "&"))
}

func stripSigs(body []byte, names ...string) []byte {
	parts := strings.Split(string(body), "&")
	parts = slices.DeleteFunc(parts, func(p string) bool {
		name, _, _ := strings.Cut(p, "=")
		return slices.Contains(names, name)
	})
	return []byte(strings.Join(parts, "&"))
}

// TestTampering: every tampered variant of a real signed notification is
// rejected with a 4xx, a fixed reason and no receipt, by both adapters.
func TestTampering(t *testing.T) {
	fs := platformFields(t)
	body := sign(testKey, fs, signer.AllAlgorithms)
	n := bytes.Count(body, []byte("&")) + 1
	d5 := withSigs(d5Body, d5Sigs)
	cases := map[string][]byte{
		"wrong key":                 sign([]byte("not-the-key"), fs, signer.AllAlgorithms),
		"empty body":                {},
		"10 MB body":                bytes.Repeat([]byte("A=B&"), 10<<20/4),
		"SHA signatures stripped":   stripSigs(body, signer.FieldSHA2, signer.FieldSHA3),
		"every signature stripped":  stripSigs(body, signer.FieldHash, signer.FieldSHA2, signer.FieldSHA3),
		"bad percent-encoding":      bytes.Replace(body, []byte("%3A"), []byte("%3G"), 1),
		"truncated escape at end":   append(slices.Clone(body), "&X=%4"...),
		"field added":               append([]byte("EXTRA=1&"), body...),
		"scalar repeated":           append([]byte("REFNO=1&"), body...),
		"two fields swapped":        swapFields(body, 3, 8),
		"adjacent fields swapped":   swapFields(body, 0, 1),
		"array elements swapped":    bytes.Replace(d5, []byte("Plan+A&IPN_PNAME%5B%5D=Plan+B"), []byte("Plan+B&IPN_PNAME%5B%5D=Plan+A"), 1),
		"truncated":                 body[:len(body)/2],
		"signature of another body": append(signer.AppendForm(nil, withField(fs, "REFNO", "999")), body[bytes.Index(body, []byte("&HASH=")):]...),
		"SHA3 of another body":      setSig(body, signer.FieldSHA3, otherSHA3()),
		"conflicting SHA3 appended": append(slices.Clone(body), "&SIGNATURE_SHA3_256="+otherSHA3()...),
	}
	for i := range n - 3 {
		cases["field dropped #"+itoa(i)] = dropField(body, i)
	}
	for _, a := range adapters() {
		do := a.build(receiver.Config{Secrets: [][]byte{testKey, []byte(docKey)}}, ok)
		t.Run(a.name, func(t *testing.T) {
			if resp := do(post(body)); resp.status != 200 || !hasReceipt(resp.body) {
				t.Fatalf("untampered body rejected: %d %q", resp.status, resp.body)
			}
			for name, b := range cases {
				checkRejected(t, name, do(post(b)))
			}
		})
	}
}

// TestEveryByteChanged changes each byte of a real signed notification in
// turn. The protocol signs values only, in order, not field names: so a
// byte of a value, of a signature field or of a separator must be
// rejected, while a change confined to a name (including the '=' before an
// empty value) may verify — and then every signed value must be exactly
// what was sent, still under a verified SHA3-256 signature (renaming
// SIGNATURE_SHA2_256 to SIGNATURE_SHA3_256 merely drops the SHA-256
// signature). The test counts both.
func TestEveryByteChanged(t *testing.T) {
	fs := platformFields(t)
	body := sign(testKey, fs, signer.AllAlgorithms)
	want := string(signer.AppendMessage(nil, fs))
	nameOnly := nameOnlyBytes(body)
	for _, a := range adapters() {
		t.Run(a.name, func(t *testing.T) {
			var got *receiver.Notification
			// Every variant carries the same MESSAGE_ID: dedupe is off so that
			// each accepted one reaches the application and is checked.
			do := a.build(receiver.Config{Secrets: [][]byte{testKey}, DisableDedupe: true},
				func(n *receiver.Notification) int { got = n; return 0 })
			renamed := 0
			for i := range body {
				b := slices.Clone(body)
				b[i] = changeByte(b[i])
				got = nil
				resp := do(post(b))
				if resp.status == 200 && nameOnly[i] {
					if got == nil || string(signer.AppendMessage(nil, got.Fields)) != want || got.Algorithm != signer.SHA3256 {
						t.Errorf("byte %d: accepted with changed values", i)
					}
					renamed++
					continue
				}
				checkRejected(t, "byte "+itoa(i)+" ("+string(body[i])+")", resp)
			}
			t.Logf("%d bytes: %d rejected, %d (in names only) accepted with identical values", len(body), len(body)-renamed, renamed)
		})
	}
}

// changeByte returns a different byte: hex digits become another digit
// value (case changes would be no change to a hex signature).
func changeByte(c byte) byte {
	const hex = "0123456789abcdef"
	if i := strings.IndexByte(hex, c|0x20); i >= 0 && (c < 'A' || c > 'Z' || i >= 10) {
		return hex[(i+1)%16]
	}
	return c ^ 0x01
}

// nameOnlyBytes marks the bytes of a body a change to which can leave
// every signed value intact: those of field names, and the '=' that
// precedes an empty value.
func nameOnlyBytes(body []byte) []bool {
	out := make([]bool, len(body))
	start := 0
	for _, pair := range bytes.Split(body, []byte("&")) {
		name, value, _ := bytes.Cut(pair, []byte("="))
		for i := range name {
			out[start+i] = true
		}
		if len(value) == 0 && len(name) < len(pair) {
			out[start+len(name)] = true
		}
		start += len(pair) + 1
	}
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
