package lcn

import "github.com/lcngw/lcngw/param"

func (c *checker) subscription(s *Subscription) {
	if c.required("subscription.license_code", s.LicenseCode) {
		c.param("subscription.license_code", "LICENSE_CODE", s.LicenseCode)
	}
	if c.required("subscription.status", s.Status) {
		c.param("subscription.status", "STATUS", s.Status)
	}
	if c.required("subscription.type", s.Type) {
		c.param("subscription.type", "LICENSE_TYPE", s.Type)
	}
	if s.Recurring == nil {
		c.missing("subscription.recurring")
	}
	c.product(s.Product)
	c.billing(s.Billing)
	if u := s.Usage; u != nil {
		c.param("subscription.usage.status", "USAGE_STATUS", u.Status)
	}
	c.nextRenewal(s.NextRenewal)
	c.param("subscription.partner_code", "PARTNER_CODE", s.PartnerCode)
	c.param("subscription.activation_code", "ACTIVATION_CODE", s.ActivationCode)
	if o := s.Orders; o != nil {
		c.format("subscription.orders.original_reference", o.OriginalReference, isDigits, "an order reference (digits)")
		c.param("subscription.orders.original_reference", "ORIGINAL_ORDER_REFERENCE", o.OriginalReference)
		c.format("subscription.orders.last_reference", o.LastReference, isDigits, "an order reference (digits)")
		c.param("subscription.orders.last_reference", "LAST_ORDER_REFERENCE", o.LastReference)
	}
	c.count("subscription.renewals_count", "RENEWALS_NUMBER", s.RenewalsCount, 0)
	c.count("subscription.upgrades_count", "UPGRADES_NUMBER", s.UpgradesCount, 0)
	for i := range s.PricingOptions {
		n := len(c.probs.Kept())
		c.option(&s.PricingOptions[i])
		c.inElement(n, "subscription.pricing_options", i, ".")
	}
	if a := s.AdditionalInfo; a != nil {
		c.param("subscription.additional_info.text", "LCN_LICENSE_ADDITIONAL_INFO_CUSTOM_TEXT", a.Text)
		c.param("subscription.additional_info.value", "LCN_LICENSE_ADDITIONAL_INFO_CUSTOM_VALUE", a.Value)
	}
	if ch := s.Churn; ch != nil {
		c.param("subscription.churn.reasons", "LAST_CHURN_REASONS", ch.Reasons)
		c.param("subscription.churn.source", "LAST_CHURN_SOURCE", ch.Source)
	}
}

func (c *checker) product(p *Product) {
	if p == nil {
		return
	}
	c.id("subscription.product.id", "LICENSE_PRODUCT", p.ID)
	c.param("subscription.product.code", "LICENSE_PRODUCT_CODE", p.Code)
	c.param("subscription.product.sku", "PSKU", p.SKU)
	c.param("subscription.product.version", "PRODUCT_VERSION_MODEL", p.Version)
	c.param("subscription.product.external_reference", "PRODUCT_EXTERNAL_REFERENCE", p.ExternalReference)
	c.count("subscription.product.quantity", "PRODUCT_QUANTITY", p.Quantity, 1)
	if g := p.Group; g != nil {
		c.id("subscription.product.group.id", "LCN_PRODUCT_GROUP_ID", g.ID)
		c.param("subscription.product.group.name", "LCN_PRODUCT_GROUP_NAME", g.Name)
	}
}

func (c *checker) billing(b *Billing) {
	if b == nil {
		return
	}
	c.count("subscription.billing.cycles", "BILLING_CYCLES", b.Cycles, 1)
	c.count("subscription.billing.contract_cycles", "CONTRACT_CYCLES", b.ContractCycles, 1)
	c.count("subscription.billing.cycles_left", "BILLING_CYCLES_LEFT", b.CyclesLeft, 0)
	c.count("subscription.billing.current_cycle", "CURRENT_BILLING_CYCLE", b.CurrentCycle, 1)
	c.count("subscription.billing.grace_period_days", "LICENSE_GRACE_PERIOD", b.GracePeriodDays, 0)
	c.param("subscription.billing.action_after_cycles", "ACTION_AFTER_CYCLES", b.ActionAfterCycles)
	c.param("subscription.billing.type", "LICENSE_BILLING_TYPE", b.Type)
}

func (c *checker) nextRenewal(n *NextRenewal) {
	if n == nil {
		return
	}
	c.format("subscription.next_renewal.price", n.Price, isDecimal, "a decimal amount")
	c.format("subscription.next_renewal.currency", n.Currency, func(s string) bool { return isLetters(s, 3) }, "an ISO 4217 code")
	c.param("subscription.next_renewal.price_type", "NEXT_RENEWAL_PRICE_TYPE", n.PriceType)
	pm := n.PaymentMethod
	if pm == nil {
		return
	}
	c.param("subscription.next_renewal.payment_method.name", "NEXT_RENEWAL_PAYMETHOD", pm.Name)
	c.param("subscription.next_renewal.payment_method.code", "NEXT_RENEWAL_PAYMETHOD_CODE", pm.Code)
	card := pm.Card
	if card == nil {
		return
	}
	const path = "subscription.next_renewal.payment_method.card."
	c.param(path+"type", "NEXT_RENEWAL_CARD_TYPE", card.Type)
	c.format(path+"last_digits", card.LastDigits, func(s string) bool { return len(s) == 4 && isDigits(s) }, "four digits")
	if m := card.ExpirationMonth; m != nil && (*m < 1 || *m > 12) {
		c.add(path+"expiration_month", param.ReasonMalformed, "must be 1–12")
	}
	if y := card.ExpirationYear; y != nil && (*y < 1000 || *y > 9999) {
		c.add(path+"expiration_year", param.ReasonMalformed, "must have four digits")
	}
	if (card.ExpirationMonth == nil) != (card.ExpirationYear == nil) {
		c.add(path+"expiration_month", param.ReasonInconsistent, "expiration month and year go together")
	}
}

// option checks one pricing option; problems name its members relative
// to the option.
func (c *checker) option(o *PricingOption) {
	c.usage("text", "LCN_LICENSE_OPTIONS_TEXT", o.Text, o.UnitsConsumed)
	c.usage("value", "LCN_LICENSE_OPTIONS_VALUE", o.Value, o.UnitsConsumed)
	c.usage("optional_value", "LCN_LICENSE_OPTIONS_OPTIONAL_VALUE", o.OptionalValue, o.UnitsConsumed)
	c.format("price", o.Price, isDecimal, "a decimal amount")
	c.param("operator", "LCN_LICENSE_OPTIONS_OPERATOR", o.Operator)
	c.param("usage", "LCN_LICENSE_OPTIONS_USAGE", o.Usage)
	c.param("impact_subscription", "LCN_LICENSE_OPTIONS_IMPACT_SUBSCRIPTION", o.ImpactSubscription)
	c.count("impact_subscription_value", "LCN_LICENSE_OPTIONS_IMPACT_SUBSCRIPTION_VALUE", o.ImpactSubscriptionValue, 0)
	if o.UnitsConsumed != nil && o.Usage != billingPostpaid {
		c.add("units_consumed", param.ReasonInconsistent, "only POSTPAID (usage) options consume units")
	}
	if v := o.ImpactSubscriptionValue; v != nil && *v != 0 && impactNeutral[o.ImpactSubscription] {
		c.add("impact_subscription_value", param.ReasonInconsistent, "must be 0 when the impact is NONE or RECURRING")
	}
}
