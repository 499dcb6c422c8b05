package ipn

import (
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/lcngw/lcngw/param"
)

func TestIsDecimal(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "4": true, "0.01": true, "-0.57": true, "0.0000": true, "2.7678": true,
		"0.20810660205937": true, "120": true, "-0": true,
		"": false, "-": false, ".5": false, "5.": false, "01": false, "1e3": false, "+1": false,
		"1,5": false, " 1": false, "1.2.3": false, "--1": false, "0x10": false,
	} {
		if got := isDecimal(s); got != want {
			t.Errorf("isDecimal(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestParseAndFormatFixed(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want string // formatCents of the parsed value
	}{
		{"0.01", true, "0.01"},
		{"29", true, "29.00"},
		{"-0.57", true, "-0.57"},
		{"0.005", true, "0.01"},      // half away from zero
		{"-0.005", true, "-0.01"},    // half away from zero
		{"0.0049999", true, "0.00"},  // below half
		{"1.995", true, "2.00"},      // carries into the units
		{"0.12345678", true, "0.12"}, // eight decimals
		{"0.123456789", false, ""},   // nine decimals
		{"92233720369", false, ""},   // beyond ±9.2·10¹⁰ in units of 10⁻⁸
		{"9999999999.99", true, "9999999999.99"},
		{"1.2.3", false, ""},
	} {
		v, ok := parseFixed(tc.in)
		if ok != tc.ok {
			t.Errorf("parseFixed(%q) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if ok {
			if got := formatCents(v); got != tc.want {
				t.Errorf("formatCents(parseFixed(%q)) = %s, want %s", tc.in, got, tc.want)
			}
		}
	}
	if _, ok := mulFixed(math.MaxInt64/2, 3); ok {
		t.Error("mulFixed overflow not detected")
	}
	if _, ok := addFixed(math.MaxInt64, 1); ok {
		t.Error("addFixed overflow not detected")
	}
	if _, ok := addFixed(math.MinInt64, -1); ok {
		t.Error("addFixed underflow not detected")
	}
}

// TestDerivedTotals checks IPN_TOTAL[] and IPN_TOTALGENERAL derivation,
// including the platform fixture (spec §8.3) and the old documentation
// example (spec §8.2 D6: price 29.00, VAT 0.00, shipping 5.00 → 29.00 and
// 34.00).
func TestDerivedTotals(t *testing.T) {
	type line struct {
		price, vat, total string
		qty               int64
	}
	for _, tc := range []struct {
		name          string
		lines         []line
		shipping, tax string
		total         string
		wantLines     []string
		wantTotal     string
		problemAt     string
		problemReason param.Reason
	}{
		{name: "platform fixture", lines: []line{{price: "0.01", vat: "0.00", qty: 1}}, shipping: "0.00", tax: "0.00", wantLines: []string{"0.01"}, wantTotal: "0.01"},
		{name: "doc example D6", lines: []line{{price: "29.00", vat: "0.00", qty: 1}}, shipping: "5.00", wantLines: []string{"29.00"}, wantTotal: "34.00"},
		{name: "quantity and VAT", lines: []line{{price: "19.99", vat: "11.99", qty: 3}}, wantLines: []string{"71.96"}, wantTotal: "71.96"},
		{name: "rounds each line", lines: []line{{price: "0.333", qty: 1}, {price: "0.333", qty: 1}, {price: "0.333", qty: 1}}, wantLines: []string{"0.33", "0.33", "0.33"}, wantTotal: "0.99"},
		{name: "half away from zero", lines: []line{{price: "0.125", qty: 1}, {price: "-0.125", qty: 1}}, wantLines: []string{"0.13", "-0.13"}, wantTotal: "0.00"},
		{name: "given and derived", lines: []line{{price: "10", vat: "2", total: "12.0", qty: 1}, {price: "5", vat: "1", qty: 2}}, shipping: "1.5", tax: "0.3", wantLines: []string{"12.0", "11.00"}, wantTotal: "24.80"},
		{name: "given order total kept", lines: []line{{price: "1", qty: 1}}, total: "1.0", wantLines: []string{"1.00"}, wantTotal: "1.0"},
		{name: "free", lines: []line{{price: "0.00", vat: "0.00", qty: 1}}, wantLines: []string{"0.00"}, wantTotal: "0.00"},
		{name: "refund", lines: []line{{price: "-49.00", qty: 1}}, wantLines: []string{"-49.00"}, wantTotal: "-49.00"},
		{name: "no price", lines: []line{{qty: 1}}, problemAt: "items[0].price", problemReason: param.ReasonMissing},
		{name: "nine decimals", lines: []line{{price: "0.123456789", qty: 1}}, problemAt: "items[0]", problemReason: param.ReasonMalformed},
		{name: "overflow", lines: []line{{price: "9000000000", qty: 100}}, problemAt: "items[0]", problemReason: param.ReasonMalformed},
		{name: "order overflow", lines: []line{{price: "90000000000", total: "90000000000", qty: 1}}, shipping: "90000000000", problemAt: "order.totals", problemReason: param.ReasonMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := event(t, "new-order")
			ev.Order.Totals.Shipping, ev.Order.Totals.ShippingTax, ev.Order.Totals.Total = tc.shipping, tc.tax, tc.total
			ev.Items = nil
			for i, l := range tc.lines {
				ev.Items = append(ev.Items, Item{ID: strconv.Itoa(i + 1), Quantity: l.qty, Price: l.price, VAT: l.vat, Total: l.total})
			}
			fs, err := Build(ev, Options{})
			if tc.problemAt != "" {
				if err == nil || !containsProblem(problems(t, err), tc.problemAt, tc.problemReason) {
					t.Fatalf("want %s at %s, got %v", tc.problemReason, tc.problemAt, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := values(t, fs, "IPN_TOTAL"); !slices.Equal(got, tc.wantLines) {
				t.Errorf("IPN_TOTAL = %q, want %q", got, tc.wantLines)
			}
			if got := value(t, fs, "IPN_TOTALGENERAL"); got != tc.wantTotal {
				t.Errorf("IPN_TOTALGENERAL = %s, want %s", got, tc.wantTotal)
			}
		})
	}
}
