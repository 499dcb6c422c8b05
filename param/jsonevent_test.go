package param

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type jsonDoc struct {
	Name  string    `json:"name"`
	Count int       `json:"count"`
	When  Timestamp `json:"when,omitzero"`
	Inner struct {
		Tags []string `json:"tags"`
	} `json:"inner"`
}

// TestDecoderProblems: problems name the path and the rule, never the
// value.
func TestDecoderProblems(t *testing.T) {
	d := NewDecoder(&jsonDoc{})
	for _, tc := range []struct {
		name   string
		data   string
		field  string
		reason Reason
		detail string
	}{
		{"syntax", `{"name":}`, "", ReasonBadJSON, "byte offset 8"},
		{"truncated", `{"name":"a"`, "", ReasonBadJSON, "byte offset 11"},
		{"empty", ``, "", ReasonBadJSON, "byte offset 0"},
		{"wrong type", `{"count":"many"}`, "count", ReasonBadJSON, "JSON string where int expected"},
		{"number for string", `{"name":12.5}`, "name", ReasonBadJSON, "JSON number where string expected"},
		{"fraction for int", `{"count":12.5}`, "count", ReasonBadJSON, "JSON number where int expected"},
		{"object for array", `{"inner":{"tags":{}}}`, "inner.tags", ReasonBadJSON, "JSON object where array expected"},
		{"array for object", `{"inner":[]}`, "inner", ReasonBadJSON, "JSON array where object expected"},
		{"bad timestamp", `{"when":"2024-02-30T00:00:00Z"}`, "when", ReasonMalformed, "RFC 3339"},
		{"timestamp number", `{"when":17}`, "when", ReasonMalformed, "RFC 3339"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v jsonDoc
			probs, _ := d.Decode([]byte(tc.data), &v).List()
			if len(probs) != 1 {
				t.Fatalf("problems %v, want one", probs)
			}
			p := probs[0]
			if p.Field != tc.field || p.Reason != tc.reason || !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("problem %+v, want %s at %q with %q", p, tc.reason, tc.field, tc.detail)
			}
			for _, v := range []string{"many", "12.5", "2024", "17"} {
				if strings.Contains(p.Detail, v) {
					t.Errorf("detail echoes the value: %s", p.Detail)
				}
			}
		})
	}
}

func TestTimestamp(t *testing.T) {
	var v jsonDoc
	if err := json.Unmarshal([]byte(`{"when":"2024-01-02T03:04:05.5+02:00"}`), &v); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 1, 2, 1, 4, 5, 5e8, time.UTC); !v.When.Equal(want) {
		t.Errorf("when = %v, want %v", v.When, want)
	}
	if err := json.Unmarshal([]byte(`{"when":null}`), &v); err != nil || v.When.IsZero() {
		t.Errorf("null must leave the timestamp unchanged (err %v)", err)
	}
	out, _ := json.Marshal(struct {
		When Timestamp `json:"when,omitzero"`
	}{})
	if string(out) != `{}` {
		t.Errorf("zero timestamp marshals as %s, want it omitted", out)
	}
}

// TestReportSchema: a report carries the document's top-level schema
// member when it is a string, wherever it stands.
func TestReportSchema(t *testing.T) {
	type schemaDoc struct {
		Schema string `json:"schema"`
		N      int    `json:"n"`
	}
	d := NewDecoder(&schemaDoc{})
	for data, want := range map[string]string{
		`{"schema":"lcngw.ipn.v1","x":[1]}`: "lcngw.ipn.v1",
		`{"x":1,"sch\u0065ma":"v2"}`:        "v2",
		`{"n":"a","schema":"v9"}`:           "v9",
		`{"n":{"schema":"inner"}}`:          "",
		`{"x":1}`:                           "",
		`[1]`:                               "",
		`{"schema":1}`:                      "",
		`not json`:                          "",
	} {
		var v schemaDoc
		rep := d.Decode([]byte(data), &v)
		if rep == nil {
			t.Fatalf("%s accepted", data)
		}
		if rep.Schema != want {
			t.Errorf("schema of %s = %q, want %q", data, rep.Schema, want)
		}
	}
}
