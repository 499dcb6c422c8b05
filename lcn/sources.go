package lcn

import (
	"strconv"
	"strings"
)

// scalarSources maps every scalar data parameter to the function that
// computes its value from an event; "" means the event has no data for it.
var scalarSources = map[string]func(*state) string{
	"FIRST_NAME":                    func(b *state) string { return b.cu.FirstName },
	"LAST_NAME":                     func(b *state) string { return b.cu.LastName },
	"COMPANY":                       func(b *state) string { return b.cu.Company },
	"EMAIL":                         func(b *state) string { return b.cu.Email },
	"PHONE":                         func(b *state) string { return b.cu.Phone },
	"FAX":                           func(b *state) string { return b.cu.Fax },
	"COUNTRY":                       func(b *state) string { return b.addr.Country },
	"STATE":                         func(b *state) string { return b.addr.State },
	"CITY":                          func(b *state) string { return b.addr.City },
	"ZIP":                           func(b *state) string { return b.addr.Zip },
	"ADDRESS":                       func(b *state) string { return b.addr.Street },
	"LICENSE_CODE":                  func(b *state) string { return b.sub.LicenseCode },
	"EXPIRATION_DATE":               func(b *state) string { return b.expiration(false) },
	"DATE_UPDATED":                  func(b *state) string { return b.dateTime(b.updatedAt()) },
	"AVANGATE_CUSTOMER_REFERENCE":   func(b *state) string { return b.uint(b.cu.Reference) },
	"EXTERNAL_CUSTOMER_REFERENCE":   func(b *state) string { return b.cu.ExternalReference },
	"TEST":                          func(b *state) string { return flagText(b.ev.Test) },
	"CHANGED_BY":                    func(b *state) string { return b.ev.ChangedBy },
	"LICENSE_TYPE":                  func(b *state) string { return b.sub.Type },
	"DISABLED":                      func(b *state) string { return flagText(b.sub.Status == StatusCanceled) },
	"RECURRING":                     func(b *state) string { return boolText(b.sub.Recurring) },
	"LICENSE_PRODUCT":               func(b *state) string { return b.uint(b.prod.ID) },
	"START_DATE":                    func(b *state) string { return b.day(b.sub.StartedAt) },
	"PURCHASE_DATE":                 func(b *state) string { return b.day(b.sub.PurchasedAt) },
	"LICENSE_LIFETIME":              func(b *state) string { return flagText(b.sub.Lifetime) },
	"BILLING_CYCLES":                func(b *state) string { return b.int(b.bill.Cycles) },
	"CONTRACT_CYCLES":               func(b *state) string { return b.int(b.bill.ContractCycles) },
	"BILLING_CYCLES_LEFT":           func(b *state) string { return b.int(b.bill.CyclesLeft) },
	"CURRENT_BILLING_CYCLE":         func(b *state) string { return b.int(b.bill.CurrentCycle) },
	"NEXT_RENEWAL_PRICE":            func(b *state) string { return b.next.Price },
	"NEXT_RENEWAL_CURRENCY":         func(b *state) string { return strings.ToUpper(b.next.Currency) },
	"NEXT_RENEWAL_PRICE_TYPE":       func(b *state) string { return b.next.PriceType },
	"NEXT_RENEWAL_DATE":             func(b *state) string { return b.dateTime(b.next.At) },
	"PARTNER_CODE":                  func(b *state) string { return b.sub.PartnerCode },
	"PSKU":                          func(b *state) string { return b.prod.SKU },
	"ACTIVATION_CODE":               func(b *state) string { return b.sub.ActivationCode },
	"STATUS":                        func(b *state) string { return b.sub.Status },
	"EXPIRED":                       func(b *state) string { return flagText(isExpiredStatus(b.sub.Status)) },
	"TIMEZONE_OFFSET":               func(b *state) string { return b.timezoneOffset() },
	"LICENSE_GRACE_PERIOD":          func(b *state) string { return b.int(b.bill.GracePeriodDays) },
	"LICENSE_BILLING_TYPE":          func(b *state) string { return b.billingType() },
	"USAGE_BILLING_DATE":            func(b *state) string { return b.dateTime(b.usage.BillingAt) },
	"USAGE_STATUS":                  func(b *state) string { return b.usage.Status },
	"LATEST_REPORTED_USAGE_DATE":    func(b *state) string { return b.dateTime(b.usage.LastReportedAt) },
	"ACTION_AFTER_CYCLES":           func(b *state) string { return b.bill.ActionAfterCycles },
	"COUNTRY_CODE":                  func(b *state) string { return strings.ToLower(b.addr.CountryCode) },
	"END_USER_LANGUAGE":             func(b *state) string { return strings.ToLower(b.cu.Language) },
	"DISPATCH_REASON":               func(b *state) string { return b.ev.dispatchReason() },
	"NEXT_RENEWAL_PAYMETHOD":        func(b *state) string { return b.pm.Name },
	"NEXT_RENEWAL_PAYMETHOD_CODE":   func(b *state) string { return b.pm.Code },
	"NEXT_RENEWAL_CARD_LAST_DIGITS": func(b *state) string { return b.card.LastDigits },
	"NEXT_RENEWAL_CARD_TYPE":        func(b *state) string { return b.card.Type },
	"NEXT_RENEWAL_CARD_EXPIRATION_DATE": func(b *state) string {
		return b.cardExpiration(b.card.ExpirationMonth, b.card.ExpirationYear)
	},
	"ORIGINAL_ORDER_REFERENCE":                 func(b *state) string { return b.orders.OriginalReference },
	"LAST_ORDER_REFERENCE":                     func(b *state) string { return b.lastOrderReference() },
	"LICENSE_PRODUCT_CODE":                     func(b *state) string { return b.prod.Code },
	"LCN_LICENSE_ADDITIONAL_INFO_CUSTOM_TEXT":  func(b *state) string { return b.info.Text },
	"LCN_LICENSE_ADDITIONAL_INFO_CUSTOM_VALUE": func(b *state) string { return b.info.Value },
	"EXPIRATION_DATE_TIME":                     func(b *state) string { return b.expiration(true) },
	"START_DATE_TIME":                          func(b *state) string { return b.dateTime(b.sub.StartedAt) },
	"PURCHASE_DATE_TIME":                       func(b *state) string { return b.dateTime(b.sub.PurchasedAt) },
	"RENEWALS_NUMBER":                          func(b *state) string { return b.int(b.sub.RenewalsCount) },
	"UPGRADES_NUMBER":                          func(b *state) string { return b.int(b.sub.UpgradesCount) },
	"IS_TRIAL":                                 func(b *state) string { return flagText(b.sub.Type == LicenseTrial) },
	"PAUSE_START_DATE":                         func(b *state) string { return b.dateTime(b.pause.StartAt) },
	"PAUSE_END_DATE":                           func(b *state) string { return b.dateTime(b.pause.EndAt) },
	"PAUSE_REASON":                             func(b *state) string { return b.pause.Reason },
	"PRODUCT_QUANTITY":                         func(b *state) string { return b.int(b.prod.Quantity) },
	"VENDOR_CODE":                              func(b *state) string { return b.ev.VendorCode },
	"MESSAGE_ID":                               func(b *state) string { return b.messageID() },
	"LCN_PRODUCT_GROUP_ID":                     func(b *state) string { return b.uint(b.group.ID) },
	"LCN_PRODUCT_GROUP_NAME":                   func(b *state) string { return b.group.Name },
	"PRODUCT_EXTERNAL_REFERENCE":               func(b *state) string { return b.prod.ExternalReference },
	"PRODUCT_VERSION_MODEL":                    func(b *state) string { return b.prod.Version },
	"CLIENT_DEAL_AUTO_RENEWAL":                 func(b *state) string { return boolText(b.deal.ClientAutoRenewal) },
	"MERCHANT_DEAL_AUTO_RENEWAL":               func(b *state) string { return boolText(b.deal.MerchantAutoRenewal) },
	"LAST_CHURN_REASONS":                       func(b *state) string { return b.churn.Reasons },
	"LAST_CHURN_SOURCE":                        func(b *state) string { return b.churn.Source },
	"LAST_CHURN_DATE":                          func(b *state) string { return b.dateTime(b.churn.At) },
	"CANCEL_ON_DEMAND_DATE":                    func(b *state) string { return b.dateTime(b.sub.CancelOnDemandAt) },
	"CHURN_PREVENTION_CAMPAIGN_TYPE":           func(b *state) string { return b.camp.Type },
	"CHURN_PREVENTION_CAMPAIGN_NAME":           func(b *state) string { return b.camp.Name },
	"CHURN_PREVENTION_CAMPAIGN_DISCOUNT":       func(b *state) string { return b.camp.Discount },
}

