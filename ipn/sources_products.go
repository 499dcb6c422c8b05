package ipn

import "strconv"

// productSources feeds IPN_PID … IPN_SHIPPING_TAX.
func productSources() []source {
	return []source{
		{name: "IPN_PID", path: ".id", each: func(_ *builder, it *Item) string { return it.ID }},
		{name: "IPN_PNAME", path: ".name", each: func(_ *builder, it *Item) string { return it.Name }},
		{name: "IPN_PCODE", path: ".code", each: func(_ *builder, it *Item) string { return it.Code }},
		{name: "IPN_EXTERNAL_REFERENCE", path: ".external_reference", each: func(_ *builder, it *Item) string { return it.ExternalReference }},
		{name: "IPN_INFO", path: ".info", each: func(_ *builder, it *Item) string { return it.Info }},
		{name: "IPN_QTY", path: ".quantity", each: func(_ *builder, it *Item) string { return strconv.FormatInt(it.Quantity, 10) }},
		{name: "IPN_PRICE", path: ".price", each: func(_ *builder, it *Item) string { return it.Price }},
		{name: "IPN_VAT", path: ".vat", each: func(_ *builder, it *Item) string { return it.VAT }},
		{name: "IPN_VAT_RATE", path: ".vat_rate", each: func(_ *builder, it *Item) string { return it.VATRate }},
		{name: "IPN_VER", path: ".version", each: func(_ *builder, it *Item) string { return it.Version }},
		{name: "IPN_DISCOUNT", path: ".discount", each: func(_ *builder, it *Item) string { return it.Discount }},
		{name: "IPN_PROMOTION_CATEGORY", path: ".promotion.category", each: func(_ *builder, it *Item) string { return it.Promotion.Category }},
		{name: "IPN_PROMONAME", path: ".promotion.name", each: func(_ *builder, it *Item) string { return it.Promotion.Name }},
		{name: "IPN_PROMOCODE", path: ".promotion.code", each: func(_ *builder, it *Item) string { return it.Promotion.Code }},
		{name: "IPN_ORDER_COSTS", path: ".order_costs", each: func(_ *builder, it *Item) string { return it.OrderCosts }},
		{name: "IPN_SKU", path: ".sku", each: func(_ *builder, it *Item) string { return it.SKU }},
		{name: "IPN_PARTNER_CODE", path: "order.partner.code", one: func(b *builder) string { return b.ev.Order.Partner.Code }},
		{name: "IPN_PGROUP", path: ".group.id", each: func(_ *builder, it *Item) string { return orDefault(it.Group.ID, "0") }},
		{name: "IPN_PGROUP_NAME", path: ".group.name", each: func(_ *builder, it *Item) string { return it.Group.Name }},
		{name: "MESSAGE_ID", path: "message_id", one: (*builder).messageID},
		{name: "MESSAGE_TYPE", path: "order.message_type", one: func(b *builder) string { return b.msgType }},
		{name: "IPN_LICENSE_PROD", path: ".license.product", each: func(_ *builder, it *Item) string {
			if it.License == nil {
				return ""
			}
			return orDefault(it.License.Product, it.ID)
		}},
		{name: "IPN_LICENSE_TYPE", path: ".license.type", each: license(func(l *License) string { return l.Type })},
		{name: "IPN_LICENSE_REF", path: ".license.reference", each: license(func(l *License) string { return l.Reference })},
		{name: "IPN_LICENSE_EXP", path: ".license.expires_at", each: (*builder).licenseExpiration},
		{name: "IPN_LICENSE_START", path: ".license.starts_at", each: func(b *builder, it *Item) string {
			if it.License == nil {
				return ""
			}
			return b.date(it.License.StartsAt)
		}},
		{name: "IPN_LICENSE_LIFETIME", path: ".license.lifetime", each: license(func(l *License) string {
			if l.Lifetime {
				return "YES"
			}
			return "NO"
		})},
		{name: "IPN_LICENSE_ADDITIONAL_INFO", path: ".license.additional_info", each: license(func(l *License) string { return l.AdditionalInfo })},
		{name: "IPN_DELIVEREDCODES", path: ".delivered_codes", each: func(_ *builder, it *Item) string { return it.DeliveredCodes }},
		{name: "IPN_DOWNLOAD_LINK", path: "order.download_link", one: func(b *builder) string { return b.ev.Order.DownloadLink }},
		{name: "IPN_TOTAL", path: ".total", each: func(b *builder, _ *Item) string { return b.totals.lineTotal(b.ev.Items, b.cur) }},
		{name: "IPN_TOTALGENERAL", path: "order.totals.total", one: func(b *builder) string { return b.totals.order }},
		{name: "IPN_SHIPPING", path: "order.totals.shipping", one: func(b *builder) string { return orDefault(b.ev.Order.Totals.Shipping, zeroAmount) }},
		{name: "IPN_SHIPPING_TAX", path: "order.totals.shipping_tax", one: func(b *builder) string { return orDefault(b.ev.Order.Totals.ShippingTax, zeroAmount) }},
	}
}

// license adapts a License getter to an item source; items without a
// license send "".
func license(get func(*License) string) func(*builder, *Item) string {
	return func(_ *builder, it *Item) string {
		if it.License == nil {
			return ""
		}
		return get(it.License)
	}
}

// zeroAmount is what the platform sends for an order-level amount that
// does not apply (no shipping, no partner margin, no coupon).
const zeroAmount = "0.00"

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
