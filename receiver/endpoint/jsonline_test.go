package endpoint

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// encodeStd is the reference: encoding/json's Encoder, HTML escaping off,
// on NewRecord(n).
func encodeStd(n *receiver.Notification) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(NewRecord(n))
	return buf.Bytes(), err
}

// checkLine fails unless appendRecord writes what encoding/json writes,
// or both fail.
func checkLine(t *testing.T, n *receiver.Notification) {
	t.Helper()
	want, werr := encodeStd(n)
	got, err := appendRecord([]byte("prefix:"), n)
	if (err != nil) != (werr != nil) {
		t.Fatalf("error %v, encoding/json %v", err, werr)
	}
	if err == nil && string(got) != "prefix:"+string(want) {
		t.Fatalf("line\n%s\nencoding/json\n%s", got, want)
	}
}

func TestAppendRecordMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2026, 3, 10, 8, 15, 0, 123456789, time.FixedZone("GMT+2", 2*3600))
	tests := []struct {
		name   string
		fields signer.Fields
		at     time.Time
	}{
		{"plain", signer.Fields{{Name: "MESSAGE_ID", Values: []string{"42"}}}, at},
		{"array", signer.Fields{{Name: "IPN_PID", Values: []string{"1", "2"}, Array: true}}, at},
		{"empty values", signer.Fields{{Name: "", Values: []string{}}, {Name: "X", Values: []string{""}}}, at},
		{"nil values", signer.Fields{{Name: "X"}}, at},
		{"no fields", nil, at},
		{"quotes and controls", signer.Fields{{Name: `a"b\c`, Values: []string{"\x00\x01\b\f\n\r\t\x1f\x7f"}}}, at},
		{"html", signer.Fields{{Name: "<b>", Values: []string{"a&b<c>d"}}}, at},
		{"utf-8", signer.Fields{{Name: "NAME", Values: []string{"Jürgen Müller – Straße 日本 😀"}}}, at},
		{"invalid utf-8", signer.Fields{{Name: "\xff", Values: []string{"a\xc3", "\xe2\x80", "\xed\xa0\x80"}}}, at},
		{"line separators", signer.Fields{{Name: "LS", Values: []string{"a\u2028b\u2029c"}}}, at},
		{"whole second", signer.Fields{{Name: "X", Values: []string{"1"}}}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"year zero", nil, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"year 10000", nil, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"negative year", nil, time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, dup := range []bool{false, true} {
				checkLine(t, &receiver.Notification{Kind: signer.KindIPN, Fields: tt.fields, Algorithm: signer.SHA3256,
					MessageID: "123", VendorCode: "V\"1", Duplicate: dup, ReceivedAt: tt.at})
			}
		})
	}
}

// FuzzAppendRecord: for any fields, kind, algorithm and time, the JSON
// line is what encoding/json writes (seeds in testdata/fuzz).
func FuzzAppendRecord(f *testing.F) {
	f.Fuzz(func(t *testing.T, name, value, name2, value2 string, kind, alg uint8, array, dup bool, nanos int64) {
		fs := signer.Fields{
			{Name: name, Values: []string{value}, Array: array},
			{Name: name2, Values: []string{value2, value}, Array: true},
		}
		checkLine(t, &receiver.Notification{Kind: signer.Kind(kind), Fields: fs, Algorithm: signer.Algorithm(alg),
			MessageID: value, VendorCode: value2, Duplicate: dup, ReceivedAt: time.Unix(0, nanos)})
	})
}
