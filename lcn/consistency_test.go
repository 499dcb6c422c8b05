package lcn

import (
	"slices"
	"testing"
)

// TestEventDetailsReachTheNotification: the order of an upgrade, renewal
// or trial conversion fills LAST_ORDER_REFERENCE when the subscription
// leaves it empty, and contradicting it is refused.
func TestEventDetailsReachTheNotification(t *testing.T) {
	for _, tc := range []struct{ base, path, ref string }{
		{"upgrade-by-vendor", "upgrade.order_reference", "299999999"},
		{"renewal-api", "renewal.order_reference", "299999998"},
		{"trial-conversion", "trial_conversion.order_reference", "299999997"},
	} {
		fs := build(t, tc.base, Options{}, edit{"subscription.orders.last_reference", del}, edit{tc.path, tc.ref})
		expect(t, fs, map[string]string{"LAST_ORDER_REFERENCE": tc.ref})
		_, err := decodeValidate(mutate(t, tc.base, edit{tc.path, tc.ref}))
		if err == nil || !slices.Contains(problems(t, err), tc.path+" inconsistent") {
			t.Errorf("%s: %s %s against another last_reference: %v", tc.base, tc.path, tc.ref, err)
		}
	}
	_, err := decodeValidate(mutate(t, "upgrade-by-vendor", edit{"upgrade.order_reference", del}, edit{"subscription.orders.last_reference", del}))
	if err == nil || !slices.Contains(problems(t, err), "upgrade.order_reference missing_field") {
		t.Errorf("an upgrade without any order reference: %v", err)
	}
}

// TestCountersAgree: BILLING_CYCLES follows RENEWALS_NUMBER and the
// contract position; a renewal that leaves the counters behind is refused.
func TestCountersAgree(t *testing.T) {
	for _, tc := range []struct {
		name  string
		base  string
		edits []edit
		want  string // "" when valid
	}{
		{"renewal moved every counter", "renewal-api", nil, ""},
		{"renewal left the cycles behind", "renewal-api", []edit{{"subscription.billing.cycles", 15}}, "subscription.billing.cycles inconsistent"},
		{"contract position off", "full", []edit{{"subscription.billing.current_cycle", 4}, {"subscription.billing.cycles_left", 9}}, "subscription.billing.current_cycle inconsistent"},
		{"renewal with no renewals", "partner-subscription", []edit{{"subscription.renewals_count", 0}, {"subscription.billing.cycles", 1}, {"subscription.billing.current_cycle", 1}}, "subscription.renewals_count inconsistent"},
		{"upgrade with no upgrades", "upgrade-by-vendor", []edit{{"subscription.upgrades_count", 0}}, "subscription.upgrades_count inconsistent"},
	} {
		_, err := decodeValidate(mutate(t, tc.base, tc.edits...))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !slices.Contains(problems(t, err), tc.want)):
			t.Errorf("%s: want %s, got %v", tc.name, tc.want, err)
		}
	}
}

// TestTrialConversionPeriod: a trial converted at its expiration is paid
// from the trial's end, so its new expiration is later than that.
func TestTrialConversionPeriod(t *testing.T) {
	base := []edit{{"trial_conversion.extend_from_payment_date", false}}
	if _, err := decodeValidate(mutate(t, "trial-conversion", base...)); err != nil {
		t.Fatalf("converted at expiration: %v", err)
	}
	_, err := decodeValidate(mutate(t, "trial-conversion", append(base, edit{"trial_conversion.trial_expires_at", "2026-05-01T00:00:00Z"})...))
	if err == nil || !slices.Contains(problems(t, err), "subscription.expires_at inconsistent") {
		t.Fatalf("expiration before the trial's end: %v", err)
	}
}
