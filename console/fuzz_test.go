package console

import (
	"testing"
	"unicode/utf8"

	"github.com/segmentio/kafka-go"
)

func FuzzParseLetterID(f *testing.F) {
	for _, s := range []string{"0-0", "3-42", "-1-2", "1--2", "9999999999999999999-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseLetterID(s)
		if err != nil {
			return
		}
		if id.Partition < 0 || id.Offset < 0 {
			t.Fatalf("%q parsed as %+v", s, id)
		}
		if again, err := ParseLetterID(id.String()); err != nil || again != id {
			t.Fatalf("%+v does not round-trip: %+v %v", id, again, err)
		}
	})
}

func FuzzDeadLetterOf(f *testing.F) {
	f.Add("lcngw-reason", "status_410", []byte(`{"vendor_code":"M1"}`))
	f.Add("lcngw-failed-at", "not a time", []byte(`{`))
	f.Add("lcngw-detail", string(make([]byte, 2000)), []byte(nil))
	f.Fuzz(func(t *testing.T, key, value string, body []byte) {
		d := deadLetterOf(&kafka.Message{Value: body, Headers: []kafka.Header{{Key: key, Value: []byte(value)}}})
		for _, s := range []string{d.DeadKind, d.Kind, d.Merchant, d.Endpoint, d.MessageID, d.EventID, d.Reason, d.Detail} {
			if len(s) > maxText || (utf8.ValidString(value) && !utf8.ValidString(s)) {
				t.Fatalf("field %q: longer than %d or invalid UTF-8", s, maxText)
			}
		}
	})
}
