package ipn

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lcngw/lcngw/param"
)

func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "ipn-event.v1.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func schemaAccepts(t *testing.T, sch *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

func TestExampleNames(t *testing.T) {
	want := []string{"free-order", "full", "new-order", "refund", "renewal", "trial-conversion", "upgrade"}
	if got := ExampleNames(); !slices.Equal(got, want) {
		t.Fatalf("ExampleNames() = %v, want %v", got, want)
	}
	full, err := Example("")
	if err != nil {
		t.Fatal(err)
	}
	named, _ := Example(FullExample)
	if !bytes.Equal(full, named) {
		t.Error(`Example("") is not the full example`)
	}
	if _, err := Example("nope"); err == nil {
		t.Error("Example(nope) succeeded")
	}
}

// TestExamplesMatchSchema validates every example against the shipped schema,
// then decodes, validates and builds it.
func TestExamplesMatchSchema(t *testing.T) {
	sch := compileSchema(t)
	for _, name := range ExampleNames() {
		t.Run(name, func(t *testing.T) {
			data, err := Example(name)
			if err != nil {
				t.Fatal(err)
			}
			if err := schemaAccepts(t, sch, data); err != nil {
				t.Fatalf("schema rejects the example: %v", err)
			}
			ev, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if err := ev.Validate(); err != nil {
				t.Fatal(err)
			}
			fs, err := Build(ev, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if probs := Catalogue().Check(fs, IsOptionField); len(probs) != 0 {
				t.Fatalf("built fields fail the catalogue: %v", probs)
			}
		})
	}
}

// mutate sets (or, with value == deleted, removes) the member at a dotted
// path of a decoded JSON document; numeric segments index arrays.
func mutate(t *testing.T, doc any, path string, value any) {
	t.Helper()
	segs := strings.Split(path, ".")
	cur := doc
	for i, seg := range segs {
		last := i == len(segs)-1
		switch node := cur.(type) {
		case map[string]any:
			if last {
				if value == deleted {
					delete(node, seg)
				} else {
					node[seg] = value
				}
				return
			}
			if node[seg] == nil {
				node[seg] = map[string]any{}
			}
			cur = node[seg]
		case []any:
			n, err := strconv.Atoi(seg)
			if err != nil || n >= len(node) {
				t.Fatalf("bad path %s", path)
			}
			if last {
				node[n] = value
				return
			}
			cur = node[n]
		default:
			t.Fatalf("bad path %s", path)
		}
	}
}

var deleted = new(int)

// badEvents are mutations of the new-order example that both the schema and
// Decode+Validate must reject, with the problem Go reports.
var badEvents = []struct {
	name, path string
	value      any
	field      string
	reason     param.Reason
}{
	{"schema version", "schema", "lcngw.ipn.v2", "schema", param.ReasonSchemaVersion},
	{"unknown top field", "extra", 1, "<member>", param.ReasonUnknownField},
	{"fax in delivery", "delivery.fax", "1", "delivery.<member>", param.ReasonUnknownField},
	{"event type", "event_type", "order.exploded", "event_type", param.ReasonNotAllowed},
	{"no event id", "event_id", deleted, "event_id", param.ReasonMissing},
	{"occurred_at", "occurred_at", "yesterday", "occurred_at", param.ReasonMalformed},
	{"refno letters", "order.refno", "abc", "order.refno", param.ReasonMalformed},
	{"refno too long", "order.refno", "1234567890", "order.refno", param.ReasonTooLong},
	{"original refs past the bound", "order.original_external_refs", slices.Repeat([]any{"R"}, maxStrings+1), "order.original_external_refs", param.ReasonTooLong},
	{"custom fields past the bound", "order.custom_fields", slices.Repeat([]any{"c"}, maxStrings+1), "order.custom_fields", param.ReasonTooLong},
	{"external ref too long", "order.external_ref", strings.Repeat("x", 101), "order.external_ref", param.ReasonTooLong},
	{"currency", "order.currency", "usd", "order.currency", param.ReasonMalformed},
	{"fraud status", "order.fraud_status", "MAYBE", "order.fraud_status", param.ReasonNotAllowed},
	{"card expiration", "order.payment.card.expiration", "13/27", "order.payment.card.expiration", param.ReasonMalformed},
	{"ip", "shopper.ip", "not-an-ip", "shopper.ip", param.ReasonMalformed},
	{"message id", "message_id", "0123", "message_id", param.ReasonMalformed},
	{"country code", "billing.country_code", "USA", "billing.country_code", param.ReasonMalformed},
	{"no items", "items", []any{}, "items", param.ReasonMissing},
	{"quantity", "items.0.quantity", 0, "items[0].quantity", param.ReasonMalformed},
	{"quantity type", "items.0.quantity", "1", "items[0].quantity", param.ReasonBadJSON},
	{"item id", "items.0.id", "a_b", "items[0].id", param.ReasonMalformed},
	{"price", "items.0.price", "1.2.3", "items[0].price", param.ReasonMalformed},
	{"neither price nor total", "items.0.price", deleted, "items[0].price", param.ReasonMissing},
	{"group id", "items.0.group", map[string]any{"id": "x1"}, "items[0].group.id", param.ReasonMalformed},
	{"lifetime with expiration", "items.0.license.lifetime", true, "items[0].license.expires_at", param.ReasonInconsistent},
	{"option price", "items.0.pricing_options", []any{map[string]any{"price": "abc"}}, "items[0].pricing_options[0].price", param.ReasonMalformed},
	{"order status", "order.status", "SHIPPED", "order.status", param.ReasonNotAllowed},
}

func TestSchemaAndValidateAgree(t *testing.T) {
	sch := compileSchema(t)
	base, _ := Example("new-order")
	for _, tc := range badEvents {
		t.Run(tc.name, func(t *testing.T) {
			var doc any
			if err := json.Unmarshal(base, &doc); err != nil {
				t.Fatal(err)
			}
			mutate(t, doc, tc.path, tc.value)
			data, _ := json.Marshal(doc)
			if schemaAccepts(t, sch, data) == nil {
				t.Error("the schema accepts it")
			}
			err := decodeAndValidate(data)
			var pe *param.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Go accepts it (err %v)", err)
			}
			if !hasProblem(pe, tc.field, tc.reason) {
				t.Errorf("want a %s problem at %s, got %v", tc.reason, tc.field, pe.Problems)
			}
		})
	}
}

func decodeAndValidate(data []byte) error {
	ev, err := Decode(data)
	if err != nil {
		return err
	}
	return ev.Validate()
}

// memberPosition matches the position of an undeclared member in a
// problem's path, which depends on the example's layout.
var memberPosition = regexp.MustCompile(`<member \d+>`)

func hasProblem(e *param.Error, field string, reason param.Reason) bool {
	return slices.ContainsFunc(e.Problems, func(p param.Problem) bool {
		return memberPosition.ReplaceAllString(p.Field, "<member>") == field && p.Reason == reason
	})
}
