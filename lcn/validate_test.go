package lcn

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/param"
)

// TestValidateReportsEveryProblemAtOnce: one event with many faults yields
// all of them, in order, in one *param.Error.
func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	long := strings.Repeat("ä", 41)
	data := mutate(t, "full",
		edit{"event_id", del},
		edit{"vendor_code", "bad code!"},
		edit{"changed_by", "ROBOT"},
		edit{"customer.first_name", long},
		edit{"customer.email", "x@" + strings.Repeat("e", 39)},
		edit{"customer.address.country_code", "DEU"},
		edit{"subscription.license_code", del},
		edit{"subscription.status", "SUSPENDED"},
		edit{"subscription.next_renewal.price", "12,50"},
		edit{"subscription.pricing_options.0.operator", "MULTIPLY"},
		edit{"subscription.pause.end_at", "2026-05-01T00:00:00Z"},
	)
	ev, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	got := problems(t, ev.Validate())
	want := []string{
		"event_id missing_field",
		"vendor_code malformed",
		"changed_by not_allowed",
		"customer.first_name too_long",
		"customer.email too_long",
		"customer.address.country_code malformed",
		"subscription.license_code missing_field",
		"subscription.status not_allowed",
		"subscription.next_renewal.price malformed",
		"subscription.pricing_options[0].operator not_allowed",
		"subscription.pause.end_at inconsistent",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n got %q\nwant %q", got, want)
	}
}

