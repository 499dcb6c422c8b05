package ipn

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/param"
)

// event decodes a named example for a test to change.
func event(t testing.TB, name string) *Event {
	t.Helper()
	ev, err := Decode(mustExample(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func problems(t *testing.T, err error) []param.Problem {
	t.Helper()
	var pe *param.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *param.Error, got %v", err)
	}
	return pe.Problems
}

func TestValidateRules(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(ev *Event)
		field  string
		reason param.Reason
	}{
		{"status of another event type", func(ev *Event) { ev.Order.Status = "PENDING" }, "order.status", param.ReasonInconsistent},
		{"undocumented message type", func(ev *Event) { ev.Order.MessageType = "SHIPPED" }, "order.message_type", param.ReasonNotAllowed},
		{"no vendor", func(ev *Event) { ev.VendorCode = "" }, "vendor_code", param.ReasonMissing},
		{"no occurred_at", func(ev *Event) { ev.OccurredAt = param.Timestamp{} }, "occurred_at", param.ReasonMissing},
		{"year 9999", func(ev *Event) { ev.Order.PlacedAt.Time = ev.Order.PlacedAt.AddDate(9000, 0, 0) }, "order.placed_at", param.ReasonMalformed},
		{"no refno", func(ev *Event) { ev.Order.Refno = "" }, "order.refno", param.ReasonMissing},
		{"shopper reference too long", func(ev *Event) { ev.Order.ShopperReference = strings.Repeat("é", 256) }, "order.shopper_reference", param.ReasonTooLong},
		{"original ref too long", func(ev *Event) { ev.Order.OriginalExternalRefs = []string{"a", strings.Repeat("b", 101)} }, "order.original_external_refs[1]", param.ReasonTooLong},
		{"name not UTF-8", func(ev *Event) { ev.Items[0].Name = "\xff" }, "items[0].name", param.ReasonMalformed},
		{"billing not UTF-8", func(ev *Event) { ev.Billing.City = "\xc3" }, "billing.city", param.ReasonMalformed},
		{"option not UTF-8", func(ev *Event) { ev.Items[0].PricingOptions = []PricingOption{{Text: "\xff"}} }, "items[0].pricing_options[0]", param.ReasonMalformed},
		{"too many options", func(ev *Event) { ev.Items[0].PricingOptions = make([]PricingOption, 101) }, "items[0].pricing_options", param.ReasonTooLong},
		{"too many items", func(ev *Event) { ev.Items = make([]Item, 1001) }, "items", param.ReasonTooLong},
		{"long decimal", func(ev *Event) { ev.Order.Commission = "1." + strings.Repeat("0", 40) }, "order.commission", param.ReasonTooLong},
		{"event id too long", func(ev *Event) { ev.EventID = strings.Repeat("e", 201) }, "event_id", param.ReasonTooLong},
		{"quantity too big", func(ev *Event) { ev.Items[0].Quantity = 1_000_000_001 }, "items[0].quantity", param.ReasonMalformed},
		{"message id too big", func(ev *Event) { ev.MessageID = "9223372036854775808" }, "message_id", param.ReasonMalformed},
		{"colliding options", func(ev *Event) {
			it := ev.Items[0]
			it.PricingOptions = []PricingOption{{Text: "a"}}
			ev.Items = []Item{it, it}
		}, "items[1].pricing_options", param.ReasonInconsistent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := event(t, "new-order")
			tc.change(ev)
			err := ev.Validate()
			if err == nil {
				t.Fatal("accepted")
			}
			if probs := problems(t, err); !containsProblem(probs, tc.field, tc.reason) {
				t.Errorf("want %s at %s, got %v", tc.reason, tc.field, probs)
			}
			if _, err := Build(ev, Options{}); err == nil {
				t.Error("Build accepts what Validate rejects")
			}
		})
	}
}

func containsProblem(probs []param.Problem, field string, reason param.Reason) bool {
	for _, p := range probs {
		if p.Field == field && p.Reason == reason {
			return true
		}
	}
	return false
}

// TestValidateReportsEverything breaks several independent rules at once.
func TestValidateReportsEverything(t *testing.T) {
	ev := event(t, "full")
	ev.EventType = "order.exploded"
	ev.Order.Refno = "12345678901"
	ev.Order.Currency = "eur"
	ev.Items[1].Price = "x"
	ev.Items[1].Total = ""
	ev.Items[0].License.Lifetime = true
	probs := problems(t, ev.Validate())
	want := []struct {
		field  string
		reason param.Reason
	}{
		{"event_type", param.ReasonNotAllowed},
		{"order.refno", param.ReasonTooLong},
		{"order.currency", param.ReasonMalformed},
		{"items[1].price", param.ReasonMalformed},
		{"items[0].license.expires_at", param.ReasonInconsistent},
	}
	for _, w := range want {
		if !containsProblem(probs, w.field, w.reason) {
			t.Errorf("missing %s at %s in %v", w.reason, w.field, probs)
		}
	}
	if len(probs) != len(want) {
		t.Errorf("got %d problems, want %d (no duplicates for the unknown event type): %v", len(probs), len(want), probs)
	}
}

