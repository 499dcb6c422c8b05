package ipn

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/param"
)

func TestDecodeRejects(t *testing.T) {
	valid, _ := Example("new-order")
	for _, tc := range []struct {
		name   string
		data   string
		field  string
		reason param.Reason
	}{
		{"empty", "", "", param.ReasonBadJSON},
		{"truncated", `{"schema":"lcngw.ipn.v1"`, "", param.ReasonBadJSON},
		{"syntax", `{"schema":}`, "", param.ReasonBadJSON},
		{"array", `[]`, "", param.ReasonBadJSON},
		{"null", `null`, "", param.ReasonMalformed},
		{"no schema", `{"event_id":"x"}`, "schema", param.ReasonSchemaVersion},
		{"other schema", `{"schema":"lcngw.ipn.v2","new_member":{"a":1}}`, "schema", param.ReasonSchemaVersion},
		{"lcn schema", `{"schema":"lcngw.lcn.v1"}`, "schema", param.ReasonSchemaVersion},
		{"trailing data", string(valid) + `{}`, "", param.ReasonBadJSON},
		{"unknown member", `{"schema":"lcngw.ipn.v1","surprise":true}`, "<member 2>", param.ReasonUnknownField},
		{"nested unknown", `{"schema":"lcngw.ipn.v1","order":{"refno":"1","colour":"red"}}`, "order.<member 2>", param.ReasonUnknownField},
		{"wrong type", `{"schema":"lcngw.ipn.v1","order":{"refno":12345}}`, "order.refno", param.ReasonBadJSON},
		{"bad timestamp", `{"schema":"lcngw.ipn.v1","order":{"placed_at":"2024-13-01T00:00:00Z"}}`, "order.placed_at", param.ReasonMalformed},
		{"misspelt member", `{"schema":"lcngw.ipn.v1","Event_ID":"x"}`, "<member 2>", param.ReasonUnknownField},
		{"duplicate member", `{"schema":"lcngw.ipn.v1","order":{"refno":"1","refno":"2"}}`, "order.refno", param.ReasonBadJSON},
		{"null member", `{"schema":"lcngw.ipn.v1","billing":null}`, "billing", param.ReasonMalformed},
		{"invalid UTF-8", "{\"schema\":\"lcngw.ipn.v1\",\"billing\":{\"city\":\"\xff\"}}", "", param.ReasonBadJSON},
		{"too big", `{"schema":"lcngw.ipn.v1","event_id":"` + strings.Repeat("x", param.MaxEventBytes) + `"}`, "", param.ReasonTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := Decode([]byte(tc.data))
			var pe *param.Error
			if !errors.As(err, &pe) || ev != nil {
				t.Fatalf("Decode = %v, %v; want a *param.Error", ev, err)
			}
			if len(pe.Problems) != 1 || pe.Problems[0].Field != tc.field || pe.Problems[0].Reason != tc.reason {
				t.Errorf("problems %v, want one %s at %q", pe.Problems, tc.reason, tc.field)
			}
			if pe.Kind != "ipn" {
				t.Errorf("kind %q", pe.Kind)
			}
		})
	}
}

// TestDecodeErrorsDoNotEchoValues feeds personal data in the wrong shape and
// checks the error names the field and rule only.
func TestDecodeErrorsDoNotEchoValues(t *testing.T) {
	const pii = "Jane Q. Public, 1 Secret Lane"
	for _, data := range []string{
		`{"schema":"lcngw.ipn.v1","occurred_at":"` + pii + `"}`,
		`{"schema":"lcngw.ipn.v1","billing":{"first_name":["` + pii + `"]}}`,
		`{"schema":"lcngw.ipn.v1","items":[{"quantity":"` + pii + `"}]}`,
		`{"schema":"lcngw.ipn.v1","items":[{"quantity":1234567.5}]}`,
		`{"schema":"lcngw.ipn.v1","billing":{"first_name":"` + pii + `"` + `,}}`,
	} {
		_, err := Decode([]byte(data))
		if err == nil {
			t.Fatalf("accepted %s", data)
		}
		if msg := err.Error(); strings.Contains(msg, "Secret") || strings.Contains(msg, "1234567") {
			t.Errorf("error echoes the value: %s", msg)
		}
	}
}

// TestDecodeRoundTrip re-encodes every decoded example and decodes it again:
// the JSON tags lose nothing.
func TestDecodeRoundTrip(t *testing.T) {
	for _, name := range ExampleNames() {
		data, _ := Example(name)
		ev, err := Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		again, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		ev2, err := Decode(again)
		if err != nil {
			t.Fatalf("%s: re-encoded event does not decode: %v", name, err)
		}
		if !reflect.DeepEqual(ev, ev2) {
			t.Errorf("%s: round trip changed the event", name)
		}
		var a, b any
		_ = json.Unmarshal(data, &a)
		_ = json.Unmarshal(again, &b)
		if !reflect.DeepEqual(normalizeTimes(a), normalizeTimes(b)) {
			t.Errorf("%s: re-encoding dropped or added members:\n%s", name, again)
		}
	}
}

// normalizeTimes drops timestamp members, whose text legitimately changes on
// re-encoding (offsets are kept, but "Z" and fractional forms may differ).
func normalizeTimes(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if strings.HasSuffix(k, "_at") {
				delete(x, k)
				continue
			}
			x[k] = normalizeTimes(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeTimes(e)
		}
	}
	return v
}

func TestTimestampKeepsInstant(t *testing.T) {
	ev, err := Decode(bytes.ReplaceAll(mustExample(t, "new-order"), []byte(`"2024-03-05T10:15:42Z"`), []byte(`"2024-03-05T12:15:42.5+02:00"`)))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev.OccurredAt.UTC().Format("2006-01-02T15:04:05.0Z"); got != "2024-03-05T10:15:42.5Z" {
		t.Errorf("occurred_at = %s", got)
	}
}

func mustExample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := Example(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
