package param

import (
	"bytes"
	"reflect"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// MaxEventBytes bounds the size of one JSON event. Larger inputs are rejected
// before parsing (reason too_long).
const MaxEventBytes = 1 << 20

// Timestamp is an RFC 3339 instant in a JSON event, or the platform's
// "not yet" date. It accepts a JSON string of either form and nothing
// else.
type Timestamp struct {
	time.Time
	// NotYet marks a date not reached yet, written "0000-00-00 00:00:00"
	// (NotYet) in the event and sent the same way; Time is then zero, so
	// every check treats it as absent.
	NotYet bool
}

var timestampType = reflect.TypeFor[Timestamp]()

// errTimestamp is returned for a value that is not an RFC 3339 string.
type errTimestamp struct{}

func (errTimestamp) Error() string { return "not an RFC 3339 timestamp" }

// UnmarshalJSONFrom reads an RFC 3339 string or "0000-00-00 00:00:00".
func (t *Timestamp) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if raw.Kind() != '"' {
		return errTimestamp{}
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return t.parse(raw[1 : len(raw)-1])
	}
	s, err := jsontext.AppendUnquote(nil, raw)
	if err != nil {
		return errTimestamp{}
	}
	return t.parse(s)
}

// UnmarshalJSON is UnmarshalJSONFrom for encoding/json v1.
// As with time.Time, null leaves t unchanged.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errTimestamp{}
	}
	return t.parse([]byte(s))
}

func (t *Timestamp) parse(b []byte) error {
	if string(b) == NotYet {
		*t = Timestamp{NotYet: true}
		return nil
	}
	if err := t.Time.UnmarshalText(b); err != nil {
		return errTimestamp{}
	}
	return nil
}

// MarshalJSON writes "0000-00-00 00:00:00" for a date not reached yet, the
// RFC 3339 instant otherwise.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.NotYet {
		return []byte(`"` + NotYet + `"`), nil
	}
	return t.Time.MarshalJSON()
}
