package lcn

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lcngw/lcngw/param"
)

const schemaURL = "https://github.com/lcngw/lcngw/lcn/schema/lcn-event.v1.schema.json"

// compileSchema compiles the shipped schema with format assertions on.
func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return sch
}

func schemaValidate(t testing.TB, sch *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// mustDecode decodes and validates an example.
func mustDecode(t testing.TB, name string) *Event {
	t.Helper()
	data, err := Example(name)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Decode(data)
	if err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	if err := ev.Validate(); err != nil {
		t.Fatalf("%s: validate: %v", name, err)
	}
	return ev
}

func TestExamplesMatchSchemaAndBuild(t *testing.T) {
	sch := compileSchema(t)
	names := ExampleNames()
	if len(names) != 20 {
		t.Errorf("got %d examples, want 20 (full, 11 reasons, 8 flows): %v", len(names), names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data, err := Example(name)
			if err != nil {
				t.Fatal(err)
			}
			if err := schemaValidate(t, sch, data); err != nil {
				t.Fatalf("schema rejects example: %v", err)
			}
			ev := mustDecode(t, name)
			fs, err := Build(ev, Options{})
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			if len(fs) != 91 {
				t.Errorf("built %d fields, want 91", len(fs))
			}
		})
	}
}

func TestExampleForEveryReason(t *testing.T) {
	for _, reason := range DispatchReasons() {
		t.Run(reason, func(t *testing.T) {
			data, err := ExampleForReason(reason)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := Build(ev, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := fs.Get("DISPATCH_REASON"); got != reason {
				t.Errorf("DISPATCH_REASON = %q, want %q", got, reason)
			}
		})
	}
	if _, err := ExampleForReason("LICENSE_CHANGE"); err == nil {
		t.Error("ExampleForReason accepted the American spelling")
	}
}

func TestExampleLookup(t *testing.T) {
	def, err := Example("")
	if err != nil {
		t.Fatal(err)
	}
	full, _ := Example(DefaultExample)
	if !bytes.Equal(def, full) {
		t.Error(`Example("") differs from Example("full")`)
	}
	for _, bad := range []string{"nope", "../schema/lcn-event.v1.schema", "full.json", "examples/full"} {
		if _, err := Example(bad); err == nil {
			t.Errorf("Example(%q) succeeded", bad)
		}
	}
	if !slices.IsSorted(ExampleNames()) {
		t.Error("ExampleNames not sorted")
	}
}

// TestFullExampleFillsEveryParameter: the default example yields every data
// parameter with a non-empty value, and every array element non-empty.
func TestFullExampleFillsEveryParameter(t *testing.T) {
	fs, err := Build(mustDecode(t, DefaultExample), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(fs), len(Catalogue().Names()); got != want || want != 91 {
		t.Fatalf("got %d fields, catalogue has %d data parameters, want 91", got, want)
	}
	for i, f := range fs {
		if f.Name != Catalogue().Names()[i] {
			t.Errorf("field %d is %s, want %s", i, f.Name, Catalogue().Names()[i])
		}
		if len(f.Values) == 0 {
			t.Errorf("%s has no value", f.Name)
		}
		for j, v := range f.Values {
			if v == "" {
				t.Errorf("%s[%d] is empty", f.Name, j)
			}
		}
	}
}

func TestBuildErrorIsParamError(t *testing.T) {
	_, err := Build(nil, Options{})
	var pe *param.Error
	if !errors.As(err, &pe) {
		t.Fatalf("Build(nil) error %v is not a *param.Error", err)
	}
}

// TestFlowExamples: each flow example says what its flow means on the wire.
func TestFlowExamples(t *testing.T) {
	cases := map[string]map[string]string{
		"renewal-api": {"DISPATCH_REASON": "LICENCE_CHANGE", "EXPIRATION_DATE_TIME": "2026-04-19 12:30:00", // 2026-04-15 + 4 days, at GMT+03:00 (summer time)
			"LAST_ORDER_REFERENCE": "262118340", "RENEWALS_NUMBER": "15", "CHANGED_BY": "VENDOR"},
		"upgrade-by-vendor":                   {"CHANGED_BY": "VENDOR", "LICENSE_PRODUCT_CODE": "ANALYTICS-ENT-M", "UPGRADES_NUMBER": "2", "LAST_ORDER_REFERENCE": "255870219"},
		"upgrade-by-customer":                 {"CHANGED_BY": "CUSTOMER", "NEXT_RENEWAL_CARD_LAST_DIGITS": "5547", "UPGRADES_NUMBER": "2"},
		"trial-conversion":                    {"LICENSE_TYPE": "REGULAR", "IS_TRIAL": "0", "START_DATE": "2026-03-14", "PURCHASE_DATE": "2026-03-07"},
		"vendor-update":                       {"CHANGED_BY": "VENDOR", "RECURRING": "0", "EXPIRATION_DATE": "2026-12-12", "NEXT_RENEWAL_DATE": ""},
		"partner-subscription":                {"PARTNER_CODE": "PARTNER-EU-042", "LAST_ORDER_REFERENCE": "262001148"},
		"paused":                              {"STATUS": "PAUSED", "EXPIRED": "0", "DISABLED": "0", "PAUSE_START_DATE": "2026-06-01 03:00:00", "PAUSE_END_DATE": "2026-07-01 03:00:00", "PAUSE_REASON": "Seasonal closure"},
		"lifetime":                            {"LICENSE_LIFETIME": "1", "EXPIRATION_DATE": "9999-12-31 23:59:59", "RECURRING": "0"},
		"licence-cpc-accepted":                {"DISPATCH_REASON": "LICENCE_CPC_ACCEPTED", "NEXT_RENEWAL_PRICE": "199.60", "CHURN_PREVENTION_CAMPAIGN_DISCOUNT": "20%"},
		"scheduled-for-cancelation-on-demand": {"DISPATCH_REASON": "SCHEDULED_FOR_CANCELATION_ON_DEMAND", "STATUS": "ACTIVE", "CANCEL_ON_DEMAND_DATE": "2026-04-15 11:30:00"},
		"revert-cancelation-on-demand":        {"DISPATCH_REASON": "REVERT_CANCELATION_ON_DEMAND", "STATUS": "ACTIVE", "CANCEL_ON_DEMAND_DATE": ""},
		"cancelation-on-demand":               {"STATUS": "CANCELED", "DISABLED": "1", "RECURRING": "0"},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) { expect(t, build(t, name, Options{}), want) })
	}
}

