package ipn

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// The catalogue is the parameter list templates and the receiver use.
var _ templates.Catalogue = Catalogue()

func TestCatalogueOrder(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "catalogue.golden"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(data))
	var got []string
	for _, s := range Catalogue().Specs() {
		got = append(got, s.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("catalogue order differs from testdata/catalogue.golden:\ngot  %v\nwant %v", got, want)
	}
	if names := Catalogue().Names(); len(names) != len(want)-3 || slices.ContainsFunc(names, signer.IsSignatureField) {
		t.Errorf("Names() must list the %d data parameters without signature fields, got %d", len(want)-3, len(names))
	}
	if Catalogue().Kind() != signer.KindIPN {
		t.Errorf("kind = %v", Catalogue().Kind())
	}
}

// TestCatalogueShapes checks every shape spec §2.4 states.
func TestCatalogueShapes(t *testing.T) {
	arrays := []string{"ORIGINAL_REFNOEXT", "IPN_PID", "IPN_PNAME", "IPN_PCODE", "IPN_EXTERNAL_REFERENCE", "IPN_INFO",
		"IPN_QTY", "IPN_PRICE", "IPN_VAT", "IPN_VAT_RATE", "IPN_VER", "IPN_DISCOUNT", "IPN_PROMOTION_CATEGORY",
		"IPN_PROMONAME", "IPN_PROMOCODE", "IPN_ORDER_COSTS", "IPN_SKU", "IPN_PGROUP", "IPN_PGROUP_NAME",
		"IPN_LICENSE_PROD", "IPN_LICENSE_TYPE", "IPN_LICENSE_REF", "IPN_LICENSE_EXP", "IPN_LICENSE_START",
		"IPN_LICENSE_LIFETIME", "IPN_LICENSE_ADDITIONAL_INFO", "IPN_DELIVEREDCODES", "IPN_TOTAL",
		"IPN_ORIGINAL_LINK_SOURCE", ProductOptions,
		"CUSTOM_FIELDS", "IPN_PCOMMISSION", "IPN_BUNDLE_DETAILS", "IPN_BUNDLE_DELIVEREDCODES"}
	for _, s := range Catalogue().Specs() {
		if want := slices.Contains(arrays, s.Name); s.Array != want {
			t.Errorf("%s: Array = %v, want %v", s.Name, s.Array, want)
		}
	}
	for _, name := range []string{"IPN_PARTNER_CODE", "IPN_DOWNLOAD_LINK", "IPN_TOTALGENERAL", "IPN_SHIPPING",
		"IPN_SHIPPING_TAX", "IPN_PARTNER_MARGIN_PERCENT", "IPN_PARTNER_MARGIN", "IPN_EXTRA_MARGIN",
		"IPN_EXTRA_DISCOUNT", "IPN_COUPON_DISCOUNT", "IPN_LINK_SOURCE", "IPN_COMMISSION", "IPN_ORDER_ORIGIN", "IPN_DATE"} {
		if s, ok := Catalogue().Spec(name); !ok || s.Array {
			t.Errorf("%s must be a catalogued scalar", name)
		}
	}
}

func TestCatalogueDocumentedRules(t *testing.T) {
	for _, tc := range []struct {
		name    string
		maxLen  int
		allowed []string
	}{
		{"GIFT_ORDER", 1, []string{"0", "1"}},
		{"SALEDATE", 19, nil},
		{"PAYMENTDATE", 19, nil},
		{"REFNO", 9, nil},
		{"REFNOEXT", 100, nil},
		{"ORIGINAL_REFNOEXT", 100, nil},
		{"SHOPPER_REFERENCE_NUMBER", 255, nil},
		{"COMPLETE_DATE", 19, nil},
		{"IPN_DATE", 14, nil},
		{"IPN_LICENSE_LIFETIME", 0, []string{"YES", "NO"}},
		{"FRAUD_STATUS", 0, []string{"APPROVED", "PENDING", "DENIED", "UNDER REVIEW"}},
		{"TEST_ORDER", 0, []string{"0", "1"}},
	} {
		s, _ := Catalogue().Spec(tc.name)
		if s.MaxLen != tc.maxLen || !slices.Equal(s.Allowed, tc.allowed) {
			t.Errorf("%s: MaxLen %d Allowed %v, want %d %v", tc.name, s.MaxLen, s.Allowed, tc.maxLen, tc.allowed)
		}
	}
	status, _ := Catalogue().Spec("ORDERSTATUS")
	for _, v := range []string{"PENDING", "PURCHASE_PENDING", "PENDING_APPROVAL", "PAYMENT_AUTHORIZED", "PAYMENT_RECEIVED",
		"PENDING_ORDER_APPROVAL", "COMPLETE", "CANCELED", "SUSPECT", "INVALID", "REFUND", "REVERSED", "AUTHRECEIVED"} {
		if !slices.Contains(status.Allowed, v) {
			t.Errorf("ORDERSTATUS must allow %s", v)
		}
	}
	msgType, _ := Catalogue().Spec("MESSAGE_TYPE")
	for _, v := range []string{"AUTH", "COMPLETE", "PENDING", "APPROVED", "PROCESSING"} {
		if !slices.Contains(msgType.Allowed, v) {
			t.Errorf("MESSAGE_TYPE must allow %s", v)
		}
	}
}

