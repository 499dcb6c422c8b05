package lcn

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/param"
)

func TestDecodeStrictness(t *testing.T) {
	full, _ := Example(DefaultExample)
	swap := func(old, new string) []byte {
		t.Helper()
		if !bytes.Contains(full, []byte(old)) {
			t.Fatalf("example lacks %q", old)
		}
		return bytes.Replace(full, []byte(old), []byte(new), 1)
	}
	cases := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", nil, []string{" bad_json"}},
		{"not JSON", []byte("schema=lcngw.lcn.v1"), []string{" bad_json"}},
		{"array", []byte("[]"), []string{" bad_json"}},
		{"truncated", full[:len(full)/2], []string{" bad_json"}},
		{"two values", append(slices.Clone(full), full...), []string{" bad_json"}},
		{"trailing garbage", append(slices.Clone(full), "x"...), []string{" bad_json"}},
		{"unknown member", swap(`"test": true`, `"test": true, "tenant": "a"`), []string{"<member> unknown_field"}},
		{"unknown nested member", swap(`"first_name"`, `"middle_name": "X", "first_name"`), []string{"customer.<member> unknown_field"}},
		{"every problem at once", swap(`"test": true`, `"test": true, "Test": false, "tenant": 1, "vendor_code": null`),
			[]string{"<member> unknown_field", "<member> unknown_field", "vendor_code bad_json", "vendor_code malformed"}},
		{"member of another level", swap(`"first_name"`, `"license_code": "X", "first_name"`), []string{"customer.<member> unknown_field"}},
		{"case variant", swap(`"event_type"`, `"Event_Type"`), []string{"<member> unknown_field"}},
		{"duplicate member", swap(`"test": true`, `"test": true, "test": false`), []string{"test bad_json"}},
		{"duplicate nested member", swap(`"city": "Berlin"`, `"city": "Berlin", "city": "Bonn"`), []string{"customer.address.city bad_json"}},
		{"null", swap(`"fax": "+49 30 1234568"`, `"fax": null`), []string{"customer.fax malformed"}},
		{"null in array", swap(`"pricing_options": [`, `"pricing_options": [null, `), []string{"subscription.pricing_options[0] malformed"}},
		{"wrong type", swap(`"recurring": true`, `"recurring": "yes"`), []string{"subscription.recurring bad_json"}},
		{"fractional count", swap(`"quantity": 5`, `"quantity": 5.5`), []string{"subscription.product.quantity bad_json"}},
		{"negative id", swap(`"reference": 756227060`, `"reference": -1`), []string{"customer.reference bad_json"}},
		{"timestamp without offset", swap(`"2026-03-10T08:15:00Z"`, `"2026-03-10T08:15:00"`), []string{"occurred_at malformed"}},
		{"timestamp as date", swap(`"2025-01-15T09:30:00Z"`, `"2025-01-15"`), []string{"subscription.started_at malformed"}},
		{"invalid UTF-8", swap(`"Jürgen"`, "\"J\xfcrgen\""), []string{" bad_json"}},
		{"missing schema", swap(`"schema": "lcngw.lcn.v1",`, ``), []string{"schema schema_version"}},
		{"other schema", swap(`"lcngw.lcn.v1"`, `"lcngw.lcn.v2"`), []string{"schema schema_version"}},
		{"other schema, other members", swap(`"schema": "lcngw.lcn.v1",`, `"schema": "lcngw.lcn.v2", "license": {},`), []string{"schema schema_version"}},
		{"too large", bytes.Repeat([]byte(" "), param.MaxEventBytes+1), []string{" too_long"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := Decode(tc.data)
			if ev != nil {
				t.Error("event returned with an error")
			}
			if got := problems(t, err); !slices.Equal(got, tc.want) {
				t.Errorf("problems %q, want %q (%v)", got, tc.want, err)
			}
		})
	}
}

func TestDecodeAcceptsEscapesAndOffsets(t *testing.T) {
	full, _ := Example(DefaultExample)
	data := bytes.Replace(full, []byte(`"first_name": "Jürgen"`), []byte(`"first_n\u0061me": "J\u00fcrgen"`), 1)
	data = bytes.Replace(data, []byte(`"2026-03-10T08:15:00Z"`), []byte(`"2026-03-10T10:15:00+02:00"`), 1)
	ev, err := decodeValidate(data)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Customer.FirstName != "Jürgen" {
		t.Errorf("first name %q", ev.Customer.FirstName)
	}
	ref := mustDecode(t, DefaultExample)
	if !ev.OccurredAt.Equal(ref.OccurredAt.Time) {
		t.Errorf("occurred_at %v, want %v", ev.OccurredAt, ref.OccurredAt)
	}
}

func TestDecodeErrorDoesNotEchoValues(t *testing.T) {
	full, _ := Example(DefaultExample)
	data := bytes.Replace(full, []byte(`"recurring": true`), []byte(`"recurring": "secret-value"`), 1)
	_, err := Decode(data)
	if err == nil || strings.Contains(err.Error(), "secret-value") {
		t.Errorf("error %v echoes the value", err)
	}
}

// TestArraysAreBounded: an array at its bound decodes; one element more
// is rejected by the decoder as too long, at the array's path.
func TestArraysAreBounded(t *testing.T) {
	ev := mustDecode(t, "full")
	attr, opt := ev.Origin.ChangedAttributes[0], ev.Subscription.PricingOptions[0]
	for _, tc := range []struct {
		path  string
		max   int
		value func(n int) edit
	}{
		{"origin.changed_attributes", maxChangedAttributes, func(n int) edit {
			return edit{"origin.changed_attributes", slices.Repeat([]string{attr}, n)}
		}},
		{"subscription.pricing_options", maxPricingOptions, func(n int) edit {
			return edit{"subscription.pricing_options", slices.Repeat([]PricingOption{opt}, n)}
		}},
	} {
		if _, err := Decode(mutate(t, "full", tc.value(tc.max))); err != nil {
			t.Errorf("%s of %d: %v", tc.path, tc.max, err)
		}
		_, err := Decode(mutate(t, "full", tc.value(tc.max+1)))
		var pe *param.Error
		if !errors.As(err, &pe) || len(pe.Problems) != 1 || pe.Problems[0].Field != tc.path || pe.Problems[0].Reason != param.ReasonTooLong {
			t.Errorf("%s of %d: %v, want one too_long problem there", tc.path, tc.max+1, err)
		}
	}
}
