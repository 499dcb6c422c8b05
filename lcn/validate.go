package lcn

import (
	"strconv"
	"unicode/utf8"

	"github.com/lcngw/lcngw/param"
)

// MaxEventIDLen bounds event_id, in characters.
const MaxEventIDLen = 255

// maxMessageID is the largest MESSAGE_ID (a positive signed 64-bit integer).
const maxMessageID = 1<<63 - 1

// Event-only enumerations.
var (
	originChannels    = []string{"API", "CONTROL_PANEL", "MY_ACCOUNT", "CHANNEL_MANAGER", "IMPORT", "SYSTEM"}
	changedAttributes = []string{"end_user", "expiration_date", "subscription_enabled", "recurring_enabled", "external_customer_reference", "product_id", "product_name", "product_quantity", "price_option_codes", "activation_key"}
	upgradePlacers    = []string{ChangedByCustomer, ChangedByVendor}
	paymentDetails    = []string{"CURRENT", "NEW"}
)

// Validate checks the event's content and reports every problem at once
// as a *param.Error: required members, enumerations, the documented
// maximum lengths of the parameters each value feeds (a longer value is
// rejected, never truncated), formats and consistency between members.
// Problems name the member and the rule and never quote free text.
func (ev *Event) Validate() error {
	if ev == nil {
		return param.Collect(kind, []param.Problem{{Reason: param.ReasonMissing, Detail: "no event"}})
	}
	var c checker
	c.envelope(ev)
	c.customer(ev.Customer)
	c.subscription(&ev.Subscription)
	c.details(ev)
	c.consistency(ev)
	return c.probs.Err(kind)
}

func (c *checker) envelope(ev *Event) {
	if ev.Schema != SchemaVersion {
		c.put(schemaProblem(ev.Schema))
	}
	if c.required("event_id", ev.EventID) {
		if n := utf8.RuneCountInString(ev.EventID); n > MaxEventIDLen {
			c.add("event_id", param.ReasonTooLong, strconv.Itoa(n)+" characters, at most "+strconv.Itoa(MaxEventIDLen)+" allowed")
		}
	}
	if ev.EventType == "" && ev.DispatchReason == "" {
		c.add("event_type", param.ReasonMissing, "event_type or dispatch_reason required")
	}
	c.enum("event_type", ev.EventType, eventTypeOrder)
	c.param("dispatch_reason", "DISPATCH_REASON", ev.DispatchReason)
	if ev.OccurredAt.IsZero() {
		c.missing("occurred_at")
	}
	if c.required("vendor_code", ev.VendorCode) {
		c.format("vendor_code", ev.VendorCode, isIdentifier, "1–64 characters of A–Z, a–z, 0–9, _ . -")
	}
	if c.required("changed_by", ev.ChangedBy) {
		c.param("changed_by", "CHANGED_BY", ev.ChangedBy)
	}
	if ev.MessageID != nil && (*ev.MessageID == 0 || *ev.MessageID > maxMessageID) {
		c.add("message_id", param.ReasonMalformed, "must be between 1 and 2^63-1")
	}
}

func (c *checker) customer(cu *Customer) {
	if cu == nil {
		return
	}
	c.param("customer.first_name", "FIRST_NAME", cu.FirstName)
	c.param("customer.last_name", "LAST_NAME", cu.LastName)
	c.param("customer.company", "COMPANY", cu.Company)
	c.param("customer.email", "EMAIL", cu.Email)
	c.param("customer.phone", "PHONE", cu.Phone)
	c.param("customer.fax", "FAX", cu.Fax)
	c.format("customer.language", cu.Language, func(s string) bool { return isLetters(s, 2) }, "an ISO 639-1 code (two letters)")
	c.id("customer.reference", "AVANGATE_CUSTOMER_REFERENCE", cu.Reference)
	c.param("customer.external_reference", "EXTERNAL_CUSTOMER_REFERENCE", cu.ExternalReference)
	if a := cu.Address; a != nil {
		c.param("customer.address.street", "ADDRESS", a.Street)
		c.param("customer.address.city", "CITY", a.City)
		c.param("customer.address.state", "STATE", a.State)
		c.param("customer.address.zip", "ZIP", a.Zip)
		c.param("customer.address.country", "COUNTRY", a.Country)
		c.format("customer.address.country_code", a.CountryCode, func(s string) bool { return isLetters(s, 2) }, "an ISO 3166-1 alpha-2 code (two letters)")
	}
}

func (c *checker) details(ev *Event) {
	if o := ev.Origin; o != nil {
		if c.required("origin.channel", o.Channel) {
			c.enum("origin.channel", o.Channel, originChannels)
		}
		c.format("origin.api_method", o.APIMethod, isIdentifier, "an API method name")
		for i, a := range o.ChangedAttributes {
			n := len(c.probs.Kept())
			c.enum("", a, changedAttributes)
			c.inElement(n, "origin.changed_attributes", i, "")
		}
	}
	if r := ev.Renewal; r != nil {
		if r.Days != nil && *r.Days < 1 {
			c.add("renewal.days", param.ReasonMalformed, "must be at least 1")
		}
		c.format("renewal.price", r.Price, isDecimal, "a decimal amount")
		c.format("renewal.currency", r.Currency, func(s string) bool { return isLetters(s, 3) }, "an ISO 4217 code")
		c.format("renewal.order_reference", r.OrderReference, isDigits, "an order reference (digits)")
		c.param("renewal.order_reference", "LAST_ORDER_REFERENCE", r.OrderReference)
	}
	if u := ev.Upgrade; u != nil {
		if c.required("upgrade.placed_by", u.PlacedBy) {
			c.enum("upgrade.placed_by", u.PlacedBy, upgradePlacers)
		}
		c.enum("upgrade.payment_details", u.PaymentDetails, paymentDetails)
		c.format("upgrade.order_reference", u.OrderReference, isDigits, "an order reference (digits)")
		c.param("upgrade.order_reference", "LAST_ORDER_REFERENCE", u.OrderReference)
	}
	if t := ev.TrialConversion; t != nil {
		c.format("trial_conversion.order_reference", t.OrderReference, isDigits, "an order reference (digits)")
		c.param("trial_conversion.order_reference", "LAST_ORDER_REFERENCE", t.OrderReference)
	}
}
