package ipn

import (
	"fmt"
	"unicode/utf8"

	"github.com/lcngw/lcngw/param"
)

// Validate reports every problem of the event at once, as a *param.Error:
// the event-level rules (identifiers, formats, consistency) and every rule
// of the catalogue for the notification the default layout would carry.
// Values longer than a documented maximum are rejected (reason too_long),
// never truncated.
func (ev *Event) Validate() error {
	_, err := Build(ev, Options{})
	return err
}

// eventProblems applies the event-level rules, recording their problems
// in probs.
func eventProblems(ev *Event, probs *param.Problems) {
	c := checker{probs: probs}
	checkEnvelope(&c, ev)
	checkOrder(&c, &ev.Order, ev.EventType)
	c.format(at("billing.country_code"), ev.Billing.CountryCode, isCountryCode, "an ISO 3166-1 alpha-2 code")
	c.format(at("delivery.country_code"), ev.Delivery.CountryCode, isCountryCode, "an ISO 3166-1 alpha-2 code")
	c.format(at("shopper.ip"), ev.Shopper.IP, isIP, "an IPv4 or IPv6 address")
	checkItems(&c, ev.Items)
}

func checkEnvelope(c *checker, ev *Event) {
	if ev.Schema != SchemaV1 {
		c.add(at("schema"), param.ReasonSchemaVersion, fmt.Sprintf("must be %q", SchemaV1))
	}
	c.text(at("event_id"), ev.EventID, true, maxEventID)
	if _, ok := eventTypes[ev.EventType]; !ok {
		if ev.EventType == "" {
			c.add(at("event_type"), param.ReasonMissing, "required")
		} else {
			c.add(at("event_type"), param.ReasonNotAllowed, param.NotOneOf(EventTypeNames()))
		}
	}
	c.instant(at("occurred_at"), ev.OccurredAt.Time, true)
	c.text(at("vendor_code"), ev.VendorCode, true, maxVendorCode)
	c.format(at("message_id"), ev.MessageID, isMessageID, "a positive integer below 2^63 without leading zeros")
}

func checkOrder(c *checker, o *Order, t EventType) {
	if o.Refno == "" {
		c.add(at("order.refno"), param.ReasonMissing, "required")
	}
	c.format(at("order.refno"), o.Refno, isDigits, "digits")
	if out, ok := eventTypes[t]; ok {
		if _, ok := out.status(o.Status); !ok {
			c.add(at("order.status"), param.ReasonInconsistent, fmt.Sprintf("does not go with the event type (accepted: %v)", out.Statuses))
		}
	}
	c.instant(at("order.placed_at"), o.PlacedAt.Time, false)
	c.instant(at("order.paid_at"), o.PaidAt.Time, false)
	c.instant(at("order.completed_at"), o.CompletedAt.Time, false)
	c.format(at("order.currency"), o.Currency, isCurrency, "an ISO 4217 code in capitals")
	c.format(at("order.payout.currency"), o.Payout.Currency, isCurrency, "an ISO 4217 code in capitals")
	c.format(at("order.payment.card.last_digits"), o.Payment.Card.LastDigits, isLastDigits, "1 to 4 digits")
	c.format(at("order.payment.card.expiration"), o.Payment.Card.Expiration, isCardExpiration, "MM/YY")
	for _, a := range [...]struct {
		path string
		v    string
	}{
		{"order.totals.total", o.Totals.Total}, {"order.totals.shipping", o.Totals.Shipping},
		{"order.totals.shipping_tax", o.Totals.ShippingTax}, {"order.totals.coupon_discount", o.Totals.CouponDiscount},
		{"order.commission", o.Commission}, {"order.fx.rate", o.FX.Rate}, {"order.fx.markup", o.FX.Markup},
		{"order.payout.amount", o.Payout.Amount}, {"order.partner.margin_percent", o.Partner.MarginPercent},
		{"order.partner.margin", o.Partner.Margin}, {"order.partner.extra_margin", o.Partner.ExtraMargin},
		{"order.partner.extra_discount", o.Partner.ExtraDiscount},
	} {
		c.decimal(at(a.path), a.v)
	}
}

func checkItems(c *checker, items []Item) {
	switch {
	case len(items) == 0:
		c.add(at("items"), param.ReasonMissing, "at least one item is required")
		return
	case len(items) > maxItems:
		c.add(at("items"), param.ReasonTooLong, fmt.Sprintf("%d items, at most %d allowed", len(items), maxItems))
		return
	}
	var withOptions map[string]bool // ids of items with pricing options
	for i := range items {
		it := &items[i]
		checkItem(c, it, loc{prefix: "items", i: i})
		if len(it.PricingOptions) == 0 {
			continue
		}
		if withOptions[it.ID] {
			c.add(loc{prefix: "items", i: i, leaf: ".pricing_options"}, param.ReasonInconsistent,
				"another item with the same id has pricing options; their option fields would collide")
		}
		if withOptions == nil {
			withOptions = make(map[string]bool)
		}
		withOptions[it.ID] = true
	}
}

func checkItem(c *checker, it *Item, path loc) {
	if it.ID == "" {
		c.add(path.with(".id"), param.ReasonMissing, "required")
	}
	c.format(path.with(".id"), it.ID, validProductID, "1 to 64 letters, digits or hyphens")
	if it.Quantity < 1 || it.Quantity > maxQuantity {
		c.add(path.with(".quantity"), param.ReasonMalformed, fmt.Sprintf("must be between 1 and %d", maxQuantity))
	}
	for _, a := range [...]struct {
		leaf string
		v    string
	}{
		{".price", it.Price}, {".vat", it.VAT}, {".vat_rate", it.VATRate}, {".discount", it.Discount},
		{".order_costs", it.OrderCosts}, {".total", it.Total},
	} {
		c.decimal(path.with(a.leaf), a.v)
	}
	c.format(path.with(".group.id"), it.Group.ID, isDigits, "digits")
	if l := it.License; l != nil {
		c.instant(path.with(".license.starts_at"), l.StartsAt.Time, false)
		c.instant(path.with(".license.expires_at"), l.ExpiresAt.Time, false)
		if l.Lifetime && !l.ExpiresAt.IsZero() {
			c.add(path.with(".license.expires_at"), param.ReasonInconsistent, "a lifetime license has no expiration")
		}
	}
	checkOptions(c, it.PricingOptions, path.with(".pricing_options"))
}

func checkOptions(c *checker, opts []PricingOption, path loc) {
	if len(opts) > maxOptionsPerItem {
		c.add(path, param.ReasonTooLong, fmt.Sprintf("%d options, at most %d allowed", len(opts), maxOptionsPerItem))
	}
	for j := range opts {
		o := &opts[j]
		if (o.Price != "" && !isDecimal(o.Price) || len(o.Price) > maxDecimalLen) && !c.full() {
			c.decimal(at(fmt.Sprintf("%s[%d].price", path, j)), o.Price)
		}
		// Option fields are outside the catalogue, so check their text here.
		for k := range optionSuffixes {
			if v := o.field(k); !utf8.ValidString(v) {
				if !c.full() {
					c.add(at(fmt.Sprintf("%s[%d]", path, j)), param.ReasonMalformed, "not valid UTF-8")
				}
				break
			}
		}
	}
}