// TestValidationDoesNotEchoPII checks over-long and malformed personal data
// is reported by field and rule only.
func TestValidationDoesNotEchoPII(t *testing.T) {
	ev := event(t, "full")
	secret := "Private Person Secret Street "
	ev.Order.ExternalRef = strings.Repeat(secret, 10)
	ev.Order.ShopperReference = strings.Repeat(secret, 10)
	ev.Billing.FirstName = secret + "\xff"
	ev.Items[0].DeliveredCodes = "SECRET-KEY-\xff"
	ev.EventID = strings.Repeat(secret, 10)
	err := ev.Validate()
	if err == nil {
		t.Fatal("accepted")
	}
	if strings.Contains(err.Error(), "Secret") || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error echoes personal data: %s", err)
	}
	if n := len(problems(t, err)); n != 5 {
		t.Errorf("%d problems, want 5: %v", n, err)
	}
}

// TestValidateReportsOnce checks a rule the event checks and the catalogue
// share is reported once.
func TestValidateReportsOnce(t *testing.T) {
	ev := event(t, "new-order")
	ev.Order.Refno = ""
	ev.VendorCode = ""
	probs := problems(t, ev.Validate())
	if len(probs) != 2 || !containsProblem(probs, "order.refno", param.ReasonMissing) || !containsProblem(probs, "vendor_code", param.ReasonMissing) {
		t.Errorf("want one missing_field each at order.refno and vendor_code, got %v", probs)
	}
}

func TestValidateNil(t *testing.T) {
	var ev *Event
	if err := ev.Validate(); err == nil {
		t.Error("nil event validated")
	}
	if fs, err := Build(nil, Options{}); err == nil || fs != nil {
		t.Error("nil event built")
	}
}

// TestOverLongIsRejectedNotTruncated checks the documented policy.
func TestOverLongIsRejectedNotTruncated(t *testing.T) {
	ev := event(t, "new-order")
	ev.Order.ExternalRef = strings.Repeat("r", 101)
	fs, err := Build(ev, Options{})
	if fs != nil {
		t.Error("Build returned fields for an invalid event")
	}
	var pe *param.Error
	if !errors.As(err, &pe) || pe.Reason() != string(param.ReasonTooLong) {
		t.Errorf("want reason too_long, got %v", err)
	}
}

// TestBuildBoundsProblems: an event with a bad price in each of 1,000
// items and in each of 5,000 pricing options keeps param.MaxProblems
// problems, counts the rest, and describes only those it keeps.
func TestBuildBoundsProblems(t *testing.T) {
	bad := func(badItems, options int) *Event { // 1,000 items, the first badItems with a bad price
		ev := event(t, "full")
		it := ev.Items[0]
		it.PricingOptions = nil
		price := it.Price
		ev.Items = nil
		for i := range 1000 {
			it.ID, it.Price = strconv.Itoa(i), price
			if i < badItems {
				it.Price = "x"
			}
			ev.Items = append(ev.Items, it)
		}
		for range options {
			ev.Items[0].PricingOptions = append(ev.Items[0].PricingOptions, PricingOption{Price: "x"})
		}
		return ev
	}
	many, half := bad(1000, 5000), bad(1000, 2500)
	var pe *param.Error
	if _, err := Build(many, Options{}); !errors.As(err, &pe) {
		t.Fatalf("built: %v", err)
	}
	if len(pe.Problems) != param.MaxProblems || pe.More < 1000+5000-param.MaxProblems {
		t.Errorf("%d problems and %d more, want %d and at least %d", len(pe.Problems), pe.More, param.MaxProblems, 1000+5000-param.MaxProblems)
	}
	// 2,500 more bad options would cost thousands of allocations if each
	// were described; a few slices grow larger instead. (Not an exact
	// comparison: with the race detector, sync.Pool drops items at random.)
	allocs := testing.AllocsPerRun(3, func() { _, _ = Build(many, Options{}) })
	if fewer := testing.AllocsPerRun(3, func() { _, _ = Build(half, Options{}) }); allocs-fewer > 100 {
		t.Errorf("%.0f allocations to build with 5,000 bad options, %.0f with 2,500: problems beyond the kept ones are described", allocs, fewer)
	}
}
