package attemptlog

import (
	"encoding/json"
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	r := sampleRecord()
	f.Add(r.AppendJSON(nil))
	f.Add([]byte(`{"merchant":"M","endpoint":"e","message_id":"m","time":"2026-12-07T00:00:00Z"}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Parse(b)
		if err != nil {
			return
		}
		again, err := Parse(r.AppendJSON(nil))
		if err != nil {
			t.Fatalf("re-encoded record does not parse: %v", err)
		}
		if again.MessageID != r.MessageID || again.Merchant != r.Merchant || again.Attempt != r.Attempt {
			t.Fatalf("round trip changed %+v into %+v", r, again)
		}
	})
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("M", "e", "m", "AD42", 1, int64(5))
	f.Add("\xff\"", "\x00", "\u2028", "é", -1, int64(-3))
	f.Fuzz(func(t *testing.T, merchant, endpoint, id, key string, attempt int, us int64) {
		r := Record{Merchant: merchant, Endpoint: endpoint, MessageID: id, Key: key, Attempt: attempt,
			Duration: time.Duration(us) * time.Microsecond, Time: time.Unix(1, 0)}
		b := r.AppendJSON(nil)
		if !json.Valid(b) {
			t.Fatalf("invalid JSON %q", b)
		}
	})
}