// arraySources maps every LCN_LICENSE_OPTIONS_* parameter to the function
// that computes one element from one pricing option.
var arraySources = map[string]func(*state, *PricingOption) string{
	"LCN_LICENSE_OPTIONS_TEXT":                      func(b *state, o *PricingOption) string { return b.usageText(o.Text, o.UnitsConsumed) },
	"LCN_LICENSE_OPTIONS_VALUE":                     func(b *state, o *PricingOption) string { return b.usageText(o.Value, o.UnitsConsumed) },
	"LCN_LICENSE_OPTIONS_PRICE":                     func(_ *state, o *PricingOption) string { return o.Price },
	"LCN_LICENSE_OPTIONS_OPERATOR":                  func(_ *state, o *PricingOption) string { return o.Operator },
	"LCN_LICENSE_OPTIONS_USAGE":                     func(_ *state, o *PricingOption) string { return o.Usage },
	"LCN_LICENSE_OPTIONS_OPTIONAL_VALUE":            func(b *state, o *PricingOption) string { return b.usageText(o.OptionalValue, o.UnitsConsumed) },
	"LCN_LICENSE_OPTIONS_IMPACT_SUBSCRIPTION":       func(_ *state, o *PricingOption) string { return o.ImpactSubscription },
	"LCN_LICENSE_OPTIONS_IMPACT_SUBSCRIPTION_VALUE": impactValue,
}

// appendUsageText appends s with the units consumed, "GBs: 100", as
// state.usageText renders a usage option's name or code.
func appendUsageText(dst []byte, s string, units uint64) []byte {
	dst = append(dst, s...)
	dst = append(dst, ": "...)
	return strconv.AppendUint(dst, units, 10)
}

// impactValue sends 0 months for NONE and RECURRING impacts when the event
// gives none, as the platform does.
func impactValue(b *state, o *PricingOption) string {
	if o.ImpactSubscriptionValue == nil && impactNeutral[o.ImpactSubscription] {
		return "0"
	}
	return b.int(o.ImpactSubscriptionValue)
}
