package lcn

import "github.com/lcngw/lcngw/param"

// Subscription is the state of a subscription after a change.
type Subscription struct {
	// LicenseCode is the subscription reference (LICENSE_CODE).
	LicenseCode string `json:"license_code"`
	// Status is one of the STATUS values; EXPIRED and DISABLED derive from it.
	Status string `json:"status"`
	// Type is REGULAR or TRIAL (LICENSE_TYPE); IS_TRIAL derives from it.
	Type string `json:"type"`
	// Recurring reports whether the subscription renews automatically (RECURRING).
	Recurring *bool `json:"recurring"`
	// Lifetime marks an evergreen subscription (LICENSE_LIFETIME); it has no
	// expiration and the expiration dates read 9999-12-31 23:59:59.
	Lifetime bool `json:"lifetime,omitempty"`
	// Product is the product the subscription is for.
	Product *Product `json:"product,omitempty"`

	StartedAt   param.Timestamp `json:"started_at,omitzero"`   // START_DATE, START_DATE_TIME
	PurchasedAt param.Timestamp `json:"purchased_at,omitzero"` // PURCHASE_DATE, PURCHASE_DATE_TIME
	ExpiresAt   param.Timestamp `json:"expires_at,omitzero"`   // EXPIRATION_DATE, EXPIRATION_DATE_TIME
	// UpdatedAt is when the platform logged the update (DATE_UPDATED);
	// the event's occurred_at when absent.
	UpdatedAt param.Timestamp `json:"updated_at,omitzero"`

	Billing     *Billing     `json:"billing,omitempty"`
	Usage       *Usage       `json:"usage,omitempty"`
	NextRenewal *NextRenewal `json:"next_renewal,omitempty"`

	// PartnerCode is the Channel Manager partner; empty for eCommerce (PARTNER_CODE).
	PartnerCode string `json:"partner_code,omitempty"`
	// ActivationCode is the last activation code delivered (ACTIVATION_CODE).
	ActivationCode string `json:"activation_code,omitempty"`
	// Orders references the orders of the subscription.
	Orders *Orders `json:"orders,omitempty"`
	// RenewalsCount is the number of renewals (RENEWALS_NUMBER).
	RenewalsCount *int `json:"renewals_count,omitempty"`
	// UpgradesCount is the number of upgrades (UPGRADES_NUMBER).
	UpgradesCount *int `json:"upgrades_count,omitempty"`
	// PricingOptions are the active price options (LCN_LICENSE_OPTIONS_*[]).
	PricingOptions PricingOptions `json:"pricing_options,omitempty"`
	// AdditionalInfo is the subscription's custom field.
	AdditionalInfo *AdditionalInfo `json:"additional_info,omitempty"`
	// Deal holds the deal contract's auto-renewal options.
	Deal *Deal `json:"deal,omitempty"`
	// Churn describes the last churn (disabling or auto-renewal cancellation).
	Churn *Churn `json:"churn,omitempty"`
	// ChurnPreventionCampaign is the accepted churn prevention offer.
	ChurnPreventionCampaign *Campaign `json:"churn_prevention_campaign,omitempty"`
	// Pause is the scheduled or current pause.
	Pause *Pause `json:"pause,omitempty"`
	// CancelOnDemandAt is the scheduled cancellation (CANCEL_ON_DEMAND_DATE).
	CancelOnDemandAt param.Timestamp `json:"cancel_on_demand_at,omitzero"`
}

// Product is the product of a subscription.
type Product struct {
	ID                *uint64 `json:"id,omitempty"`                 // LICENSE_PRODUCT
	Code              string  `json:"code,omitempty"`               // LICENSE_PRODUCT_CODE
	Name              string  `json:"name,omitempty"`               // not an LCN parameter
	SKU               string  `json:"sku,omitempty"`                // PSKU
	Version           string  `json:"version,omitempty"`            // PRODUCT_VERSION_MODEL
	ExternalReference string  `json:"external_reference,omitempty"` // PRODUCT_EXTERNAL_REFERENCE
	Quantity          *int    `json:"quantity,omitempty"`           // PRODUCT_QUANTITY
	Group             *Group  `json:"group,omitempty"`
}

// Group is a product group.
type Group struct {
	ID   *uint64 `json:"id,omitempty"`   // LCN_PRODUCT_GROUP_ID
	Name string  `json:"name,omitempty"` // LCN_PRODUCT_GROUP_NAME
}

// Billing describes the billing cycles and contract of a subscription.
type Billing struct {
	Cycles            *int   `json:"cycles,omitempty"`              // BILLING_CYCLES
	ContractCycles    *int   `json:"contract_cycles,omitempty"`     // CONTRACT_CYCLES
	CyclesLeft        *int   `json:"cycles_left,omitempty"`         // BILLING_CYCLES_LEFT
	CurrentCycle      *int   `json:"current_cycle,omitempty"`       // CURRENT_BILLING_CYCLE
	GracePeriodDays   *int   `json:"grace_period_days,omitempty"`   // LICENSE_GRACE_PERIOD
	ActionAfterCycles string `json:"action_after_cycles,omitempty"` // ACTION_AFTER_CYCLES
	// Type is PREPAID or POSTPAID (LICENSE_BILLING_TYPE); derived from the
	// pricing options when absent.
	Type string `json:"type,omitempty"`
}

