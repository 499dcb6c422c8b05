package lcn

import (
	"slices"
	"strconv"
	"testing"
	"time"
	_ "time/tzdata" // zones for the DST cases, whatever the host has

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// build decodes, validates and builds an edited example.
func build(t *testing.T, base string, opts Options, edits ...edit) signer.Fields {
	t.Helper()
	ev, err := decodeValidate(mutate(t, base, edits...))
	if err != nil {
		t.Fatalf("invalid event: %v", err)
	}
	fs, err := Build(ev, opts)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return fs
}

// expect compares selected fields.
func expect(t *testing.T, fs signer.Fields, want map[string]string) {
	t.Helper()
	for name, v := range want {
		if got, ok := fs.Get(name); !ok || got != v {
			t.Errorf("%s = %q (present %v), want %q", name, got, ok, v)
		}
	}
}

func TestStatusDerivesExpiredAndDisabled(t *testing.T) {
	cases := []struct {
		base, status, expired, disabled string
	}{
		{"full", "ACTIVE", "0", "0"},
		{"licence-pending-activation", "PENDING_ACTIVATION", "0", "0"},
		{"paused", "PAUSED", "0", "0"},
		{"licence-pastdue", "PASTDUE", "1", "0"},
		{"licence-expiration", "EXPIRED", "1", "0"},
		{"cancelation-on-demand", "CANCELED", "0", "1"},
	}
	for _, tc := range cases {
		t.Run(tc.status, func(t *testing.T) {
			fs := build(t, tc.base, Options{})
			expect(t, fs, map[string]string{"STATUS": tc.status, "EXPIRED": tc.expired, "DISABLED": tc.disabled})
		})
	}
}

func TestLifetimeAndTrialDerivations(t *testing.T) {
	cases := []struct {
		name  string
		base  string
		edits []edit
		want  map[string]string
	}{
		{"lifetime", "lifetime", nil, map[string]string{
			"LICENSE_LIFETIME": "1", "EXPIRATION_DATE": param.Lifetime, "EXPIRATION_DATE_TIME": param.Lifetime,
			"RECURRING": "0", "NEXT_RENEWAL_DATE": ""}},
		{"recurring term", "full", nil, map[string]string{
			"LICENSE_LIFETIME": "0", "EXPIRATION_DATE": "2026-04-15", "EXPIRATION_DATE_TIME": "2026-04-15 11:30:00", "RECURRING": "1"}},
		{"trial", "full", []edit{{"subscription.type", "TRIAL"}}, map[string]string{"LICENSE_TYPE": "TRIAL", "IS_TRIAL": "1"}},
		{"regular", "full", nil, map[string]string{"LICENSE_TYPE": "REGULAR", "IS_TRIAL": "0"}},
		{"not a test", "full", []edit{{"test", del}}, map[string]string{"TEST": "0"}},
		{"test", "full", nil, map[string]string{"TEST": "1"}},
		{"no deal flags", "full", []edit{{"subscription.deal", del}}, map[string]string{"CLIENT_DEAL_AUTO_RENEWAL": "", "MERCHANT_DEAL_AUTO_RENEWAL": ""}},
		{"updated_at absent", "full", []edit{{"subscription.updated_at", del}}, map[string]string{"DATE_UPDATED": "2026-03-10 10:15:00"}},
		{"codes normalized", "full", []edit{{"customer.address.country_code", "De"}, {"customer.language", "DE"}, {"subscription.next_renewal.currency", "eur"}},
			map[string]string{"COUNTRY_CODE": "de", "END_USER_LANGUAGE": "de", "NEXT_RENEWAL_CURRENCY": "EUR"}},
		{"card expiration", "licence-cc-change", nil, map[string]string{"NEXT_RENEWAL_CARD_EXPIRATION_DATE": "11/29", "NEXT_RENEWAL_CARD_LAST_DIGITS": "5547"}},
		{"billing type from options", "full", []edit{{"subscription.billing.type", del}}, map[string]string{"LICENSE_BILLING_TYPE": "POSTPAID"}},
		{"billing type prepaid options", "full", []edit{{"subscription.billing.type", del}, {"subscription.pricing_options", []any{map[string]any{"text": "Seats", "usage": "PREPAID"}}}},
			map[string]string{"LICENSE_BILLING_TYPE": "PREPAID"}},
		{"billing type unknown", "licence-change", nil, map[string]string{"LICENSE_BILLING_TYPE": ""}},
		{"customer absent", "full", []edit{{"customer", del}}, map[string]string{"FIRST_NAME": "", "COUNTRY_CODE": "", "AVANGATE_CUSTOMER_REFERENCE": ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, build(t, tc.base, Options{}, tc.edits...), tc.want)
		})
	}
}