// TestValidateErrorsDoNotEchoFreeText: PII and free text never appear in
// the error, only field names, rules and enumeration values.
func TestValidateErrorsDoNotEchoFreeText(t *testing.T) {
	secrets := []string{"Jürgenxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "leak@example.com" + strings.Repeat("m", 30), "LICENSECODE" + strings.Repeat("9", 50), "Friedrich" + strings.Repeat("s", 100)}
	data := mutate(t, "full",
		edit{"customer.first_name", secrets[0]},
		edit{"customer.email", secrets[1]},
		edit{"subscription.license_code", secrets[2]},
		edit{"customer.address.street", secrets[3]},
		edit{"subscription.next_renewal.payment_method.card.last_digits", "12a4"},
	)
	_, err := decodeValidate(data)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, s := range append(secrets, "12a4", "Jürgen", "leak@", "LICENSECODE", "Friedrich") {
		if strings.Contains(msg, s) {
			t.Errorf("error echoes %q:\n%s", s, msg)
		}
	}
	if got := len(problems(t, err)); got != 5 {
		t.Errorf("%d problems, want 5:\n%s", got, msg)
	}
}

// TestValidateRules checks each rule on its own: the edit makes a valid
// example invalid with exactly the listed problems.
func TestValidateRules(t *testing.T) {
	cases := []struct {
		name  string
		base  string
		edits []edit
		want  []string
	}{
		{"schema version in Go-built event", "full", nil, nil},
		{"event id too long", "full", []edit{{"event_id", strings.Repeat("e", 256)}}, []string{"event_id too_long"}},
		{"neither type nor reason", "full", []edit{{"event_type", del}}, []string{"event_type missing_field"}},
		{"reason override alone", "full", []edit{{"event_type", del}, {"dispatch_reason", "LICENCE_GP_CHANGE"}}, nil},
		{"unknown event type", "full", []edit{{"event_type", "subscription.exploded"}}, []string{"event_type not_allowed"}},
		{"American reason spelling", "full", []edit{{"dispatch_reason", "LICENSE_CHANGE"}}, []string{"dispatch_reason not_allowed"}},
		{"message id zero", "full", []edit{{"message_id", 0}}, []string{"message_id malformed"}},
		{"message id over 2^63-1", "full", []edit{{"message_id", uint64(1) << 63}}, []string{"message_id malformed"}},
		{"missing recurring", "full", []edit{{"subscription.recurring", del}}, []string{"subscription.recurring missing_field"}},
		{"missing status and type", "full", []edit{{"subscription.status", del}, {"subscription.type", del}}, []string{"subscription.status missing_field", "subscription.type missing_field"}},
		{"lifetime with expiration", "lifetime", []edit{{"subscription.expires_at", "2027-01-01T00:00:00Z"}}, []string{"subscription.expires_at inconsistent"}},
		{"lifetime and recurring", "lifetime", []edit{{"subscription.recurring", true}}, []string{"subscription.recurring inconsistent"}},
		{"lifetime with next renewal", "lifetime", []edit{{"subscription.next_renewal.at", "2027-01-01T00:00:00Z"}}, []string{"subscription.next_renewal.at inconsistent"}},
		{"no expiration, not lifetime", "full", []edit{{"subscription.expires_at", del}}, []string{"subscription.expires_at missing_field"}},
		{"expires before start", "full", []edit{{"subscription.expires_at", "2024-01-01T00:00:00Z"}}, []string{"subscription.expires_at inconsistent"}},
		{"status contradicts event type", "licence-expiration", []edit{{"subscription.status", "ACTIVE"}}, []string{"subscription.status inconsistent"}},
		{"paused without pause", "paused", []edit{{"subscription.pause", del}}, []string{"subscription.pause.start_at missing_field"}},
		{"converted trial still a trial", "trial-conversion", []edit{{"subscription.type", "TRIAL"}}, []string{"subscription.type inconsistent"}},
		{"campaign accepted without campaign", "licence-cpc-accepted", []edit{{"subscription.churn_prevention_campaign", del}}, []string{"subscription.churn_prevention_campaign missing_field"}},
		{"scheduled cancellation without date", "scheduled-for-cancelation-on-demand", []edit{{"subscription.cancel_on_demand_at", del}}, []string{"subscription.cancel_on_demand_at missing_field"}},
		{"upgrade placer differs", "upgrade-by-vendor", []edit{{"upgrade.placed_by", "CUSTOMER"}}, []string{"upgrade.placed_by inconsistent"}},
		{"renewal days do not add up", "renewal-api", []edit{{"renewal.days", 5}}, []string{"subscription.expires_at inconsistent"}},
		{"renewal price without currency", "renewal-api", []edit{{"renewal.currency", del}}, []string{"renewal.currency inconsistent"}},
		{"next renewal price without currency", "full", []edit{{"subscription.next_renewal.currency", del}}, []string{"subscription.next_renewal.currency inconsistent"}},
		{"prepaid with a postpaid option", "full", []edit{{"subscription.billing.type", "PREPAID"}}, []string{"subscription.billing.type inconsistent"}},
		{"units on a prepaid option", "full", []edit{{"subscription.pricing_options.0.units_consumed", 3}}, []string{"subscription.pricing_options[0].units_consumed inconsistent"}},
		{"months on a NONE impact", "full", []edit{{"subscription.pricing_options.0.impact_subscription_value", 2}}, []string{"subscription.pricing_options[0].impact_subscription_value inconsistent"}},
		{"usage text too long once rendered", "full", []edit{{"subscription.pricing_options.1.text", strings.Repeat("G", 246)}}, []string{"subscription.pricing_options[1].text too_long"}},
		{"api method outside API", "full", []edit{{"origin.channel", "CONTROL_PANEL"}}, []string{"origin.api_method inconsistent"}},
		{"unknown changed attribute", "full", []edit{{"origin.changed_attributes", []any{"colour"}}}, []string{"origin.changed_attributes[0] not_allowed"}},
		{"card month out of range", "full", []edit{{"subscription.next_renewal.payment_method.card.expiration_month", 13}}, []string{"subscription.next_renewal.payment_method.card.expiration_month malformed"}},
		{"card month without year", "full", []edit{{"subscription.next_renewal.payment_method.card.expiration_year", del}}, []string{"subscription.next_renewal.payment_method.card.expiration_month inconsistent"}},
		{"billing cycles over two digits", "full", []edit{{"subscription.billing.cycles", 100}}, []string{"subscription.billing.cycles too_long"}},
		{"contract cycle zero", "full", []edit{{"subscription.billing.contract_cycles", 0}}, []string{"subscription.billing.contract_cycles malformed"}},
		{"product id over ten digits", "full", []edit{{"subscription.product.id", 12345678901}}, []string{"subscription.product.id too_long"}},
		{"product id zero", "full", []edit{{"subscription.product.id", 0}}, []string{"subscription.product.id malformed"}},
		{"order reference over nine digits", "full", []edit{{"subscription.orders.last_reference", "1234567890"}}, []string{"subscription.orders.last_reference too_long"}},
		{"order reference not digits", "full", []edit{{"subscription.orders.original_reference", "A-1"}}, []string{"subscription.orders.original_reference malformed"}},
		{"language not two letters", "full", []edit{{"customer.language", "deu"}}, []string{"customer.language malformed"}},
		{"currency not ISO", "full", []edit{{"subscription.next_renewal.currency", "EURO"}}, []string{"subscription.next_renewal.currency malformed"}},
		{"churn source over ten", "full", []edit{{"subscription.churn.source", "CONTROL_PANEL"}}, []string{"subscription.churn.source too_long"}},
		{"additional value over 100", "full", []edit{{"subscription.additional_info.value", strings.Repeat("v", 101)}}, []string{"subscription.additional_info.value too_long"}},
		{"quantity zero", "full", []edit{{"subscription.product.quantity", 0}}, []string{"subscription.product.quantity malformed"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeValidate(mutate(t, tc.base, tc.edits...))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if got := problems(t, err); !slices.Equal(got, tc.want) {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
}

func TestValidateNilAndGoBuiltEvents(t *testing.T) {
	var ev *Event
	if got := problems(t, ev.Validate()); !slices.Equal(got, []string{" missing_field"}) {
		t.Errorf("nil event: %q", got)
	}
	got := problems(t, (&Event{}).Validate())
	for _, want := range []string{"schema schema_version", "event_id missing_field", "occurred_at missing_field", "vendor_code missing_field", "subscription.license_code missing_field"} {
		if !slices.Contains(got, want) {
			t.Errorf("empty event: %q lacks %q", got, want)
		}
	}
}

// TestValidateBoundsProblems: an event with a bad value in each of 200,000
// array elements keeps param.MaxProblems problems, counts the rest up to
// param.MaxCounted, and describes only those it keeps.
func TestValidateBoundsProblems(t *testing.T) {
	ev := badAttributes(t, 200_000)
	var pe *param.Error
	if !errors.As(ev.Validate(), &pe) {
		t.Fatal("accepted")
	}
	if len(pe.Problems) != param.MaxProblems || pe.More != param.MaxCounted-param.MaxProblems {
		t.Errorf("%d problems and %d more, want %d and %d", len(pe.Problems), pe.More, param.MaxProblems, param.MaxCounted-param.MaxProblems)
	}
	if f := pe.Problems[3].Field; f != "origin.changed_attributes[3]" {
		t.Errorf("problem 3 is at %q", f)
	}
	// 100,000 more problems would cost hundreds of thousands of
	// allocations if each were described. (Not an exact comparison: with
	// the race detector, sync.Pool drops items at random.)
	half := badAttributes(t, 100_000)
	allocs := testing.AllocsPerRun(3, func() { _ = ev.Validate() })
	if fewer := testing.AllocsPerRun(3, func() { _ = half.Validate() }); allocs-fewer > 100 {
		t.Errorf("%.0f allocations to validate 200,000 bad values, %.0f for 100,000: problems beyond the kept ones are described", allocs, fewer)
	}
}

// BenchmarkValidateManyProblems validates an event with a bad value in
// each of 200,000 array elements.
func BenchmarkValidateManyProblems(b *testing.B) {
	ev := badAttributes(b, 200_000)
	b.ReportAllocs()
	for b.Loop() {
		_ = ev.Validate()
	}
}

// badAttributes is the full example listing n changed attributes, none of
// them allowed: more than an event may list, as a Go program may build.
func badAttributes(tb testing.TB, n int) *Event {
	ev := mustDecode(tb, "full")
	ev.Origin.ChangedAttributes = slices.Repeat(Attributes{"not-an-attribute"}, n)
	return ev
}