// Usage describes metered usage reporting.
type Usage struct {
	Status         string          `json:"status,omitempty"`          // USAGE_STATUS
	BillingAt      param.Timestamp `json:"billing_at,omitzero"`       // USAGE_BILLING_DATE
	LastReportedAt param.Timestamp `json:"last_reported_at,omitzero"` // LATEST_REPORTED_USAGE_DATE
}

// NextRenewal describes the upcoming renewal.
type NextRenewal struct {
	At            param.Timestamp `json:"at,omitzero"`          // NEXT_RENEWAL_DATE
	Price         string          `json:"price,omitempty"`      // NEXT_RENEWAL_PRICE (decimal string)
	Currency      string          `json:"currency,omitempty"`   // NEXT_RENEWAL_CURRENCY (ISO 4217, any case)
	PriceType     string          `json:"price_type,omitempty"` // NEXT_RENEWAL_PRICE_TYPE
	PaymentMethod *PaymentMethod  `json:"payment_method,omitempty"`
}

// PaymentMethod is the payment method of the next renewal.
type PaymentMethod struct {
	Name string `json:"name,omitempty"` // NEXT_RENEWAL_PAYMETHOD, e.g. Visa/MasterCard
	Code string `json:"code,omitempty"` // NEXT_RENEWAL_PAYMETHOD_CODE, e.g. CCVISAMC
	Card *Card  `json:"card,omitempty"`
}

// Card is the card of the next renewal.
type Card struct {
	Type            string `json:"type,omitempty"`             // NEXT_RENEWAL_CARD_TYPE
	LastDigits      string `json:"last_digits,omitempty"`      // NEXT_RENEWAL_CARD_LAST_DIGITS
	ExpirationMonth *int   `json:"expiration_month,omitempty"` // NEXT_RENEWAL_CARD_EXPIRATION_DATE (MM/YY)
	ExpirationYear  *int   `json:"expiration_year,omitempty"`
}

// Orders references the orders of a subscription.
type Orders struct {
	OriginalReference string `json:"original_reference,omitempty"` // ORIGINAL_ORDER_REFERENCE
	LastReference     string `json:"last_reference,omitempty"`     // LAST_ORDER_REFERENCE
}

// PricingOption is one active price option; each becomes one element of
// every LCN_LICENSE_OPTIONS_*[] array.
type PricingOption struct {
	Text          string `json:"text,omitempty"`           // name of the option (…_TEXT)
	Value         string `json:"value,omitempty"`          // option code (…_VALUE)
	OptionalValue string `json:"optional_value,omitempty"` // optional code (…_OPTIONAL_VALUE)
	Price         string `json:"price,omitempty"`          // decimal string (…_PRICE)
	Operator      string `json:"operator,omitempty"`       // ADD or SUBTRACT (…_OPERATOR)
	Usage         string `json:"usage,omitempty"`          // PREPAID or POSTPAID (…_USAGE)
	// UnitsConsumed is the metered usage of a POSTPAID option; when set,
	// text, value and optional value are sent as "<name>: <units>".
	UnitsConsumed *uint64 `json:"units_consumed,omitempty"`
	// ImpactSubscription is ADD, SUBTRACT, NONE or RECURRING (…_IMPACT_SUBSCRIPTION).
	ImpactSubscription string `json:"impact_subscription,omitempty"`
	// ImpactSubscriptionValue is the impact in months; 0 is sent for NONE
	// and RECURRING (…_IMPACT_SUBSCRIPTION_VALUE).
	ImpactSubscriptionValue *int `json:"impact_subscription_value,omitempty"`
}

// AdditionalInfo is the subscription's custom additional information field.
type AdditionalInfo struct {
	Text  string `json:"text,omitempty"`  // LCN_LICENSE_ADDITIONAL_INFO_CUSTOM_TEXT
	Value string `json:"value,omitempty"` // LCN_LICENSE_ADDITIONAL_INFO_CUSTOM_VALUE
}

// Deal holds the auto-renewal options of a deal contract.
type Deal struct {
	ClientAutoRenewal   *bool `json:"client_auto_renewal,omitempty"`   // CLIENT_DEAL_AUTO_RENEWAL
	MerchantAutoRenewal *bool `json:"merchant_auto_renewal,omitempty"` // MERCHANT_DEAL_AUTO_RENEWAL
}

// Churn describes the last time the subscription was disabled or its
// auto-renewal cancelled.
type Churn struct {
	Reasons string          `json:"reasons,omitempty"` // LAST_CHURN_REASONS
	Source  string          `json:"source,omitempty"`  // LAST_CHURN_SOURCE
	At      param.Timestamp `json:"at,omitzero"`       // LAST_CHURN_DATE
}

// Campaign is an accepted churn prevention campaign.
type Campaign struct {
	Type     string `json:"type,omitempty"`     // CHURN_PREVENTION_CAMPAIGN_TYPE
	Name     string `json:"name,omitempty"`     // CHURN_PREVENTION_CAMPAIGN_NAME
	Discount string `json:"discount,omitempty"` // CHURN_PREVENTION_CAMPAIGN_DISCOUNT
}

// Pause is a scheduled or current pause of the subscription.
type Pause struct {
	StartAt param.Timestamp `json:"start_at,omitzero"` // PAUSE_START_DATE
	EndAt   param.Timestamp `json:"end_at,omitzero"`   // PAUSE_END_DATE
	Reason  string          `json:"reason,omitempty"`  // PAUSE_REASON
}
