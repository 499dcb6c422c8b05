package ipn

import "github.com/lcngw/lcngw/param"

// Item is one order line: one element of every per-product array.
type Item struct {
	ID                 string         `json:"id"`                             // IPN_PID
	Name               string         `json:"name,omitempty"`                 // IPN_PNAME
	Code               string         `json:"code,omitempty"`                 // IPN_PCODE
	ExternalReference  string         `json:"external_reference,omitempty"`   // IPN_EXTERNAL_REFERENCE
	Info               string         `json:"info,omitempty"`                 // IPN_INFO
	Quantity           int64          `json:"quantity"`                       // IPN_QTY
	Price              string         `json:"price,omitempty"`                // IPN_PRICE (unit, net of VAT)
	VAT                string         `json:"vat,omitempty"`                  // IPN_VAT (the line's VAT amount)
	VATRate            string         `json:"vat_rate,omitempty"`             // IPN_VAT_RATE
	Version            string         `json:"version,omitempty"`              // IPN_VER
	Discount           string         `json:"discount,omitempty"`             // IPN_DISCOUNT
	Promotion          Promotion      `json:"promotion,omitzero"`             // IPN_PROMOTION_CATEGORY, IPN_PROMONAME, IPN_PROMOCODE
	OrderCosts         string         `json:"order_costs,omitempty"`          // IPN_ORDER_COSTS
	SKU                string         `json:"sku,omitempty"`                  // IPN_SKU
	Group              Group          `json:"group,omitzero"`                 // IPN_PGROUP, IPN_PGROUP_NAME
	License            *License       `json:"license,omitempty"`              // IPN_LICENSE_*
	DeliveredCodes     string         `json:"delivered_codes,omitempty"`      // IPN_DELIVEREDCODES
	Total              string         `json:"total,omitempty"`                // IPN_TOTAL (derived when empty)
	OriginalLinkSource string         `json:"original_link_source,omitempty"` // IPN_ORIGINAL_LINK_SOURCE
	PricingOptions     PricingOptions `json:"pricing_options,omitempty"`      // IPN_PRODUCT_OPTIONS_<ID>_*
	// Commission is 2Checkout's commission on the line (IPN_PCOMMISSION[],
	// sent when some line has one).
	Commission string `json:"commission,omitempty"`
	// Bundle describes a bundle product's contents (IPN_BUNDLE_*[], sent
	// when some line has them).
	Bundle Bundle `json:"bundle,omitzero"`
}

// Bundle is what a bundle product line contains.
type Bundle struct {
	Details        string `json:"details,omitempty"`         // IPN_BUNDLE_DETAILS
	DeliveredCodes string `json:"delivered_codes,omitempty"` // IPN_BUNDLE_DELIVEREDCODES
}

// Promotion is the promotion applied to a line.
type Promotion struct {
	Category string `json:"category,omitempty"`
	Name     string `json:"name,omitempty"`
	Code     string `json:"code,omitempty"`
}

// Group is the product group of a line.
type Group struct {
	ID   string `json:"id,omitempty"` // "0" or empty when the product has none
	Name string `json:"name,omitempty"`
}

// License is the subscription a line bought, renewed, upgraded or converted.
type License struct {
	Product        string          `json:"product,omitempty"` // IPN_LICENSE_PROD; the line's ID when empty
	Type           string          `json:"type,omitempty"`    // IPN_LICENSE_TYPE
	Reference      string          `json:"reference,omitempty"`
	StartsAt       param.Timestamp `json:"starts_at,omitzero"`
	ExpiresAt      param.Timestamp `json:"expires_at,omitzero"` // must be empty when Lifetime
	Lifetime       bool            `json:"lifetime,omitempty"`
	AdditionalInfo string          `json:"additional_info,omitempty"`
}

// PricingOption is one pricing option chosen for a line.
type PricingOption struct {
	Text          string `json:"text,omitempty"`
	Value         string `json:"value,omitempty"`
	OptionalValue string `json:"optional_value,omitempty"`
	Price         string `json:"price,omitempty"`
	Operator      string `json:"operator,omitempty"`
	Usage         string `json:"usage,omitempty"`
}
