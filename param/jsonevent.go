package param

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// MaxEventBytes bounds the size of one JSON event. Larger inputs are rejected
// before parsing (reason too_long).
const MaxEventBytes = 1 << 20

// Timestamp is an RFC 3339 instant in a JSON event, or the platform's
// "not yet" date. It differs from time.Time in how a malformed value is
// reported: as a *json.UnmarshalTypeError, so a decoder can name the field
// without echoing the value.
type Timestamp struct {
	time.Time
	// NotYet marks a date not reached yet, written "0000-00-00 00:00:00"
	// (NotYet) in the event and sent the same way; Time is then zero, so
	// every check treats it as absent.
	NotYet bool
}

var timestampType = reflect.TypeFor[Timestamp]()

// UnmarshalJSON parses an RFC 3339 string or "0000-00-00 00:00:00"; null
// leaves t unchanged.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if len(b) == len(NotYet)+2 && string(b[1:len(b)-1]) == NotYet && b[0] == '"' {
		*t = Timestamp{NotYet: true}
		return nil
	}
	if err := t.Time.UnmarshalJSON(b); err != nil {
		return &json.UnmarshalTypeError{Value: "string", Type: timestampType}
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

// SchemaOf returns the top-level "schema" member of a JSON object, or "" when
// data is not an object or has none. It is lenient: it serves to tell an
// unknown schema version apart from a malformed event.
func SchemaOf(data []byte) string {
	var probe struct {
		Schema string `json:"schema"`
	}
	if json.Unmarshal(data, &probe) != nil {
		return ""
	}
	return probe.Schema
}

// jsonProblem classifies an encoding/json error without repeating any
// value from the document.
func jsonProblem(err error) Problem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return Problem{Reason: ReasonBadJSON, Detail: fmt.Sprintf("not valid JSON (byte offset %d)", syn.Offset)}
	case errors.As(err, &typ):
		return typeProblem(typ)
	}
	return Problem{Reason: ReasonBadJSON, Detail: "not valid JSON"}
}

func typeProblem(e *json.UnmarshalTypeError) Problem {
	if e.Type == timestampType {
		return Problem{Field: e.Field, Reason: ReasonMalformed, Detail: "not an RFC 3339 timestamp"}
	}
	want := e.Type.Kind().String()
	switch e.Type.Kind() {
	case reflect.Struct, reflect.Map:
		want = "object"
	case reflect.Slice, reflect.Array:
		want = "array"
	}
	got, _, _ := strings.Cut(e.Value, " ") // "number 1.5" → "number": never the value itself
	return Problem{Field: e.Field, Reason: ReasonBadJSON, Detail: fmt.Sprintf("JSON %s where %s expected", got, want)}
}

// boundedName keeps a member name from a document usable in a log line:
// unquoted, at most 64 bytes.
func boundedName(quoted string) string {
	name := strings.Trim(quoted, `"`)
	if len(name) > 64 {
		name = strings.ToValidUTF8(name[:64], "") + "…"
	}
	return name
}