// TestDispatchReasonMapping builds every event type and checks the table.
func TestDispatchReasonMapping(t *testing.T) {
	want := map[string]string{
		EventUpdated: "LICENCE_CHANGE", EventRenewed: "LICENCE_CHANGE", EventUpgraded: "LICENCE_CHANGE",
		EventTrialConverted: "LICENCE_CHANGE", EventRecurringChanged: "LICENCE_CHANGE", EventEnabled: "LICENCE_CHANGE",
		EventDisabled: "LICENCE_CHANGE", EventPaused: "LICENCE_CHANGE", EventResumed: "LICENCE_CHANGE",
		EventExpired: "LICENCE_EXPIRATION", EventPastDue: "LICENCE_PASTDUE", EventPaymentMethodChanged: "LICENCE_CC_CHANGE",
		EventImported: "LICENCE_IMPORTED", EventChurnCampaignAccepted: "LICENCE_CPC_ACCEPTED",
		EventCancellationScheduled: "SCHEDULED_FOR_CANCELATION_ON_DEMAND", EventCancellationReverted: "REVERT_CANCELATION_ON_DEMAND",
		EventCanceled: "CANCELATION_ON_DEMAND", EventPendingActivation: "LICENCE_PENDING_ACTIVATION",
		EventGracePeriodChanged: "LICENCE_GP_CHANGE",
	}
	if len(EventTypes()) != len(want) {
		t.Fatalf("%d event types, table has %d", len(EventTypes()), len(want))
	}
	for _, et := range EventTypes() {
		t.Run(et, func(t *testing.T) {
			edits := []edit{{"event_type", et}, {"subscription.type", "REGULAR"}}
			if st := RequiredStatus(et); st != "" {
				edits = append(edits, edit{"subscription.status", st})
			}
			if r, ok := DispatchReasonFor(et); !ok || r != want[et] {
				t.Errorf("DispatchReasonFor = %q, %v; want %q", r, ok, want[et])
			}
			expect(t, build(t, "full", Options{}, edits...), map[string]string{"DISPATCH_REASON": want[et]})
		})
	}
	t.Run("override", func(t *testing.T) {
		fs := build(t, "full", Options{}, edit{"dispatch_reason", "LICENCE_IMPORTED"})
		expect(t, fs, map[string]string{"DISPATCH_REASON": "LICENCE_IMPORTED"})
	})
	if _, ok := DispatchReasonFor("subscription.created"); ok {
		t.Error("unknown event type mapped")
	}
}

func TestMessageID(t *testing.T) {
	ev := mustDecode(t, DefaultExample)
	want := param.MessageID(ev.VendorCode, ev.EventID)
	for range 2 { // every build of the same event, as on a redelivery
		fs := build(t, DefaultExample, Options{})
		expect(t, fs, map[string]string{"MESSAGE_ID": strconv.FormatUint(want, 10), "VENDOR_CODE": "250111206876"})
	}
	other := build(t, DefaultExample, Options{}, edit{"event_id", "evt_other"})
	if a, _ := other.Get("MESSAGE_ID"); a == strconv.FormatUint(want, 10) {
		t.Error("another event got the same MESSAGE_ID")
	}
	expect(t, build(t, DefaultExample, Options{}, edit{"message_id", 254498854202}), map[string]string{"MESSAGE_ID": "254498854202"})
}

