package param

import (
	"encoding/json"
	"slices"
	"testing"
)

type memberDoc struct {
	Name  string            `json:"name"`
	Items []memberItem      `json:"items,omitempty"`
	Inner *memberInner      `json:"inner,omitempty"`
	When  Timestamp         `json:"when,omitzero"`
	Tags  map[string]string `json:"tags,omitempty"`
	Skip  string            `json:"-"`
	Plain string
}

type memberItem struct {
	Code string `json:"code"`
}

type memberInner struct {
	memberItem
	Level int `json:"level"`
}

func TestDecoderDecode(t *testing.T) {
	c := NewDecoder(&memberDoc{})
	cases := []struct {
		name string
		doc  string
		want []string // "field reason"
	}{
		{"clean", `{"name":"a","items":[{"code":"x"},{"code":"y"}],"inner":{"code":"z","level":2},"when":"2026-01-01T00:00:00Z","tags":{"Any":"x"},"Plain":"p"}`, nil},
		{"escaped key", `{"n\u0061me":"a"}`, nil},
		{"strings with braces", `{"name":"{\"x\":[1,2]}"}`, nil},
		{"unknown member", `{"name":"a","colour":"red"}`, []string{"<member 2> unknown_field"}},
		{"member of another level", `{"code":"x","items":[{"name":"y"}]}`, []string{"<member 1> unknown_field", "items[0].<member 1> unknown_field"}},
		{"ignored field", `{"Skip":"x"}`, []string{"<member 1> unknown_field"}},
		{"case variant", `{"NAME":"a"}`, []string{"<member 1> unknown_field"}},
		{"nested case variant", `{"items":[{"code":"x"},{"Code":"y"}]}`, []string{"items[1].<member 1> unknown_field"}},
		{"promoted field case", `{"inner":{"CODE":"z"}}`, []string{"inner.<member 1> unknown_field"}},
		{"duplicate", `{"name":"a","name":"b"}`, []string{"name bad_json"}},
		{"duplicate via escape", `{"name":"a","n\u0061me":"b"}`, []string{"name bad_json"}},
		{"duplicate map key", `{"tags":{"k":"a","k":"b"}}`, []string{"tags.<member 2> bad_json"}},
		{"same key in sibling objects", `{"items":[{"code":"x"},{"code":"y"}]}`, nil},
		{"null", `{"name":null}`, []string{"name malformed"}},
		{"text that reads null", `{"name":"null","Plain":"nullable"}`, nil},
		{"null element", `{"items":[null]}`, []string{"items[0] malformed"}},
		{"wrong type and more", `{"name":1,"Name":"a","items":[{"code":"x","code":"y"}],"inner":null}`,
			[]string{"name bad_json", "<member 2> unknown_field", "items[0].code bad_json", "inner malformed"}},
		{"bad timestamp", `{"when":"yesterday"}`, []string{"when malformed"}},
		{"syntax error only", `{"name":"a","NAME":`, []string{" bad_json"}},
		{"trailing value", `{"name":"a"} {}`, []string{" bad_json"}},
		{"invalid UTF-8", "{\"name\":\"\xff\"}", []string{" bad_json"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v memberDoc
			var got []string
			probs, _ := c.Decode([]byte(tc.doc), &v).List()
			for _, p := range probs {
				got = append(got, p.Field+" "+string(p.Reason))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDecoderTooLarge(t *testing.T) {
	big := make([]byte, MaxEventBytes+1)
	probs, _ := NewDecoder(memberDoc{}).Decode(big, &memberDoc{}).List()
	if len(probs) != 1 || probs[0].Reason != ReasonTooLong {
		t.Errorf("problems %v", probs)
	}
}

// FuzzDecoder: Decode never panics or stalls on any input; the problem
// report agrees with the decoder, finding problems in exactly the
// documents it rejects; and a document re-encoded from what it decoded
// passes.
func FuzzDecoder(f *testing.F) {
	f.Add([]byte(`{"name":"a","items":[{"code":"x"}],"inner":{"code":"z","level":2}}`))
	f.Add([]byte(`{"name":"a","name":null,"NAME":[1,{"x":"\"}"}]}`))
	f.Add([]byte(`[:,:{`))
	// adversarial shapes, small: many keys, repeats, deep nesting, escapes, long numbers
	f.Add(manyKeys(200, "x%d"))
	f.Add(manyKeys(200, "name"))
	f.Add(wrapped(`{"tags":`, manyKeys(200, "k%d"), `}`))
	f.Add(deepNesting(300))
	f.Add(unknownNesting(300))
	f.Add(escapedKeys(100))
	f.Add([]byte(`{"name":"\u00e9\n\u00e9\n\ud83d\ude00","inner":{"level":99999999999999999999999999}}`))
	c := NewDecoder(&memberDoc{})
	f.Fuzz(func(t *testing.T, data []byte) {
		found, _ := c.Check(data).List()
		var v memberDoc
		probs, _ := c.Decode(data, &v).List()
		if (len(found) > 0) != (len(probs) > 0) {
			t.Fatalf("decoder finds %v, report %v", probs, found)
		}
		if len(probs) > 0 {
			return
		}
		clean, err := json.Marshal(v)
		if err != nil {
			return
		}
		var again memberDoc
		if probs, _ := c.Decode(clean, &again).List(); len(probs) > 0 {
			t.Fatalf("re-encoded document %s: %v", clean, probs)
		}
	})
}