// TestExamplesAgree: examples that share a subscription reference describe
// one subscription (same product, dates, first order and expiration), and
// every renewal example delivers a new activation code, as renewals do.
func TestExamplesAgree(t *testing.T) {
	type identity struct {
		Product, Started, Purchased, Expires, FirstOrder string
	}
	seen := map[string]identity{}
	owner := map[string]string{}
	for _, name := range ExampleNames() {
		ev := decodeExample(t, name)
		s := &ev.Subscription
		id := identity{Started: s.StartedAt.String(), Purchased: s.PurchasedAt.String(), Expires: s.ExpiresAt.String()}
		if s.Product != nil {
			id.Product = s.Product.Code
		}
		if s.Orders != nil {
			id.FirstOrder = s.Orders.OriginalReference
		}
		if prev, ok := seen[s.LicenseCode]; ok && prev != id {
			t.Errorf("%s and %s share license code %s but differ: %+v vs %+v", owner[s.LicenseCode], name, s.LicenseCode, prev, id)
		}
		seen[s.LicenseCode], owner[s.LicenseCode] = id, name
		if ev.EventType == EventRenewed && s.ActivationCode == "" {
			t.Errorf("%s: a renewal without an activation code", name)
		}
	}
}

func decodeExample(t *testing.T, name string) *Event {
	t.Helper()
	data, err := Example(name)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}
