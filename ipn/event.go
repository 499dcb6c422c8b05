package ipn

import "github.com/lcngw/lcngw/param"

// SchemaV1 is the schema version of the events this package reads.
const SchemaV1 = "lcngw.ipn.v1"

// Event is one order change as the billing platform publishes it (schema
// lcngw.ipn.v1, ipn/schema/ipn-event.v1.schema.json). It carries the data
// behind every IPN parameter; the comments name the parameters each field
// feeds. Amounts are decimal strings, sent as written.
type Event struct {
	Schema     string          `json:"schema"`
	EventID    string          `json:"event_id"`    // MESSAGE_ID (derived with VendorCode)
	EventType  EventType       `json:"event_type"`  // ORDERSTATUS, MESSAGE_TYPE
	OccurredAt param.Timestamp `json:"occurred_at"` // IPN_DATE, TIMEZONE_OFFSET
	VendorCode string          `json:"vendor_code"` // VENDOR_CODE
	MessageID  string          `json:"message_id,omitempty"`
	Test       bool            `json:"test,omitempty"` // TEST_ORDER
	Order      Order           `json:"order"`
	Billing    Billing         `json:"billing,omitzero"`
	Delivery   Address         `json:"delivery,omitzero"` // *_D
	Customer   Customer        `json:"customer,omitzero"`
	Shopper    Shopper         `json:"shopper,omitzero"`
	Items      Items           `json:"items"`
}

// Order holds the order-level data.
type Order struct {
	Refno                string          `json:"refno"`                            // REFNO
	ExternalRef          string          `json:"external_ref,omitempty"`           // REFNOEXT
	OriginalExternalRefs Strings         `json:"original_external_refs,omitempty"` // ORIGINAL_REFNOEXT
	ShopperReference     string          `json:"shopper_reference,omitempty"`      // SHOPPER_REFERENCE_NUMBER
	OrderNumber          string          `json:"order_number,omitempty"`           // ORDERNO
	Status               string          `json:"status,omitempty"`                 // ORDERSTATUS
	MessageType          string          `json:"message_type,omitempty"`           // MESSAGE_TYPE
	Gift                 bool            `json:"gift,omitempty"`                   // GIFT_ORDER
	PlacedAt             param.Timestamp `json:"placed_at,omitzero"`               // SALEDATE
	PaidAt               param.Timestamp `json:"paid_at,omitzero"`                 // PAYMENTDATE
	CompletedAt          param.Timestamp `json:"completed_at,omitzero"`            // COMPLETE_DATE
	Currency             string          `json:"currency,omitempty"`               // CURRENCY
	Language             string          `json:"language,omitempty"`               // LANGUAGE
	Flow                 string          `json:"flow,omitempty"`                   // ORDERFLOW
	Origin               string          `json:"origin,omitempty"`                 // IPN_ORDER_ORIGIN
	Payment              Payment         `json:"payment,omitzero"`
	Totals               Totals          `json:"totals,omitzero"`
	Commission           string          `json:"commission,omitempty"` // IPN_COMMISSION
	FX                   FX              `json:"fx,omitzero"`
	Payout               Payout          `json:"payout,omitzero"`
	FraudStatus          string          `json:"fraud_status,omitempty"`  // FRAUD_STATUS
	LinkSource           string          `json:"link_source,omitempty"`   // IPN_LINK_SOURCE
	DownloadLink         string          `json:"download_link,omitempty"` // IPN_DOWNLOAD_LINK
	Chargeback           Chargeback      `json:"chargeback,omitzero"`
	RefundType           string          `json:"refund_type,omitempty"` // REFUND_TYPE
	ProposalID           string          `json:"proposal_id,omitempty"` // PROPOSAL_ID
	Partner              Partner         `json:"partner,omitzero"`
	// CustomFields are the order's additional fields, one element each,
	// sent as written (CUSTOM_FIELDS[], only when present).
	CustomFields Strings `json:"custom_fields,omitempty"`
	// PurchaseOrderInfo is the purchase-order state, e.g.
	// NEW_PURCHASE_ORDER, PENDING_PAYMENT, COMPLETE, EXPIRED_NO_PAYMENT,
	// EXPIRED_NO_DOCUMENT, REJECTED, EXPIRED_NO_CONFIRMATION
	// (IPN_PURCHASE_ORDER_INFO, only when present).
	PurchaseOrderInfo string `json:"purchase_order_info,omitempty"`
	// RefundReason is why the order was refunded (REFUND_REASON, only when present).
	RefundReason string `json:"refund_reason,omitempty"`
	// Reseller is the reseller the order came through (IPN_RESELLER_*, only when present).
	Reseller Reseller `json:"reseller,omitzero"`
}

