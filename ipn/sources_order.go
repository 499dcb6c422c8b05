package ipn

import (
	"strings"

	"github.com/lcngw/lcngw/param"
)

// emptyElement is ORIGINAL_REFNOEXT for an order that renews nothing: one
// empty element, as the platform sends it.
var emptyElement = []string{""}

// orderSources feeds GIFT_ORDER … ORDERFLOW.
func orderSources() []source {
	list := []source{
		{name: "GIFT_ORDER", path: "order.gift", one: func(b *builder) string { return bit(b.ev.Order.Gift) }},
		{name: "SALEDATE", path: "order.placed_at", one: func(b *builder) string { return b.date(b.ev.Order.PlacedAt) }},
		{name: "PAYMENTDATE", path: "order.paid_at", one: func(b *builder) string {
			if b.ev.Order.PaidAt.IsZero() {
				return noDate
			}
			return b.date(b.ev.Order.PaidAt)
		}},
		{name: "REFNO", path: "order.refno", one: func(b *builder) string { return b.ev.Order.Refno }},
		{name: "REFNOEXT", path: "order.external_ref", one: func(b *builder) string { return b.ev.Order.ExternalRef }},
		{name: "ORIGINAL_REFNOEXT", path: "order.original_external_refs", many: func(b *builder, dst []string) []string {
			if len(b.ev.Order.OriginalExternalRefs) == 0 {
				return append(dst, emptyElement...)
			}
			return append(dst, b.ev.Order.OriginalExternalRefs...)
		}},
		{name: "SHOPPER_REFERENCE_NUMBER", path: "order.shopper_reference", one: func(b *builder) string { return b.ev.Order.ShopperReference }},
		{name: "ORDERNO", path: "order.order_number", one: func(b *builder) string { return b.ev.Order.OrderNumber }},
		{name: "ORDERSTATUS", path: "order.status", one: func(b *builder) string { return b.status }},
		{name: "PAYMETHOD", path: "order.payment.method", one: func(b *builder) string { return b.ev.Order.Payment.Method }},
		{name: "PAYMETHOD_CODE", path: "order.payment.method_code", one: func(b *builder) string { return b.ev.Order.Payment.MethodCode }},
	}
	list = append(list, addressSources()...)
	return append(list, []source{
		{name: "IPADDRESS", path: "shopper.ip", one: func(b *builder) string { return b.ev.Shopper.IP }},
		{name: "IPCOUNTRY", path: "shopper.ip_country", one: func(b *builder) string { return b.ev.Shopper.IPCountry }},
		{name: "COMPLETE_DATE", path: "order.completed_at", one: func(b *builder) string { return b.date(b.ev.Order.CompletedAt) }},
		{name: "TIMEZONE_OFFSET", path: "occurred_at", one: func(b *builder) string { return param.TimezoneOffset(b.ev.OccurredAt.Time, b.loc) }},
		{name: "CURRENCY", path: "order.currency", one: func(b *builder) string { return b.ev.Order.Currency }},
		{name: "LANGUAGE", path: "order.language", one: func(b *builder) string { return b.ev.Order.Language }},
		{name: "ORDERFLOW", path: "order.flow", one: func(b *builder) string { return b.ev.Order.Flow }},
	}...)
}

// addressSources feeds the billing (FIRSTNAME … CUSTOMEREMAIL) and delivery
// (FIRSTNAME_D … EMAIL_D) parameters.
func addressSources() []source {
	return []source{
		{name: "FIRSTNAME", path: "billing.first_name", one: func(b *builder) string { return b.ev.Billing.FirstName }},
		{name: "LASTNAME", path: "billing.last_name", one: func(b *builder) string { return b.ev.Billing.LastName }},
		{name: "COMPANY", path: "billing.company", one: func(b *builder) string { return b.ev.Billing.Company }},
		{name: "REGISTRATIONNUMBER", path: "billing.registration_number", one: func(b *builder) string { return b.ev.Billing.RegistrationNumber }},
		{name: "FISCALCODE", path: "billing.fiscal_code", one: func(b *builder) string { return b.ev.Billing.FiscalCode }},
		{name: "TAX_OFFICE", path: "billing.tax_office", one: func(b *builder) string { return b.ev.Billing.TaxOffice }},
		{name: "CBANKNAME", path: "billing.bank_name", one: func(b *builder) string { return b.ev.Billing.BankName }},
		{name: "CBANKACCOUNT", path: "billing.bank_account", one: func(b *builder) string { return b.ev.Billing.BankAccount }},
		{name: "ADDRESS1", path: "billing.address1", one: func(b *builder) string { return b.ev.Billing.Address1 }},
		{name: "ADDRESS2", path: "billing.address2", one: func(b *builder) string { return b.ev.Billing.Address2 }},
		{name: "CITY", path: "billing.city", one: func(b *builder) string { return b.ev.Billing.City }},
		{name: "STATE", path: "billing.state", one: func(b *builder) string { return b.ev.Billing.State }},
		{name: "ZIPCODE", path: "billing.zip", one: func(b *builder) string { return b.ev.Billing.Zip }},
		{name: "COUNTRY", path: "billing.country", one: func(b *builder) string { return b.ev.Billing.Country }},
		{name: "COUNTRY_CODE", path: "billing.country_code", one: func(b *builder) string { return strings.ToLower(b.ev.Billing.CountryCode) }},
		{name: "PHONE", path: "billing.phone", one: func(b *builder) string { return b.ev.Billing.Phone }},
		{name: "FAX", path: "billing.fax", one: func(b *builder) string { return b.ev.Billing.Fax }},
		{name: "CUSTOMEREMAIL", path: "billing.email", one: func(b *builder) string { return b.ev.Billing.Email }},
		{name: "FIRSTNAME_D", path: "delivery.first_name", one: func(b *builder) string { return b.ev.Delivery.FirstName }},
		{name: "LASTNAME_D", path: "delivery.last_name", one: func(b *builder) string { return b.ev.Delivery.LastName }},
		{name: "COMPANY_D", path: "delivery.company", one: func(b *builder) string { return b.ev.Delivery.Company }},
		{name: "ADDRESS1_D", path: "delivery.address1", one: func(b *builder) string { return b.ev.Delivery.Address1 }},
		{name: "ADDRESS2_D", path: "delivery.address2", one: func(b *builder) string { return b.ev.Delivery.Address2 }},
		{name: "CITY_D", path: "delivery.city", one: func(b *builder) string { return b.ev.Delivery.City }},
		{name: "STATE_D", path: "delivery.state", one: func(b *builder) string { return b.ev.Delivery.State }},
		{name: "ZIPCODE_D", path: "delivery.zip", one: func(b *builder) string { return b.ev.Delivery.Zip }},
		{name: "COUNTRY_D", path: "delivery.country", one: func(b *builder) string { return b.ev.Delivery.Country }},
		{name: "COUNTRY_D_CODE", path: "delivery.country_code", one: func(b *builder) string { return strings.ToLower(b.ev.Delivery.CountryCode) }},
		{name: "PHONE_D", path: "delivery.phone", one: func(b *builder) string { return b.ev.Delivery.Phone }},
		{name: "EMAIL_D", path: "delivery.email", one: func(b *builder) string { return b.ev.Delivery.Email }},
	}
}
