package lcn

import "github.com/lcngw/lcngw/param"

// SchemaVersion is the value of the "schema" member of every event this
// package accepts.
const SchemaVersion = "lcngw.lcn.v1"

// Event is one subscription change as a billing platform publishes it
// (schema lcngw.lcn.v1, see Schema). It describes the change and the state
// of the subscription after it; Build turns it into the LCN parameters.
type Event struct {
	// Schema is always SchemaVersion.
	Schema string `json:"schema"`
	// EventID identifies the event; it is unique per event and stable across
	// redeliveries, and MESSAGE_ID is derived from it.
	EventID string `json:"event_id"`
	// EventType names the change, e.g. "subscription.renewed"; it selects
	// the DISPATCH_REASON (see DispatchReasonFor).
	EventType string `json:"event_type,omitempty"`
	// OccurredAt is when the change happened.
	OccurredAt param.Timestamp `json:"occurred_at"`
	// VendorCode is the merchant's code (VENDOR_CODE).
	VendorCode string `json:"vendor_code"`
	// Test marks a test subscription (TEST=1).
	Test bool `json:"test,omitempty"`
	// ChangedBy is CUSTOMER, VENDOR or SYSTEM (CHANGED_BY).
	ChangedBy string `json:"changed_by"`
	// DispatchReason overrides the reason derived from EventType.
	DispatchReason string `json:"dispatch_reason,omitempty"`
	// MessageID overrides the derived MESSAGE_ID.
	MessageID *uint64 `json:"message_id,omitempty"`
	// Origin tells where the change was made.
	Origin *Origin `json:"origin,omitempty"`
	// Customer is the subscription's end user.
	Customer *Customer `json:"customer,omitempty"`
	// Subscription is the state of the subscription after the change.
	Subscription Subscription `json:"subscription"`
	// Renewal details a renewal (subscription.renewed).
	Renewal *Renewal `json:"renewal,omitempty"`
	// Upgrade details an upgrade (subscription.upgraded).
	Upgrade *Upgrade `json:"upgrade,omitempty"`
	// TrialConversion details a trial conversion (subscription.trial_converted).
	TrialConversion *TrialConversion `json:"trial_conversion,omitempty"`
}

// Origin tells through which channel, and for API changes through which
// method, the change was made.
type Origin struct {
	// Channel is API, CONTROL_PANEL, MY_ACCOUNT, CHANNEL_MANAGER, IMPORT or SYSTEM.
	Channel string `json:"channel"`
	// APIMethod is the API method called, e.g. updateSubscription (channel API only).
	APIMethod string `json:"api_method,omitempty"`
	// ChangedAttributes lists what an update changed (see the schema's enumeration).
	ChangedAttributes Attributes `json:"changed_attributes,omitempty"`
}

// Customer is the end user of the subscription.
type Customer struct {
	FirstName string   `json:"first_name,omitempty"` // FIRST_NAME
	LastName  string   `json:"last_name,omitempty"`  // LAST_NAME
	Company   string   `json:"company,omitempty"`    // COMPANY
	Email     string   `json:"email,omitempty"`      // EMAIL
	Phone     string   `json:"phone,omitempty"`      // PHONE
	Fax       string   `json:"fax,omitempty"`        // FAX
	Address   *Address `json:"address,omitempty"`
	// Language is the ISO 639-1 code of the customer's language (END_USER_LANGUAGE).
	Language string `json:"language,omitempty"`
	// Reference is the platform's numeric customer ID (AVANGATE_CUSTOMER_REFERENCE).
	Reference *uint64 `json:"reference,omitempty"`
	// ExternalReference is the merchant's customer ID (EXTERNAL_CUSTOMER_REFERENCE).
	ExternalReference string `json:"external_reference,omitempty"`
}

// Address is the customer's billing address.
type Address struct {
	Street  string `json:"street,omitempty"`  // ADDRESS
	City    string `json:"city,omitempty"`    // CITY
	State   string `json:"state,omitempty"`   // STATE
	Zip     string `json:"zip,omitempty"`     // ZIP
	Country string `json:"country,omitempty"` // COUNTRY (English name)
	// CountryCode is the ISO 3166-1 alpha-2 code, any case (COUNTRY_CODE, sent in lower case).
	CountryCode string `json:"country_code,omitempty"`
}

// Renewal details a renewal, e.g. one made with the renewSubscription API
// (days, price, currency).
type Renewal struct {
	// Days is how many days the renewal extended the subscription.
	Days *int `json:"days,omitempty"`
	// Price is the net price charged for the renewal (decimal string).
	Price string `json:"price,omitempty"`
	// Currency is the ISO 4217 code of Price.
	Currency string `json:"currency,omitempty"`
	// PreviousExpiresAt is the expiration before the renewal; with Days it
	// must add up to the subscription's new expiration.
	PreviousExpiresAt param.Timestamp `json:"previous_expires_at,omitzero"`
	// OrderReference is the renewal order, if one was placed.
	OrderReference string `json:"order_reference,omitempty"`
}

// Upgrade details an upgrade.
type Upgrade struct {
	// PlacedBy is CUSTOMER, or VENDOR for an upgrade placed on the customer's behalf.
	PlacedBy string `json:"placed_by"`
	// PaymentDetails is CURRENT (the card on file) or NEW.
	PaymentDetails string `json:"payment_details,omitempty"`
	// PreviousProductCode is the product code before the upgrade.
	PreviousProductCode string `json:"previous_product_code,omitempty"`
	// OrderReference is the upgrade order.
	OrderReference string `json:"order_reference,omitempty"`
}

// TrialConversion details the conversion of a trial into a paid subscription.
type TrialConversion struct {
	// ExtendFromPaymentDate reports whether the paid period starts at the
	// conversion (true) or at the trial's expiration (false).
	ExtendFromPaymentDate bool `json:"extend_from_payment_date,omitempty"`
	// TrialExpiresAt is when the trial was due to expire.
	TrialExpiresAt param.Timestamp `json:"trial_expires_at,omitzero"`
	// OrderReference is the conversion order.
	OrderReference string `json:"order_reference,omitempty"`
}