// TestTimeZones renders the same instants in several merchant zones: every
// date of one notification at the offset TIMEZONE_OFFSET names, the zone's
// offset when the event occurred.
func TestTimeZones(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	kolkata, err := param.ParseLocation("GMT+05:30")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		loc      *time.Location
		occurred string
		want     map[string]string
	}{
		{"default GMT+2", nil, "2026-03-10T08:15:00Z", map[string]string{
			"TIMEZONE_OFFSET": "GMT+02:00", "DATE_UPDATED": "2026-03-10 10:15:02",
			"EXPIRATION_DATE": "2026-04-15", "EXPIRATION_DATE_TIME": "2026-04-15 11:30:00",
			"START_DATE": "2025-01-15", "START_DATE_TIME": "2025-01-15 11:30:00"}},
		{"UTC", time.UTC, "2026-03-10T08:15:00Z", map[string]string{
			"TIMEZONE_OFFSET": "GMT+00:00", "DATE_UPDATED": "2026-03-10 08:15:02", "EXPIRATION_DATE_TIME": "2026-04-15 09:30:00"}},
		{"fixed GMT+05:30 crosses midnight", kolkata, "2026-03-10T08:15:00Z", map[string]string{
			"TIMEZONE_OFFSET": "GMT+05:30", "PAUSE_START_DATE": "2026-06-01 05:30:00", "LATEST_REPORTED_USAGE_DATE": "2026-03-10 04:30:00"}},
		{"New York, standard time", ny, "2026-03-07T12:00:00Z", map[string]string{
			"TIMEZONE_OFFSET": "GMT-05:00", "PURCHASE_DATE": "2025-01-15", "PURCHASE_DATE_TIME": "2025-01-15 04:28:41",
			"PAUSE_START_DATE": "2026-05-31 19:00:00"}}, // at the notification's offset, not June's
		{"default zone in summer", nil, "2026-07-10T08:15:00Z", map[string]string{
			"TIMEZONE_OFFSET": "GMT+03:00", "DATE_UPDATED": "2026-03-10 11:15:02", "START_DATE_TIME": "2025-01-15 12:30:00"}},
		{"New York, daylight time", ny, "2026-03-10T08:15:00Z", map[string]string{
			"TIMEZONE_OFFSET": "GMT-04:00", "EXPIRATION_DATE_TIME": "2026-04-15 05:30:00",
			"START_DATE_TIME": "2025-01-15 05:30:00", "CANCEL_ON_DEMAND_DATE": "2026-09-15 05:30:00"}},
		{"lifetime ignores zone", ny, "2026-03-10T08:15:00Z", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == nil {
				expect(t, build(t, "lifetime", Options{Location: tc.loc}), map[string]string{"EXPIRATION_DATE": param.Lifetime, "EXPIRATION_DATE_TIME": param.Lifetime})
				return
			}
			expect(t, build(t, DefaultExample, Options{Location: tc.loc}, edit{"occurred_at", tc.occurred}), tc.want)
		})
	}
}

// TestDateOnlyFollowsMerchantDay: a date-only parameter is the merchant's
// calendar day, not the UTC one.
func TestDateOnlyFollowsMerchantDay(t *testing.T) {
	fs := build(t, DefaultExample, Options{}, edit{"subscription.expires_at", "2026-04-15T22:30:00Z"})
	expect(t, fs, map[string]string{"EXPIRATION_DATE": "2026-04-16", "EXPIRATION_DATE_TIME": "2026-04-16 00:30:00"})
}

func TestPricingOptionArrays(t *testing.T) {
	fs := build(t, DefaultExample, Options{})
	want := map[string][]string{
		"LCN_LICENSE_OPTIONS_TEXT":                      {"Seats", "GBs: 100"},
		"LCN_LICENSE_OPTIONS_VALUE":                     {"seats-5", "metered GBs: 100"},
		"LCN_LICENSE_OPTIONS_OPTIONAL_VALUE":            {"S5", "GB: 100"},
		"LCN_LICENSE_OPTIONS_PRICE":                     {"200.00", "49.50"},
		"LCN_LICENSE_OPTIONS_IMPACT_SUBSCRIPTION_VALUE": {"0", "1"},
	}
	for name, vals := range want {
		i := fs.Index(name)
		if i < 0 || !fs[i].Array || !slices.Equal(fs[i].Values, vals) {
			t.Errorf("%s = %+v, want array %q", name, fs[i], vals)
		}
	}
	none := build(t, "licence-change", Options{})
	if i := none.Index("LCN_LICENSE_OPTIONS_TEXT"); i < 0 || !none[i].Array || len(none[i].Values) != 0 {
		t.Errorf("without options: %+v, want an empty array field", none[i])
	}
}

// TestNotYetDates: a date written 0000-00-00 00:00:00 in the event is sent
// as the platform sends dates not reached yet, date-only parameters as
// 0000-00-00, and passes the schema.
func TestNotYetDates(t *testing.T) {
	fs := build(t, DefaultExample, Options{},
		edit{"subscription.started_at", param.NotYet},
		edit{"subscription.usage.last_reported_at", param.NotYet})
	expect(t, fs, map[string]string{
		"START_DATE": param.NotYetDay, "START_DATE_TIME": param.NotYet,
		"LATEST_REPORTED_USAGE_DATE": param.NotYet,
	})
	data := mutate(t, DefaultExample, edit{"subscription.started_at", param.NotYet})
	if err := schemaValidate(t, compileSchema(t), data); err != nil {
		t.Fatalf("schema rejects a not-yet date: %v", err)
	}
	if err := schemaValidate(t, compileSchema(t), mutate(t, DefaultExample, edit{"occurred_at", param.NotYet})); err == nil {
		t.Fatal("schema accepts a not-yet occurred_at")
	}
}