// TestExtraFields: the fields beyond the platform's table are catalogued
// after PROPOSAL_ID, marked extra, and the platform's own 112 keep their
// order in front of them.
func TestExtraFields(t *testing.T) {
	extras := []string{"CUSTOM_FIELDS", "IPN_PURCHASE_ORDER_INFO", "REFUND_REASON", "IPN_PCOMMISSION",
		"IPN_BUNDLE_DETAILS", "IPN_BUNDLE_DELIVEREDCODES", "IPN_RESELLER_ID", "IPN_RESELLER_NAME",
		"IPN_RESELLER_URL", "IPN_RESELLER_COMMISSION"}
	names := Catalogue().Names()
	at := slices.Index(names, "PROPOSAL_ID")
	if !slices.Equal(names[at+1:], extras) {
		t.Fatalf("after PROPOSAL_ID: %v, want %v", names[at+1:], extras)
	}
	for _, name := range names {
		if IsExtra(name) != slices.Contains(extras, name) {
			t.Errorf("IsExtra(%s) = %v", name, IsExtra(name))
		}
	}
	if Catalogue().Known("IPN_REFERRER") {
		t.Error("IPN_REFERRER is catalogued; nothing the platform does needs it")
	}
}

func TestDefaultLayoutIsValid(t *testing.T) {
	l := templates.Default(Catalogue())
	if err := l.Validate(Catalogue()); err != nil {
		t.Fatal(err)
	}
	if l.Params[0] != "GIFT_ORDER" || l.Params[len(l.Params)-1] != "IPN_RESELLER_COMMISSION" {
		t.Errorf("default layout runs %s … %s", l.Params[0], l.Params[len(l.Params)-1])
	}
}

func TestIsOptionField(t *testing.T) {
	for name, want := range map[string]bool{
		"IPN_PRODUCT_OPTIONS_35144095_TEXT":           true,
		"IPN_PRODUCT_OPTIONS_35144095_VALUE":          true,
		"IPN_PRODUCT_OPTIONS_35144095_OPTIONAL_VALUE": true,
		"IPN_PRODUCT_OPTIONS_35144095_PRICE":          true,
		"IPN_PRODUCT_OPTIONS_35144095_OPERATOR":       true,
		"IPN_PRODUCT_OPTIONS_35144095_USAGE":          true,
		"IPN_PRODUCT_OPTIONS_ab-12_TEXT":              true,
		"IPN_PRODUCT_OPTIONS":                         false,
		"IPN_PRODUCT_OPTIONS_TEXT":                    false,
		"IPN_PRODUCT_OPTIONS__TEXT":                   false,
		"IPN_PRODUCT_OPTIONS_1_NAME":                  false,
		"IPN_PRODUCT_OPTIONS_1_2_TEXT":                false,
		"IPN_PRODUCT_OPTIONS_1 2_TEXT":                false,
		"IPN_PID":                                     false,
		"XIPN_PRODUCT_OPTIONS_1_TEXT":                 false,
	} {
		if got := IsOptionField(name); got != want {
			t.Errorf("IsOptionField(%q) = %v, want %v", name, got, want)
		}
	}
	if got := OptionField("35144095", "OPTIONAL_VALUE"); got != "IPN_PRODUCT_OPTIONS_35144095_OPTIONAL_VALUE" || !IsOptionField(got) {
		t.Errorf("OptionField = %q", got)
	}
}

// TestOptionFieldNames: the names Build gives an item's option arrays are
// OptionField's, in suffix order.
func TestOptionFieldNames(t *testing.T) {
	for _, id := range []string{"", "1", "35144095", "ab-12"} {
		names := optionFieldNames(id)
		for k, suffix := range optionSuffixes {
			if want := OptionField(id, suffix); names[k] != want {
				t.Errorf("optionFieldNames(%q)[%d] = %q, want %q", id, k, names[k], want)
			}
		}
	}
}

// TestSourcesFollowCatalogue checks the builder feeds every catalogued data
// parameter exactly once, in catalogue order, with the catalogue's shape.
func TestSourcesFollowCatalogue(t *testing.T) {
	names := Catalogue().Names()
	if len(sourceList) != len(names) {
		t.Fatalf("%d sources for %d parameters", len(sourceList), len(names))
	}
	for i, s := range sourceList {
		spec, _ := Catalogue().Spec(names[i])
		if s.name != spec.Name {
			t.Errorf("source %d is %s, catalogue has %s", i, s.name, spec.Name)
		}
		isArray := s.each != nil || s.many != nil || s.name == ProductOptions
		if isArray != spec.Array {
			t.Errorf("%s: source array=%v, catalogue array=%v", s.name, isArray, spec.Array)
		}
		set := 0
		for _, f := range []bool{s.one != nil, s.each != nil, s.many != nil} {
			if f {
				set++
			}
		}
		if want := map[bool]int{true: 0, false: 1}[s.name == ProductOptions]; set != want || s.path == "" {
			t.Errorf("%s: %d value functions (want %d), path %q", s.name, set, want, s.path)
		}
	}
}

func TestEventTypesUseCatalogueValues(t *testing.T) {
	status, _ := Catalogue().Spec("ORDERSTATUS")
	msgType, _ := Catalogue().Spec("MESSAGE_TYPE")
	for et, out := range eventTypes {
		for _, s := range out.Statuses {
			if !slices.Contains(status.Allowed, s) {
				t.Errorf("%s accepts undocumented ORDERSTATUS %s", et, s)
			}
		}
		if !slices.Contains(msgType.Allowed, out.MessageType) {
			t.Errorf("%s sends undocumented MESSAGE_TYPE %s", et, out.MessageType)
		}
	}
}
