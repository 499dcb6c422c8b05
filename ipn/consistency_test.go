package ipn

import (
	"strings"
	"testing"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/templates"
)

// TestSemanticChecks: amounts and identifiers that pass their formats but
// contradict each other or the documented types are refused, each at the
// event member behind it; consistent variants pass.
func TestSemanticChecks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		base   string
		edit   func(*Event)
		field  string // "" means the event builds
		reason param.Reason
	}{
		{"line total as price × quantity + vat", "new-order", func(ev *Event) {
			ev.Items[0].Price, ev.Items[0].Quantity, ev.Items[0].VAT, ev.Items[0].Total = "10.00", 3, "6.30", "36.30"
			ev.Order.Totals.Total = ""
		}, "", ""},
		{"line total less its discount", "new-order", func(ev *Event) {
			ev.Items[0].Price, ev.Items[0].Quantity, ev.Items[0].VAT, ev.Items[0].Discount, ev.Items[0].Total = "10.00", 3, "0", "5.00", "25.00"
			ev.Order.Totals.Total = ""
		}, "", ""},
		{"line total off", "new-order", func(ev *Event) {
			ev.Items[0].Price, ev.Items[0].Quantity, ev.Items[0].VAT, ev.Items[0].Total = "10.00", 3, "0", "10.00"
			ev.Order.Totals.Total = ""
		}, "items[0].total", param.ReasonInconsistent},
		{"order total off", "new-order", func(ev *Event) {
			ev.Order.Totals.Total = "1000.00"
		}, "order.totals.total", param.ReasonInconsistent},
		{"order total less the coupon", "new-order", func(ev *Event) {
			ev.Items[0].Price, ev.Items[0].Quantity, ev.Items[0].VAT, ev.Items[0].Total = "10.00", 1, "0", ""
			ev.Order.Totals = Totals{Total: "8.00", CouponDiscount: "2.00"}
		}, "", ""},
		{"free order with a price", "free-order", func(ev *Event) {
			ev.Items[0].Price = "9.99"
		}, "order.payment.method_code", param.ReasonInconsistent},
		{"free order with a total", "free-order", func(ev *Event) {
			ev.Order.Totals.Shipping = "4.00"
		}, "order.payment.method_code", param.ReasonInconsistent},
		{"free order", "free-order", func(*Event) {}, "", ""},
		{"non-numeric product id", "new-order", func(ev *Event) {
			ev.Items[0].ID = "prod-1"
		}, "items[0].id", param.ReasonMalformed},
		{"non-numeric license product", "new-order", func(ev *Event) {
			ev.Items[0].License.Product = "abc"
		}, "items[0].license.product", param.ReasonMalformed},
		{"license type outside the documented set", "new-order", func(ev *Event) {
			ev.Items[0].License.Type = "PERPETUAL"
		}, "items[0].license.type", param.ReasonNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := event(t, tc.base)
			tc.edit(ev)
			_, err := Build(ev, Options{})
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if probs := problems(t, err); !containsProblem(probs, tc.field, tc.reason) {
				t.Fatalf("want %s at %s, got %v", tc.reason, tc.field, probs)
			}
		})
	}
}

// TestExtraFieldsSentWhenPresent: the fields beyond the platform's table
// are absent from a notification whose event lacks them, sent after
// PROPOSAL_ID when it has them, and placed where a layout names them.
func TestExtraFieldsSentWhenPresent(t *testing.T) {
	plain := build(t, event(t, "new-order"), Options{})
	for _, f := range plain {
		if IsExtra(f.Name) {
			t.Errorf("%s sent for an event without it", f.Name)
		}
	}
	ev := event(t, "new-order")
	ev.Order.RefundReason = "Customer request"
	ev.Order.CustomFields = []string{"PO: 77"}
	ev.Items[0].Commission = "1.25"
	fs := build(t, ev, Options{})
	var names []string
	for _, f := range fs[fs.Index("PROPOSAL_ID")+1:] {
		names = append(names, f.Name)
	}
	if got, want := strings.Join(names, " "), "CUSTOM_FIELDS REFUND_REASON IPN_PCOMMISSION"; got != want {
		t.Fatalf("after PROPOSAL_ID: %s, want %s", got, want)
	}
	if got := values(t, fs, "IPN_PCOMMISSION"); len(got) != 1 || got[0] != "1.25" {
		t.Fatalf("IPN_PCOMMISSION = %q", got)
	}
	layout := &templates.Layout{Name: "po", Params: []string{"REFNO", "REFUND_REASON", "IPN_PID", "IPN_DATE", "VENDOR_CODE", "IPN_RESELLER_ID"}}
	fs = build(t, ev, Options{Layout: layout})
	var got []string
	for _, f := range fs {
		got = append(got, f.Name)
	}
	if want := "REFNO REFUND_REASON IPN_PID IPN_DATE VENDOR_CODE"; strings.Join(got, " ") != want {
		t.Fatalf("layout fields %v, want %s", got, want)
	}
	ev.Order.Reseller.Commission = "ten"
	if _, err := Build(ev, Options{}); !containsProblem(problems(t, err), "order.reseller.commission", param.ReasonMalformed) {
		t.Fatalf("a non-decimal reseller commission builds: %v", err)
	}
}

// TestExamplesSendWhatThePlatformSends: every example names its customer,
// and amounts that do not apply are sent as 0.00, as real payloads do.
func TestExamplesSendWhatThePlatformSends(t *testing.T) {
	for _, name := range ExampleNames() {
		fs := build(t, event(t, name), Options{})
		if value(t, fs, "AVANGATE_CUSTOMER_REFERENCE") == "" {
			t.Errorf("%s: no AVANGATE_CUSTOMER_REFERENCE", name)
		}
		for _, p := range []string{"IPN_SHIPPING", "IPN_SHIPPING_TAX", "IPN_PARTNER_MARGIN_PERCENT", "IPN_PARTNER_MARGIN",
			"IPN_EXTRA_MARGIN", "IPN_EXTRA_DISCOUNT", "IPN_COUPON_DISCOUNT"} {
			if v := value(t, fs, p); !isDecimal(v) {
				t.Errorf("%s: %s = %q, want an amount", name, p, v)
			}
		}
	}
}