// Reseller is the reseller an order came through.
type Reseller struct {
	ID         string `json:"id,omitempty"`         // IPN_RESELLER_ID
	Name       string `json:"name,omitempty"`       // IPN_RESELLER_NAME
	URL        string `json:"url,omitempty"`        // IPN_RESELLER_URL
	Commission string `json:"commission,omitempty"` // IPN_RESELLER_COMMISSION (decimal)
}

// Payment describes how the order was paid.
type Payment struct {
	Method          string `json:"method,omitempty"`           // PAYMETHOD
	MethodCode      string `json:"method_code,omitempty"`      // PAYMETHOD_CODE
	Card            Card   `json:"card,omitzero"`              // CARD_*
	GatewayResponse string `json:"gateway_response,omitempty"` // GATEWAY_RESPONSE
}

// Card describes the payment card, never its number.
type Card struct {
	Type       string `json:"type,omitempty"`        // CARD_TYPE
	LastDigits string `json:"last_digits,omitempty"` // CARD_LAST_DIGITS
	Expiration string `json:"expiration,omitempty"`  // CARD_EXPIRATION_DATE (MM/YY)
}

// Totals holds the order amounts. Total is derived when empty.
type Totals struct {
	Total          string `json:"total,omitempty"`           // IPN_TOTALGENERAL
	Shipping       string `json:"shipping,omitempty"`        // IPN_SHIPPING
	ShippingTax    string `json:"shipping_tax,omitempty"`    // IPN_SHIPPING_TAX
	CouponDiscount string `json:"coupon_discount,omitempty"` // IPN_COUPON_DISCOUNT
}

// FX describes the currency conversion to the payout currency.
type FX struct {
	Rate   string `json:"rate,omitempty"`   // FX_RATE
	Markup string `json:"markup,omitempty"` // FX_MARKUP
}

// Payout is what the merchant is paid.
type Payout struct {
	Amount   string `json:"amount,omitempty"`   // PAYABLE_AMOUNT
	Currency string `json:"currency,omitempty"` // PAYOUT_CURRENCY
}

// Chargeback describes a chargeback on the order.
type Chargeback struct {
	Resolution string `json:"resolution,omitempty"`  // CHARGEBACK_RESOLUTION
	ReasonCode string `json:"reason_code,omitempty"` // CHARGEBACK_REASON_CODE
}

// Partner holds partner-order data.
type Partner struct {
	Code          string `json:"code,omitempty"`           // IPN_PARTNER_CODE
	MarginPercent string `json:"margin_percent,omitempty"` // IPN_PARTNER_MARGIN_PERCENT
	Margin        string `json:"margin,omitempty"`         // IPN_PARTNER_MARGIN
	ExtraMargin   string `json:"extra_margin,omitempty"`   // IPN_EXTRA_MARGIN
	ExtraDiscount string `json:"extra_discount,omitempty"` // IPN_EXTRA_DISCOUNT
}

// Address is a delivery address, and the common part of a billing one.
type Address struct {
	FirstName   string `json:"first_name,omitempty"`
	LastName    string `json:"last_name,omitempty"`
	Company     string `json:"company,omitempty"`
	Address1    string `json:"address1,omitempty"`
	Address2    string `json:"address2,omitempty"`
	City        string `json:"city,omitempty"`
	State       string `json:"state,omitempty"`
	Zip         string `json:"zip,omitempty"`
	Country     string `json:"country,omitempty"`      // English name
	CountryCode string `json:"country_code,omitempty"` // ISO 3166-1 alpha-2, sent lowercase
	Phone       string `json:"phone,omitempty"`
	Email       string `json:"email,omitempty"`
}

// Billing is the billing address with the company's identity.
type Billing struct {
	Address
	RegistrationNumber string `json:"registration_number,omitempty"` // REGISTRATIONNUMBER
	FiscalCode         string `json:"fiscal_code,omitempty"`         // FISCALCODE
	TaxOffice          string `json:"tax_office,omitempty"`          // TAX_OFFICE
	BankName           string `json:"bank_name,omitempty"`           // CBANKNAME
	BankAccount        string `json:"bank_account,omitempty"`        // CBANKACCOUNT
	Fax                string `json:"fax,omitempty"`                 // FAX
}

// Customer holds the customer references.
type Customer struct {
	Reference         string `json:"reference,omitempty"`          // AVANGATE_CUSTOMER_REFERENCE
	ExternalReference string `json:"external_reference,omitempty"` // EXTERNAL_CUSTOMER_REFERENCE
}

// Shopper describes where the order was placed from.
type Shopper struct {
	IP        string `json:"ip,omitempty"`         // IPADDRESS
	IPCountry string `json:"ip_country,omitempty"` // IPCOUNTRY
}
