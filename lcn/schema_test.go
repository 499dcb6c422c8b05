package lcn

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// schemaNode is a JSON Schema object decoded generically.
type schemaNode = map[string]any

// walkSchema calls fn for every schema object, with its JSON pointer.
func walkSchema(node any, ptr string, fn func(ptr string, n schemaNode)) {
	switch n := node.(type) {
	case map[string]any:
		fn(ptr, n)
		for k, v := range n {
			walkSchema(v, ptr+"/"+k, fn)
		}
	case []any:
		for _, v := range n {
			walkSchema(v, ptr+"/[]", fn)
		}
	}
}

func loadSchema(t *testing.T) schemaNode {
	t.Helper()
	var doc schemaNode
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestSchemaDocumentsEveryParameter: the x-parameters and x-derives
// annotations name every data parameter, and the limits of each member sent
// as a parameter match the catalogue.
func TestSchemaDocumentsEveryParameter(t *testing.T) {
	covered := map[string]bool{}
	walkSchema(loadSchema(t), "#", func(ptr string, n schemaNode) {
		derived, _ := n["x-derives"].([]any)
		for _, p := range derived {
			if !Catalogue().Known(p.(string)) {
				t.Errorf("%s: derives unknown parameter %s", ptr, p)
			}
			covered[p.(string)] = true
		}
		params, ok := n["x-parameters"].([]any)
		if !ok {
			return
		}
		if n["description"] == nil && n["$ref"] == nil {
			t.Errorf("%s: no description", ptr)
		}
		for _, p := range params {
			name := p.(string)
			spec, ok := Catalogue().Spec(name)
			if !ok {
				t.Errorf("%s: unknown parameter %s", ptr, name)
				continue
			}
			covered[name] = true
			if len(params) > 1 {
				continue // a member feeding several parameters: limits are the first's
			}
			checkLimits(t, ptr, n, spec.MaxLen, spec.Allowed)
		}
	})
	for _, name := range Catalogue().Names() {
		if !covered[name] {
			t.Errorf("no schema member feeds %s", name)
		}
	}
}

func checkLimits(t *testing.T, ptr string, n schemaNode, maxLen int, allowed []string) {
	t.Helper()
	switch n["type"] {
	case "string":
		if enum, ok := n["enum"].([]any); ok {
			var got []string
			for _, e := range enum {
				got = append(got, e.(string))
			}
			if !slices.Equal(got, allowed) {
				t.Errorf("%s: enum %v, catalogue %v", ptr, got, allowed)
			}
			return
		}
		if got, _ := n["maxLength"].(float64); int(got) != maxLen {
			t.Errorf("%s: maxLength %v, catalogue %d", ptr, got, maxLen)
		}
	case "integer":
		if maxLen == 0 {
			return
		}
		if got, _ := n["maximum"].(float64); got != math.Pow10(maxLen)-1 {
			t.Errorf("%s: maximum %v, catalogue allows %d digits", ptr, got, maxLen)
		}
	}
}

// TestSchemaAndDecoderAgree: each edit makes a valid example invalid for
// the shipped schema and for Decode+Validate alike.
func TestSchemaAndDecoderAgree(t *testing.T) {
	sch := compileSchema(t)
	cases := []struct {
		base  string
		edits []edit
	}{
		{"full", []edit{{"schema", "lcngw.lcn.v2"}}},
		{"full", []edit{{"event_id", del}}},
		{"full", []edit{{"event_type", del}}},
		{"full", []edit{{"event_type", "subscription.created"}}},
		{"full", []edit{{"dispatch_reason", "LICENSE_CHANGE"}}},
		{"full", []edit{{"occurred_at", "2026-03-10 08:15:00"}}},
		{"full", []edit{{"vendor_code", "a b"}}},
		{"full", []edit{{"changed_by", "ADMIN"}}},
		{"full", []edit{{"message_id", 0}}},
		{"full", []edit{{"tenant", "x"}}},
		{"full", []edit{{"customer.first_name", strings.Repeat("é", 41)}}},
		{"full", []edit{{"customer.address.country_code", "D1"}}},
		{"full", []edit{{"customer.reference", 12345678901}}},
		{"full", []edit{{"subscription.status", "SUSPENDED"}}},
		{"full", []edit{{"subscription.recurring", del}}},
		{"full", []edit{{"subscription.expires_at", del}}},
		{"lifetime", []edit{{"subscription.expires_at", "2030-01-01T00:00:00Z"}}},
		{"lifetime", []edit{{"subscription.recurring", true}}},
		{"licence-expiration", []edit{{"subscription.status", "ACTIVE"}}},
		{"paused", []edit{{"subscription.pause", del}}},
		{"trial-conversion", []edit{{"subscription.type", "TRIAL"}}},
		{"licence-cpc-accepted", []edit{{"subscription.churn_prevention_campaign", del}}},
		{"scheduled-for-cancelation-on-demand", []edit{{"subscription.cancel_on_demand_at", del}}},
		{"full", []edit{{"subscription.billing.cycles", 100}}},
		{"full", []edit{{"subscription.next_renewal.price", "1e3"}}},
		{"full", []edit{{"subscription.next_renewal.currency", del}}},
		{"full", []edit{{"subscription.next_renewal.payment_method.card.last_digits", "111"}}},
		{"full", []edit{{"subscription.next_renewal.payment_method.card.expiration_year", del}}},
		{"full", []edit{{"subscription.orders.last_reference", "1234567890"}}},
		{"full", []edit{{"subscription.pricing_options.0.operator", "MULTIPLY"}}},
		{"full", []edit{{"subscription.pricing_options.0.units_consumed", 1}}},
		{"full", []edit{{"subscription.pricing_options.0.impact_subscription_value", 3}}},
		{"full", []edit{{"subscription.churn.reasons", strings.Repeat("r", 21)}}},
		{"full", []edit{{"origin.channel", "EMAIL"}}},
		{"full", []edit{{"origin.changed_attributes", slices.Repeat([]any{"end_user"}, maxChangedAttributes+1)}}},
		{"full", []edit{{"subscription.pricing_options", slices.Repeat([]any{map[string]any{"value": "A"}}, maxPricingOptions+1)}}},
		{"full", []edit{{"origin.channel", "MY_ACCOUNT"}}},
		{"upgrade-by-vendor", []edit{{"upgrade.placed_by", del}}},
		{"renewal-api", []edit{{"renewal.days", 0}}},
	}
	for _, tc := range cases {
		data := mutate(t, tc.base, tc.edits...)
		name := tc.base + ":" + tc.edits[0].path
		if err := schemaValidate(t, sch, data); err == nil {
			t.Errorf("%s: schema accepts %v", name, tc.edits)
		}
		if _, err := decodeValidate(data); err == nil {
			t.Errorf("%s: Decode+Validate accepts %v", name, tc.edits)
		}
	}
}

// TestSchemaDescribesEveryMember: every member of the event, at every
// level, carries a description (conditional subschemas excepted).
func TestSchemaDescribesEveryMember(t *testing.T) {
	var walk func(n schemaNode, ptr string)
	count := 0
	walk = func(n schemaNode, ptr string) {
		for key, v := range n {
			switch key {
			case "allOf", "anyOf", "if", "then", "else", "not":
				continue // conditions restate members, they do not define them
			case "properties":
				for name, sub := range v.(map[string]any) {
					count++
					if _, ok := sub.(map[string]any)["description"]; !ok {
						t.Errorf("%s/%s: no description", ptr, name)
					}
					walk(sub.(map[string]any), ptr+"/"+name)
				}
			default:
				if m, ok := v.(map[string]any); ok {
					walk(m, ptr+"/"+key)
				}
			}
		}
	}
	doc := loadSchema(t)
	walk(doc, "#")
	if count < 100 {
		t.Errorf("only %d members found", count)
	}
	if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema %v", doc["$schema"])
	}
}
