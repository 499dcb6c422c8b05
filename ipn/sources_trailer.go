package ipn

// trailerSources feeds AVANGATE_CUSTOMER_REFERENCE … PROPOSAL_ID, with the
// IPN_PRODUCT_OPTIONS placeholder, which the builder expands itself.
func trailerSources() []source {
	return []source{
		{name: "AVANGATE_CUSTOMER_REFERENCE", path: "customer.reference", one: func(b *builder) string { return b.ev.Customer.Reference }},
		{name: "EXTERNAL_CUSTOMER_REFERENCE", path: "customer.external_reference", one: func(b *builder) string { return b.ev.Customer.ExternalReference }},
		{name: "IPN_PARTNER_MARGIN_PERCENT", path: "order.partner.margin_percent", one: func(b *builder) string { return orDefault(b.ev.Order.Partner.MarginPercent, zeroAmount) }},
		{name: "IPN_PARTNER_MARGIN", path: "order.partner.margin", one: func(b *builder) string { return orDefault(b.ev.Order.Partner.Margin, zeroAmount) }},
		{name: "IPN_EXTRA_MARGIN", path: "order.partner.extra_margin", one: func(b *builder) string { return orDefault(b.ev.Order.Partner.ExtraMargin, zeroAmount) }},
		{name: "IPN_EXTRA_DISCOUNT", path: "order.partner.extra_discount", one: func(b *builder) string { return orDefault(b.ev.Order.Partner.ExtraDiscount, zeroAmount) }},
		{name: "IPN_COUPON_DISCOUNT", path: "order.totals.coupon_discount", one: func(b *builder) string { return orDefault(b.ev.Order.Totals.CouponDiscount, zeroAmount) }},
		{name: "IPN_LINK_SOURCE", path: "order.link_source", one: func(b *builder) string { return b.ev.Order.LinkSource }},
		{name: "IPN_ORIGINAL_LINK_SOURCE", path: ".original_link_source", each: func(_ *builder, it *Item) string { return it.OriginalLinkSource }},
		{name: "IPN_COMMISSION", path: "order.commission", one: func(b *builder) string { return b.ev.Order.Commission }},
		{name: "REFUND_TYPE", path: "order.refund_type", one: func(b *builder) string { return b.ev.Order.RefundType }},
		{name: ProductOptions, path: "items[].pricing_options"},
		{name: "CHARGEBACK_RESOLUTION", path: "order.chargeback.resolution", one: func(b *builder) string {
			return orDefault(b.ev.Order.Chargeback.Resolution, "NONE")
		}},
		{name: "CHARGEBACK_REASON_CODE", path: "order.chargeback.reason_code", one: func(b *builder) string { return b.ev.Order.Chargeback.ReasonCode }},
		{name: "TEST_ORDER", path: "test", one: func(b *builder) string { return bit(b.ev.Test) }},
		{name: "IPN_ORDER_ORIGIN", path: "order.origin", one: func(b *builder) string { return b.ev.Order.Origin }},
		{name: "FRAUD_STATUS", path: "order.fraud_status", one: func(b *builder) string { return b.ev.Order.FraudStatus }},
		{name: "CARD_TYPE", path: "order.payment.card.type", one: func(b *builder) string { return b.ev.Order.Payment.Card.Type }},
		{name: "CARD_LAST_DIGITS", path: "order.payment.card.last_digits", one: func(b *builder) string { return b.ev.Order.Payment.Card.LastDigits }},
		{name: "CARD_EXPIRATION_DATE", path: "order.payment.card.expiration", one: func(b *builder) string { return b.ev.Order.Payment.Card.Expiration }},
		{name: "GATEWAY_RESPONSE", path: "order.payment.gateway_response", one: func(b *builder) string { return b.ev.Order.Payment.GatewayResponse }},
		{name: "IPN_DATE", path: "occurred_at", one: (*builder).notificationDate},
		{name: "FX_RATE", path: "order.fx.rate", one: func(b *builder) string { return b.ev.Order.FX.Rate }},
		{name: "FX_MARKUP", path: "order.fx.markup", one: func(b *builder) string { return b.ev.Order.FX.Markup }},
		{name: "PAYABLE_AMOUNT", path: "order.payout.amount", one: func(b *builder) string { return b.ev.Order.Payout.Amount }},
		{name: "PAYOUT_CURRENCY", path: "order.payout.currency", one: func(b *builder) string { return b.ev.Order.Payout.Currency }},
		{name: "VENDOR_CODE", path: "vendor_code", one: func(b *builder) string { return b.ev.VendorCode }},
		{name: "PROPOSAL_ID", path: "order.proposal_id", one: func(b *builder) string { return b.ev.Order.ProposalID }},
	}
}

// extraSources feeds the parameters beyond the platform's table; the
// builder drops each one whose values are all empty.
func extraSources() []source {
	return []source{
		{name: "CUSTOM_FIELDS", path: "order.custom_fields", extra: true, many: func(b *builder, dst []string) []string {
			return append(dst, b.ev.Order.CustomFields...)
		}},
		{name: "IPN_PURCHASE_ORDER_INFO", path: "order.purchase_order_info", extra: true, one: func(b *builder) string { return b.ev.Order.PurchaseOrderInfo }},
		{name: "REFUND_REASON", path: "order.refund_reason", extra: true, one: func(b *builder) string { return b.ev.Order.RefundReason }},
		{name: "IPN_PCOMMISSION", path: ".commission", extra: true, each: func(_ *builder, it *Item) string { return it.Commission }},
		{name: "IPN_BUNDLE_DETAILS", path: ".bundle.details", extra: true, each: func(_ *builder, it *Item) string { return it.Bundle.Details }},
		{name: "IPN_BUNDLE_DELIVEREDCODES", path: ".bundle.delivered_codes", extra: true, each: func(_ *builder, it *Item) string { return it.Bundle.DeliveredCodes }},
		{name: "IPN_RESELLER_ID", path: "order.reseller.id", extra: true, one: func(b *builder) string { return b.ev.Order.Reseller.ID }},
		{name: "IPN_RESELLER_NAME", path: "order.reseller.name", extra: true, one: func(b *builder) string { return b.ev.Order.Reseller.Name }},
		{name: "IPN_RESELLER_URL", path: "order.reseller.url", extra: true, one: func(b *builder) string { return b.ev.Order.Reseller.URL }},
		{name: "IPN_RESELLER_COMMISSION", path: "order.reseller.commission", extra: true, one: func(b *builder) string { return b.ev.Order.Reseller.Commission }},
	}
}
